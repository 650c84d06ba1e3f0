/** The Runs view: run folders grouped by experiment, newest first, with status icons. */
import * as vscode from 'vscode';
import { finalHeadline } from '../shared/finalMetrics';
import { listRuns, type StoredRun } from '../runFiles/runStore';
import type { RunManager } from '../host/runManager';
import { isActive, type RunState } from '../protocol/runState';

const ICONS: Record<RunState | 'running', [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin'],
  completed: ['pass', 'testing.iconPassed'],
  stopped: ['debug-stop', 'disabledForeground'],
  diverged: ['warning', 'list.warningForeground'],
  failed: ['error', 'testing.iconFailed'],
  rejected: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
};

export class ExperimentGroup {
  constructor(
    readonly name: string,
    readonly runs: RunItem[],
  ) {}
}

export class RunItem {
  constructor(
    readonly stored: StoredRun,
    readonly state: RunState,
    readonly progress: string,
  ) {}
  get runDir(): string {
    return this.stored.runDir;
  }
}

type Node = ExperimentGroup | RunItem;

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly manager: RunManager,
    private readonly runsDir: () => string,
  ) {
    this.disposables.push(manager.onDidChange((change) => (change.kind === 'point' || change.kind === 'progress' ? this.refreshSoon(1000) : this.refreshSoon(50))));
    this.watch();
  }

  /** Run folders appear from the CLI too: watch the folder. */
  private watch(): void {
    const pattern = new vscode.RelativePattern(vscode.Uri.file(this.runsDir()), '*/summary.json');
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    this.disposables.push(watcher, watcher.onDidCreate(() => this.refreshSoon(200)), watcher.onDidChange(() => this.refreshSoon(500)), watcher.onDidDelete(() => this.refreshSoon(200)));
  }

  refreshSoon(delayMs: number): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, delayMs);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node instanceof ExperimentGroup) {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.contextValue = 'experiment';
      return item;
    }
    const { summary } = node.stored;
    const item = new vscode.TreeItem(summary.label || describeUnlabelled(node.stored), vscode.TreeItemCollapsibleState.None);
    const accuracy = summary.final ? finalHeadline(summary.final, 1) : '';
    item.description = [node.state, node.progress || accuracy].filter(Boolean).join(' · ');
    const [icon, color] = ICONS[node.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = new vscode.MarkdownString(
      [`**${summary.name}** ${summary.label}`, `status: ${node.state}${summary.reason ? ` (${summary.reason})` : ''}`, accuracy && `${summary.final?.memoryCapacity !== undefined ? 'memory capacity' : 'test accuracy'}: ${accuracy}`, `backend: ${summary.backend}/${summary.executor}`, `\`${node.runDir}\``]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.contextValue = isActive(node.state) ? 'run.active' : 'run.finished';
    item.command = { command: 'plasticity.openDashboard', title: 'Open Dashboard', arguments: [node] };
    item.id = node.runDir;
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (node instanceof ExperimentGroup) return node.runs;
    if (node) return [];
    const groups = new Map<string, RunItem[]>();
    for (const stored of listRuns(this.runsDir())) {
      const live = this.manager.findByRunDir(stored.runDir);
      const state: RunState = live ? live.state : stored.summary.status;
      const progress = live && live.state === 'running' && live.totalSteps > 0 ? `${Math.floor((100 * live.step) / live.totalSteps)}%` : '';
      const group = groups.get(stored.summary.name) ?? [];
      group.push(new RunItem(stored, state, progress));
      groups.set(stored.summary.name, group);
    }
    return [...groups].map(([name, runs]) => new ExperimentGroup(name, runs));
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** A run outside a sweep: its start time and the rule's two numbers, e.g. "22:05:12 · θ=0.001 η=0.01". */
function describeUnlabelled(stored: StoredRun): string {
  const time = stored.summary.timing.startedAt.slice(11, 19);
  const rule = stored.config?.rule;
  return rule ? `${time} · θ=${JSON.stringify(rule.oja)} η=${rule.learningRate}` : `${time} · ${stored.runId}`;
}
