/**
 * The dashboard panel: live curves of the runs it shows. The host keeps the list of runs and
 * answers the webview's ready handshake with a full snapshot, streams points as they arrive, and
 * re-sends everything when the panel becomes visible again (hidden webviews drop messages).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { liveStepRate, type RunChange, type RunManager, type TrackedRun } from '../host/runManager';
import { isActive, isRunState } from '../protocol/runState';
import { flatten } from '../shared/configDiff';
import { readRun } from '../runFiles/runStore';
import { parseDashboardMessage, type DashboardRun, type HostToDashboard } from '../protocol/hostDashboard';
import { attachApp, webviewRoots } from './webviewHtml';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';

export const DASHBOARD_VIEW_TYPE = 'plasticity.dashboard';
const SHOWN_RUNS_KEY = 'plasticity.dashboard.runs';
/** How often streamed points reach the webview, gathered. */
const POINTS_EVERY_MS = 100;

export class DashboardController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private keys: string[] = [];
  private readonly subscription: { dispose(): void };
  private readonly pendingPoints = new Map<string, EvaluationPoint[]>();
  private pointsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly maxPoints: () => number,
    private readonly baseDirFor: (runDir: string) => string,
    /** Workspace state: the host, not the webview, remembers which runs the dashboard shows. */
    private readonly memory: vscode.Memento,
  ) {
    this.subscription = manager.onDidChange((change) => this.onRunChange(change));
  }

  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        this.setKeys(this.memory.get<string[]>(SHOWN_RUNS_KEY, []).filter((k) => typeof k === 'string' && existsSync(k)));
        this.attach(panel);
      },
    });
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get shownKeys(): readonly string[] {
    return this.keys;
  }

  /** Opens (or reveals) the dashboard and adds runs to it: tracked runs or run folders. */
  show(runs: Array<TrackedRun | string> = [], options: { replace?: boolean } = {}): void {
    const keys = runs.map((r) => (typeof r === 'string' ? r : keyOf(r)));
    const next = options.replace ? [] : [...this.keys];
    for (const key of keys) if (!next.includes(key)) next.push(key);
    this.setKeys(next);
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Plasticity Dashboard', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
        enableScripts: true,
        localResourceRoots: webviewRoots(this.extensionUri),
      });
      this.attach(panel);
    } else {
      this.panel.reveal(undefined, true);
      this.sendSnapshot();
    }
  }

  /** Job ids stand in until a run has a folder; only folders are worth remembering. */
  private setKeys(keys: string[]): void {
    this.keys = keys;
    void this.memory.update(SHOWN_RUNS_KEY, keys.filter((k) => existsSync(k)));
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    attachApp(panel, this.extensionUri, 'dashboard', 'Plasticity Dashboard', {
      message: (raw) => this.onMessage(raw),
      visible: () => this.sendSnapshot(),
      disposed: () => (this.panel = undefined),
    });
  }

  private post(message: HostToDashboard): void {
    void this.panel?.webview.postMessage(message);
  }

  private sendSnapshot(): void {
    // The snapshot holds every point so far: the ones waiting to be sent would arrive twice.
    if (this.pointsTimer) clearTimeout(this.pointsTimer);
    this.pointsTimer = undefined;
    this.pendingPoints.clear();
    // A run whose folder is gone (deleted here or elsewhere) and that no worker runs leaves the dashboard.
    const present = this.keys.filter((key) => fromMemory(this.tracked(key)) || existsSync(key));
    if (present.length !== this.keys.length) this.setKeys(present);
    this.post({ type: 'host/snapshot', runs: this.keys.map((k) => this.describe(k, true)), maxPoints: this.maxPoints() });
  }

  /** Takes runs off the dashboard (their folders were deleted). */
  forget(runDirs: string[]): void {
    if (!runDirs.some((dir) => this.keys.includes(dir))) return;
    this.setKeys(this.keys.filter((key) => !runDirs.includes(key)));
    if (this.panel) this.sendSnapshot();
  }

  private tracked(key: string): TrackedRun | undefined {
    return this.manager.findByRunDir(key) ?? this.manager.get(key);
  }

  private describe(key: string, withPoints: boolean): DashboardRun {
    const live = this.tracked(key);
    if (fromMemory(live)) {
      const rate = liveStepRate(live);
      return {
        key,
        name: live.name,
        label: live.label,
        state: live.state,
        ...(rate !== undefined ? { stepsPerSec: rate } : {}),
        ...(live.reason ? { reason: live.reason } : {}),
        step: live.step,
        totalSteps: live.totalSteps,
        fields: flatten(live.config),
        points: withPoints ? [...live.points] : [],
      };
    }
    const { summary, points, config } = readRun(key);
    return {
      key,
      name: summary?.name ?? key,
      label: summary?.label ?? '',
      state: isRunState(summary?.status) ? summary.status : 'failed',
      ...(summary?.reason ? { reason: summary.reason } : {}),
      step: summary?.steps ?? 0,
      totalSteps: summary?.totalSteps ?? 0,
      ...(summary ? { backend: `${summary.backend}/${summary.executor}`, stepsPerSec: summary.timing.stepsPerSec } : {}),
      fields: flatten(config),
      points: withPoints ? points : [],
    };
  }

  private onRunChange(change: RunChange): void {
    if (!this.panel) return;
    const run = change.run;
    if (run.runDir && this.keys.includes(run.jobId)) {
      this.flushPoints();
      this.setKeys(this.keys.map((k) => (k === run.jobId ? run.runDir! : k)));
      this.post({ type: 'host/rekey', from: run.jobId, to: run.runDir });
    }
    const key = keyOf(run);
    if (!this.keys.includes(key)) return;
    if (change.kind === 'point') {
      // Batched: a fast run streams a point every few milliseconds; the webview gets them 10 times a second.
      const pending = this.pendingPoints.get(key);
      if (pending) pending.push(change.point);
      else this.pendingPoints.set(key, [change.point]);
      this.pointsTimer ??= setTimeout(() => this.flushPoints(), POINTS_EVERY_MS);
    } else {
      this.flushPoints();
      const { points: _, ...rest } = this.describe(key, false);
      this.post({ type: 'host/runUpdated', run: rest });
    }
  }

  /** Sends the points gathered since the last time, a message per run, in order. */
  private flushPoints(): void {
    if (this.pointsTimer) clearTimeout(this.pointsTimer);
    this.pointsTimer = undefined;
    for (const [key, points] of this.pendingPoints) this.post({ type: 'host/points', key, points });
    this.pendingPoints.clear();
  }

  private onMessage(raw: unknown): void {
    const message = parseDashboardMessage(raw);
    if (!message) return; // not ours, or malformed: dropped
    switch (message.type) {
      case 'dashboard/ready':
        this.sendSnapshot();
        return;
      case 'dashboard/stop': {
        // Only runs this panel shows: a webview acts on nothing else.
        if (!this.keys.includes(message.key)) return;
        const run = this.tracked(message.key);
        if (run) this.manager.stop(run.jobId);
        return;
      }
      case 'dashboard/rerun': {
        if (!this.keys.includes(message.key) || !existsSync(message.key)) return;
        const runs = this.manager.rerun(message.key, this.baseDirFor(message.key));
        this.show(runs);
        return;
      }
      case 'dashboard/remove':
        this.setKeys(this.keys.filter((k) => k !== message.key));
        this.sendSnapshot();
        return;
    }
  }

  dispose(): void {
    if (this.pointsTimer) clearTimeout(this.pointsTimer);
    this.subscription.dispose();
    this.panel?.dispose();
  }
}

/** A run this window is running (or that never made a folder): described from memory, not disk. */
function fromMemory(run: TrackedRun | undefined): run is TrackedRun {
  return run !== undefined && (isActive(run.state) || !run.runDir);
}

function keyOf(run: TrackedRun): string {
  return run.runDir ?? run.jobId;
}
