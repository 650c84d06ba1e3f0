/**
 * The experiment form (sidebar webview view). The form edits one run's config; the host validates
 * each draft with the engine's validator and starts runs. "Rerun" stops the runs the form started
 * and starts the edited config, so its curves overlay the previous ones in the dashboard.
 */
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { checkDraft } from '../host/draftCheck';
import { confirmLargeSweep } from './largeSweep';
import type { ExperimentConfig } from '../engine/config/schema';
import type { RunManager, TrackedRun } from '../host/runManager';
import { isActive } from '../protocol/runState';
import { parseFormMessage, type HostToForm } from '../protocol/hostForm';
import { presetChoices } from './presetChoices';
import { downloadedDatasets } from './downloadCommand';
import type { DashboardController } from './dashboardPanel';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { workspaceRoot } from './settings';

export const FORM_VIEW_ID = 'plasticity.experiment';

export class ExperimentFormProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private formRuns: TrackedRun[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** The form runs count the webview was last told. */
  private postedActiveRuns = -1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly dashboard: DashboardController,
    private readonly storageDir: string,
    private readonly dataDir: () => string,
  ) {
    // Only when the count moves: a fast run changes (a point, its progress) dozens of times a second.
    this.disposables.push(
      manager.onDidChange(() => {
        const count = this.activeFormRuns().length;
        if (count === this.postedActiveRuns) return;
        this.postedActiveRuns = count;
        this.post({ type: 'host/activeRuns', count });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'form', 'Experiment');
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      view.onDidDispose(() => (this.view = undefined)),
    );
  }

  private post(message: HostToForm): void {
    void this.view?.webview.postMessage(message);
  }

  private async run(config: ExperimentConfig, replace: boolean): Promise<void> {
    if (!(await confirmLargeSweep(config))) return;
    if (replace) for (const run of this.activeFormRuns()) this.manager.stop(run.jobId);
    const runs = this.manager.start(config, this.baseDir());
    this.formRuns.push(...runs);
    this.dashboard.show(runs);
  }

  /** Where the form's relative paths (IDX files) resolve: the workspace, else the extension's storage. */
  private baseDir(): string {
    return workspaceRoot() ?? this.storageDir;
  }

  private activeFormRuns(): TrackedRun[] {
    return this.formRuns.filter((r) => isActive(r.state));
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFormMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'form/ready':
        this.postedActiveRuns = this.activeFormRuns().length;
        this.post({ type: 'host/init', presets: presetChoices(), datasets: downloadedDatasets(this.dataDir()), draft: null, activeRuns: this.postedActiveRuns });
        return;
      case 'form/validate': {
        const { issues } = checkDraft(message.draft, this.baseDir());
        this.post({ type: 'host/issues', requestId: message.requestId, issues });
        return;
      }
      case 'form/run': {
        const { config, issues } = checkDraft(message.draft, this.baseDir());
        if (!config) {
          this.post({ type: 'host/issues', requestId: -1, issues });
          return;
        }
        await this.run(config, message.replace);
        return;
      }
      case 'form/stop':
        for (const run of this.activeFormRuns()) this.manager.stop(run.jobId);
        return;
      case 'form/save':
        await saveDraft(message.draft);
        return;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function saveDraft(draft: Record<string, unknown>): Promise<void> {
  const root = workspaceRoot();
  const name = typeof draft.name === 'string' ? draft.name.replace(/[^A-Za-z0-9-_]+/g, '-').toLowerCase() : 'experiment';
  const target = await vscode.window.showSaveDialog({
    defaultUri: root ? vscode.Uri.file(`${root}/${name}.plasticity.json`) : undefined,
    filters: { 'Plasticity experiment': ['plasticity.json', 'json'] },
    saveLabel: 'Save experiment',
  });
  if (!target) return;
  writeFileSync(target.fsPath, `${JSON.stringify(draft, null, 2)}\n`);
  await vscode.window.showTextDocument(target);
}

