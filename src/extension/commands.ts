/** The palette and context-menu commands (their ids are listed in docs/ARCHITECTURE.md). */
import * as vscode from 'vscode';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseExperiment } from '../engine/config/validate';
import { parseJsonText } from '../engine/config/jsonText';
import { ConfigError, formatIssue } from '../engine/config/issues';
import { listPresets, presetDocument, PRESET_SUFFIX } from '../engine/presets';
import { deleteRun, listRuns, type StoredRun } from '../runFiles/runStore';
import { loadRunForExport, runsToCsv, runsToJson } from '../runFiles/export';
import type { RunManager } from '../host/runManager';
import { isActive } from '../protocol/runState';
import type { DashboardController } from './dashboardPanel';
import { ExperimentGroup, RunItem, type RunsTreeProvider } from './runsTree';
import { ensureTrusted } from './trust';
import { workspaceRoot } from './settings';
import { downloadDatasetCommand } from './downloadCommand';
import { confirmLargeSweep } from './largeSweep';

export interface CommandContext {
  dataDir: () => string;
  manager: RunManager;
  dashboard: DashboardController;
  tree: RunsTreeProvider;
  runsDir: () => string;
  storageDir: string;
}

/** A run folder from whatever a command was called with: a tree item, a path, or nothing. */
function runDirOf(arg: unknown): string | undefined {
  if (arg instanceof RunItem) return arg.runDir;
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  return undefined;
}

function runDirsOf(arg: unknown, selection: unknown): string[] {
  if (Array.isArray(selection) && selection.length > 0) return selection.flatMap((s) => (s instanceof ExperimentGroup ? s.runs.map((r) => r.runDir) : [runDirOf(s)].filter((d): d is string => !!d)));
  if (arg instanceof ExperimentGroup) return arg.runs.map((r) => r.runDir);
  const one = runDirOf(arg);
  return one ? [one] : [];
}

async function pickRuns(runsDir: string, placeHolder: string, canPickMany: boolean, only?: { keep: (run: StoredRun) => boolean; none: string }): Promise<string[]> {
  const runs = listRuns(runsDir).filter((run) => only?.keep(run) ?? true);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(only?.none ?? 'There are no runs yet. Run an experiment first.');
    return [];
  }
  const items = runs.map((r) => ({ label: r.summary.label || r.runId, description: `${r.summary.name} · ${r.summary.status}`, detail: r.runDir, runDir: r.runDir }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, canPickMany });
  if (!picked) return [];
  return (Array.isArray(picked) ? picked : [picked]).map((p) => p.runDir);
}

