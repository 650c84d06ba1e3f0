/**
 * The Paper report tab: one reproduction's verdicts, filled in claim by claim while it runs, or read
 * from a report.json (the editor's or the command line's). The host holds the report and sends all
 * of it on every change; the webview asks for actions by claim id. The folder shown is remembered,
 * so the tab comes back after a restart.
 */
import * as vscode from 'vscode';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReportMessage, type HostToReport, type ReportAction } from '../protocol/hostReport';
import { claimExperiment } from '../reproduce/claimExperiment';
import { comparedPair, finishedModel, readReportFile, resultOf, runsOf, type ReportModel } from '../reproduce/reportView';
import { PRESET_SUFFIX } from '../engine/presets';
import type { DashboardController } from './dashboardPanel';
import { attachApp, webviewRoots } from './webviewHtml';

export const REPORT_VIEW_TYPE = 'plasticity.paperReport';
const SHOWN_FOLDER_KEY = 'plasticity.paperReport.folder';

export class PaperReportController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private model: ReportModel | null = null;
  /** Shown instead of a report when there is none to show (a restored tab whose reproduction never finished). */
  private notice = 'No report yet: run "Plasticity: Reproduce the Paper…", or open a report.json with "Plasticity: Open Paper Report…".';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly dashboard: DashboardController,
    /** Workspace state: the host, not the webview, remembers which report the tab shows. */
    private readonly memory: vscode.Memento,
    /** Where "Open as experiment" writes its file. */
    private readonly experimentsDir: () => string,
  ) {}

  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        const folder = this.memory.get<string>(SHOWN_FOLDER_KEY);
        if (typeof folder === 'string') this.load(folder);
        this.attach(panel);
      },
    });
  }

  get shown(): ReportModel | null {
    return this.model;
  }

  /** Opens (or reveals) the tab on this model; call update() after changing it. */
  show(model: ReportModel): void {
    this.model = model;
    void this.memory.update(SHOWN_FOLDER_KEY, model.view.folder);
    if (!this.panel) {
      this.attach(
        vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Paper Report', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
          enableScripts: true,
          localResourceRoots: webviewRoots(this.extensionUri),
        }),
      );
    } else {
      this.panel.reveal(undefined, true);
      this.update();
    }
  }

  /** Opens a finished report from its folder (or its report.json); throws ReportFileError for a file that is not one. */
  open(path: string): void {
    const folder = path.endsWith('.json') ? join(path, '..') : path;
    this.show(finishedModel(readReportFile(join(folder, 'report.json')), folder));
  }

  update(): void {
    this.post(this.model ? { type: 'host/report', report: this.model.view } : { type: 'host/noReport', message: this.notice });
  }

  /** A restored tab: the report in its folder, or a notice saying why there is none. */
  private load(folder: string): void {
    const file = join(folder, 'report.json');
    if (!existsSync(file)) {
      this.notice = `The reproduction in ${folder} did not finish: the window closed while it ran. Its finished runs are in ${join(folder, 'runs')}; run "Plasticity: Reproduce the Paper…" again for a report.`;
      return;
    }
    try {
      this.model = finishedModel(readReportFile(file), folder);
    } catch (error) {
      this.notice = (error as Error).message;
    }
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    attachApp(panel, this.extensionUri, 'report', 'Paper Report', {
      message: (raw) => void this.onMessage(raw),
      visible: () => this.update(),
      disposed: () => (this.panel = undefined),
    });
  }

  private post(message: HostToReport): void {
    void this.panel?.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseReportMessage(raw);
    if (!message) return; // not ours, or malformed: dropped
    if (message.type === 'report/ready') return this.update();
    const model = this.model;
    if (!model) return;
    if (message.type === 'report/openHtml') {
      const html = join(model.view.folder, 'report.html');
      if (existsSync(html)) await vscode.env.openExternal(vscode.Uri.file(html));
      return;
    }
    await this.act(message.action, message.id);
  }

  /** A claim's button: its runs in the dashboard, or its comparison as an experiment file (returned). */
  async act(action: ReportAction, id: string): Promise<string | undefined> {
    const model = this.model;
    // Only claims this report has: the webview names an id, the host finds the runs.
    if (!model || !resultOf(model, id)) return undefined;
    if (action === 'openRuns') {
      const runs = runsOf(model, id).filter((dir) => existsSync(dir));
      if (runs.length > 0) this.dashboard.show(runs, { replace: true });
      else void vscode.window.showWarningMessage(`The runs behind "${id}" are no longer in ${model.view.folder}.`);
      return undefined;
    }
    return this.openAsExperiment(model, id);
  }

  /** Writes the claim's comparison as a *.plasticity.json beside the workspace's experiments and opens it. */
  private async openAsExperiment(model: ReportModel, id: string): Promise<string | undefined> {
    const result = resultOf(model, id)!;
    const arms = comparedPair(result).map((arm) => {
      const runDir = model.armRuns.get(arm)?.find((dir) => existsSync(join(dir, 'config.json')));
      return runDir ? { id: arm, config: JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as Record<string, unknown> } : null;
    });
    if (!arms[0] || !arms[1]) {
      void vscode.window.showWarningMessage(`The runs behind "${id}" are no longer in ${model.view.folder}, so their configs cannot be read.`);
      return undefined;
    }
    const title = 'trick' in result ? `Oja instead of ${result.trick}` : result.title;
    const document = claimExperiment(title, arms[0], arms[1], model.view.seeds);
    const file = freeName(this.experimentsDir(), id);
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return file;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** <dir>/<id>.plasticity.json, or <id>-2… when that exists: a user's edited copy is never overwritten. */
function freeName(dir: string, id: string): string {
  for (let k = 1; ; k++) {
    const file = join(dir, `${id}${k === 1 ? '' : `-${k}`}${PRESET_SUFFIX}`);
    if (!existsSync(file)) return file;
  }
}
