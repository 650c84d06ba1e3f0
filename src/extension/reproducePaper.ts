/**
 * Plasticity: Reproduce the Paper… (quick or full) on the window's warm worker pool, with a
 * cancellable progress notification, into the Paper report tab that fills in claim by claim; and
 * Plasticity: Open Paper Report… for a report already written (by the editor or the command line).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RunManager, type JobPool, type JobRuntime } from '../host/runManager';
import { runIdFor } from '../runFiles/runFolder';
import { ensureFolder } from '../runFiles/fileErrors';
import type { Mode } from '../reproduce/claims';
import { holdsIdxSet } from '../reproduce/dataChoice';
import { planReproduction, runReproduction, type ReproductionRequest } from '../reproduce/reproduction';
import { finishedModel, plannedModel, refreshRunFlags, ReportFileError } from '../reproduce/reportView';
import type { PaperReportController } from './paperReportPanel';

export interface ReproduceDeps {
  pool: JobPool;
  report: PaperReportController;
  runtime: () => JobRuntime;
  runsDir: () => string;
  dataDir: () => string;
}

/** Reproductions go beside the runs folder (.plasticity/reproductions by default, where the command line writes them). */
export function reproductionsDir(runsDir: string): string {
  return join(dirname(runsDir), 'reproductions');
}

let running: { folder: string; stop: AbortController } | null = null;

/** Options a caller (or a test) may pass instead of the pickers: { mode, claims, seeds, steps, data }. */
function requestFrom(arg: unknown): ReproductionRequest | null {
  if (typeof arg !== 'object' || arg === null) return null;
  const a = arg as Record<string, unknown>;
  if (a.mode !== 'quick' && a.mode !== 'full') return null;
  const positive = (v: unknown) => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : undefined);
  return {
    mode: a.mode,
    ...(Array.isArray(a.claims) && a.claims.every((c) => typeof c === 'string') ? { claims: a.claims as string[] } : {}),
    ...(positive(a.seeds) ? { seeds: positive(a.seeds) } : {}),
    ...(positive(a.steps) ? { steps: positive(a.steps) } : {}),
    ...(typeof a.data === 'string' ? { data: a.data } : {}),
  };
}

async function pickRequest(dataDir: string): Promise<ReproductionRequest | null> {
  const modes: Array<vscode.QuickPickItem & { mode: Mode }> = [
    { label: 'Quick', description: '3 seeds, small tuning grids', detail: 'Every claim and the trick table; about a minute on two cores with the bundled digits.', mode: 'quick' },
    { label: 'Full', description: '5 seeds, every depth and gain, wider grids', detail: 'About twice the runs of the quick reproduction.', mode: 'full' },
  ];
  const picked = await vscode.window.showQuickPick(modes, { placeHolder: 'Reproduce arXiv 2408.08408: which reproduction?' });
  if (!picked) return null;
  const fashion = join(dataDir, 'fashion-mnist');
  if (!holdsIdxSet(fashion)) return { mode: picked.mode };
  const data = await vscode.window.showQuickPick(
    [
      { label: 'The bundled MNIST digits', value: 'mnist' },
      { label: 'Fashion-MNIST', description: fashion, value: `idx:${fashion}` },
    ],
    { placeHolder: 'Train and test on…' },
  );
  return data ? { mode: picked.mode, data: data.value } : null;
}

export async function reproducePaperCommand(deps: ReproduceDeps, arg?: unknown): Promise<string | undefined> {
  if (running) {
    void vscode.window.showInformationMessage(`A reproduction is running (${running.folder}); its Paper report tab shows how far it is.`);
    if (deps.report.shown) deps.report.show(deps.report.shown);
    return undefined;
  }
  const request = requestFrom(arg) ?? (await pickRequest(deps.dataDir()));
  if (!request) return undefined;
  const folder = join(reproductionsDir(deps.runsDir()), runIdFor(`paper ${request.mode}`, '', new Date()));
  let plan;
  try {
    plan = planReproduction(request, dirname(deps.runsDir()));
    ensureFolder(folder, 'the reproductions folder');
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot reproduce the paper: ${(error as Error).message}`);
    return undefined;
  }
  const manager = new RunManager(deps.pool, () => join(folder, 'runs'), deps.runtime);
  const stop = new AbortController();
  running = { folder, stop };
  const model = plannedModel(plan, folder);
  deps.report.show(model);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reproducing the paper (${request.mode})`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => stop.abort());
        const report = await runReproduction(manager, plan, folder, {
          onRunEnded: (ended, total) => {
            progress.report({ increment: 100 / total, message: `${ended} of ${total} runs` });
            model.view.progress = { ended, total };
            deps.report.update();
          },
          onArm: (result) => {
            model.armRuns.set(result.arm.id, result.runs.map((r) => r.runDir));
            refreshRunFlags(model);
            deps.report.update();
          },
          onClaim: (result) => {
            const item = model.view.claims.find((c) => c.id === result.id);
            if (item) item.result = result;
            refreshRunFlags(model);
            deps.report.update();
          },
          onTrick: (result) => {
            const item = model.view.tricks.find((t) => t.id === result.id);
            if (item) item.result = result;
            refreshRunFlags(model);
            deps.report.update();
          },
        }, stop.signal);
        deps.report.show(finishedModel(report, folder));
      },
    );
    return folder;
  } catch (error) {
    const reason = (error as Error).message;
    model.view.status = 'failed';
    model.view.reason = reason;
    deps.report.show(model);
    void vscode.window.showErrorMessage(`The reproduction failed: ${reason}`);
    return undefined;
  } finally {
    running = null;
    manager.dispose();
  }
}

export async function openPaperReportCommand(deps: ReproduceDeps, arg?: unknown): Promise<string | undefined> {
  let path = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
  if (!path) {
    const start = reproductionsDir(deps.runsDir());
    const picked = await vscode.window.showOpenDialog({
      ...(existsSync(start) ? { defaultUri: vscode.Uri.file(start) } : {}),
      canSelectMany: false,
      filters: { 'Reproduction report': ['json'] },
      openLabel: 'Open Paper Report',
    });
    path = picked?.[0]?.fsPath;
  }
  if (!path) return undefined;
  try {
    deps.report.open(path);
    return path;
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof ReportFileError ? error.message : `Cannot open ${path}: ${(error as Error).message}`);
    return undefined;
  }
}