async function experimentFile(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.fileName.endsWith(PRESET_SUFFIX)) return active.uri;
  const files = await vscode.workspace.findFiles(`**/*${PRESET_SUFFIX}`, '**/node_modules/**', 200);
  if (files.length === 0) {
    const create = await vscode.window.showInformationMessage('No *.plasticity.json experiment in this workspace.', 'New Experiment…');
    if (create) await vscode.commands.executeCommand('plasticity.newExperiment');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })), { placeHolder: 'Experiment to run' });
  return picked?.uri;
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { manager, dashboard } = ctx;
  const register = (id: string, handler: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, handler);

  return [
    register('plasticity.newExperiment', async (presetId?: unknown, target?: unknown) => {
      const presets = listPresets();
      const preset =
        typeof presetId === 'string'
          ? presets.find((p) => p.id === presetId)
          : (await vscode.window.showQuickPick(presets.map((p) => ({ label: p.config.name, description: p.id, detail: p.config.description, preset: p })), { placeHolder: 'Start from a preset', matchOnDetail: true }))?.preset;
      if (!preset) return undefined;
      const root = workspaceRoot() ?? ctx.storageDir;
      const uri =
        target instanceof vscode.Uri
          ? target
          : await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(root, `${preset.id}${PRESET_SUFFIX}`)), filters: { 'Plasticity experiment': ['json'] }, saveLabel: 'Create experiment' });
      if (!uri) return undefined;
      writeFileSync(uri.fsPath, `${JSON.stringify(presetDocument(preset), null, 2)}\n`);
      await vscode.window.showTextDocument(uri);
      return uri;
    }),

    // Returns what it started and what it reported, so callers (and tests) can see both.
    register('plasticity.runExperiment', async (arg?: unknown): Promise<{ jobIds: string[]; issues: string[] }> => {
      const uri = await experimentFile(arg);
      if (!uri) return { jobIds: [], issues: [] };
      if (!(await ensureTrusted(basename(uri.fsPath)))) return { jobIds: [], issues: ['the workspace is not trusted'] };
      const document = await vscode.workspace.openTextDocument(uri);
      let config;
      try {
        // The editor's text, saved or not: what the user sees is what runs.
        config = parseExperiment(parseJsonText(document.getText(), basename(uri.fsPath)), basename(uri.fsPath));
      } catch (error) {
        const issues = error instanceof ConfigError ? error.issues.map(formatIssue) : [(error as Error).message];
        void vscode.window.showErrorMessage(`${basename(uri.fsPath)} cannot run: ${issues.join('; ')}`, { modal: false });
        return { jobIds: [], issues };
      }
      if (!(await confirmLargeSweep(config))) return { jobIds: [], issues: [] };
      const runs = manager.start(config, dirname(uri.fsPath));
      dashboard.show(runs, { replace: true });
      return { jobIds: runs.map((r) => r.jobId), issues: [] };
    }),

    register('plasticity.rerun', async (arg?: unknown) => {
      const runDir = runDirOf(arg) ?? (await pickRuns(ctx.runsDir(), 'Run to run again', false))[0];
      if (!runDir || !existsSync(runDir)) return [];
      const runs = manager.rerun(runDir, workspaceRoot() ?? ctx.storageDir);
      dashboard.show(runs);
      return runs.map((r) => r.jobId);
    }),

    register('plasticity.resumeRun', async (arg?: unknown) => {
      const resumable = { keep: (run: StoredRun) => Boolean(run.config?.meta?.learn) && (run.summary.status === 'stopped' || run.summary.status === 'failed'), none: 'No stopped meta-learning run to resume.' };
      const runDir = runDirOf(arg) ?? (await pickRuns(ctx.runsDir(), 'Meta-learning run to go on with', false, resumable))[0];
      if (!runDir || !existsSync(runDir)) return [];
      const run = manager.resume(runDir, workspaceRoot() ?? ctx.storageDir);
      dashboard.show([run]);
      return [run.jobId];
    }),

    register('plasticity.stopRun', (arg?: unknown) => {
      const runDir = runDirOf(arg);
      const run = runDir ? manager.findByRunDir(runDir) ?? manager.get(runDir) : undefined;
      if (run) manager.stop(run.jobId);
      else manager.stopAll();
    }),

    register('plasticity.openDashboard', (arg?: unknown, selection?: unknown) => dashboard.show(runDirsOf(arg, selection))),

    register('plasticity.compareRuns', async (arg?: unknown, selection?: unknown) => {
      let runDirs = runDirsOf(arg, selection);
      if (runDirs.length < 2) runDirs = await pickRuns(ctx.runsDir(), 'Runs to compare (pick two or more)', true);
      if (runDirs.length > 0) dashboard.show(runDirs, { replace: true });
    }),

    register('plasticity.exportRun', async (arg?: unknown, selection?: unknown, target?: unknown) => {
      let runDirs = runDirsOf(arg, selection);
      if (runDirs.length === 0) runDirs = await pickRuns(ctx.runsDir(), 'Runs to export', true);
      if (runDirs.length === 0) return undefined;
      const first = runDirs[0]!;
      const uri =
        target instanceof vscode.Uri
          ? target
          : await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(workspaceRoot() ?? dirname(first), `${basename(first)}.csv`)), filters: { CSV: ['csv'] }, saveLabel: 'Export CSV and JSON' });
      if (!uri) return undefined;
      const runs = runDirs.map(loadRunForExport);
      const jsonPath = uri.fsPath.replace(/\.csv$/i, '') + '.json';
      writeFileSync(uri.fsPath, runsToCsv(runs));
      writeFileSync(jsonPath, runsToJson(runs));
      void vscode.window.showInformationMessage(`Exported ${runs.length} run${runs.length === 1 ? '' : 's'} to ${basename(uri.fsPath)} and ${basename(jsonPath)}.`);
      return { csv: uri.fsPath, json: jsonPath };
    }),

    register('plasticity.downloadDataset', (dataset?: unknown) => downloadDatasetCommand(ctx.dataDir(), dataset)),

    register('plasticity.revealRun', (arg?: unknown) => {
      const runDir = runDirOf(arg);
      if (runDir) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(runDir));
    }),

    register('plasticity.deleteRun', async (arg?: unknown, selection?: unknown) => {
      const runDirs = runDirsOf(arg, selection).filter((d) => {
        const live = manager.findByRunDir(d);
        return !live || !isActive(live.state); // running runs are stopped first, not deleted
      });
      if (runDirs.length === 0) return;
      const answer = await vscode.window.showWarningMessage(`Delete ${runDirs.length} run folder${runDirs.length === 1 ? '' : 's'} and all recorded points?`, { modal: true }, 'Delete');
      if (answer !== 'Delete') return;
      runDirs.forEach(deleteRun);
      dashboard.forget(runDirs);
      ctx.tree.refreshSoon(0);
    }),
  ];
}
