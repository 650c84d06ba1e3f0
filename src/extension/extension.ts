/** Activation: one warm worker pool and run manager for the window, and the views and commands on top. */
import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import { WorkerPool } from '../host/workerPool';
import { RunManager } from '../host/runManager';
import { readSettings, workspaceRoot } from './settings';
import { RunsTreeProvider } from './runsTree';
import { RunStatusBar } from './statusBar';
import { DashboardController } from './dashboardPanel';
import { ExperimentFormProvider, FORM_VIEW_ID } from './experimentForm';
import { registerCommands } from './commands';
import { ExperimentCodeLens } from './codeLens';
import { PaperReportController } from './paperReportPanel';
import { openPaperReportCommand, reproducePaperCommand, type ReproduceDeps } from './reproducePaper';

export interface PlasticityApi {
  manager: RunManager;
  pool: WorkerPool;
  dashboard: DashboardController;
  report: PaperReportController;
  tree: RunsTreeProvider;
  runsDir(): string;
}

export function activate(context: vscode.ExtensionContext): PlasticityApi {
  const storageDir = context.globalStorageUri.fsPath;
  mkdirSync(storageDir, { recursive: true });
  const settings = () => readSettings(storageDir);
  const runsDir = () => settings().runsDirectory;
  mkdirSync(runsDir(), { recursive: true });

  const pool = new WorkerPool({
    workerScript: context.asAbsolutePath('dist/worker.js'),
    maxWorkers: settings().maxWorkers,
  });
  pool.warmUp();
  const manager = new RunManager(pool, runsDir, () => ({ backend: settings().backend, executor: 'auto' }));
  manager.recoverAbandoned();

  const tree = new RunsTreeProvider(manager, runsDir);
  const dashboard = new DashboardController(context.extensionUri, manager, () => settings().chartMaxPoints, () => workspaceRoot() ?? storageDir, context.workspaceState);
  const form = new ExperimentFormProvider(context.extensionUri, manager, dashboard, storageDir, () => settings().dataDirectory);
  const statusBar = new RunStatusBar(manager);
  const report = new PaperReportController(context.extensionUri, dashboard, context.workspaceState, () => workspaceRoot() ?? storageDir);
  const reproduce: ReproduceDeps = {
    pool,
    report,
    runtime: () => ({ backend: settings().backend, executor: 'auto' }),
    runsDir,
    dataDir: () => settings().dataDirectory,
  };

  context.subscriptions.push(
    { dispose: () => pool.dispose() },
    { dispose: () => manager.dispose() },
    tree,
    dashboard,
    form,
    statusBar,
    vscode.window.createTreeView('plasticity.runs', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }),
    vscode.window.registerWebviewViewProvider(FORM_VIEW_ID, form, { webviewOptions: { retainContextWhenHidden: false } }),
    dashboard.registerSerializer(),
    report,
    report.registerSerializer(),
    vscode.commands.registerCommand('plasticity.reproducePaper', (arg?: unknown) => reproducePaperCommand(reproduce, arg)),
    vscode.commands.registerCommand('plasticity.openPaperReport', (arg?: unknown) => openPaperReportCommand(reproduce, arg)),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.plasticity.json' }, new ExperimentCodeLens()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('plasticity.maxWorkers')) pool.setMaxWorkers(settings().maxWorkers);
    }),
    ...registerCommands({ manager, dashboard, tree, runsDir, storageDir, dataDir: () => settings().dataDirectory }),
  );
  return { manager, pool, dashboard, report, tree, runsDir };
}

export function deactivate(): void {}
