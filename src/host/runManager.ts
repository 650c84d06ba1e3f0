/**
 * The host's source of truth about runs: it turns experiments into pool jobs (one per sweep
 * member), keeps the live state and points of every run it started, closes run folders that a dead
 * worker left "running", and tells anyone who listens how each run changes.
 */
import type { ExperimentConfig } from '../engine/config/schema';
import { expandSweep, type SweepMember } from '../engine/config/sweep';
import { SweepFolder } from '../runFiles/sweepFolder';
import type { ConfigIssue } from '../engine/config/issues';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import type { RunSummary } from '../runFiles/summary';
import { closeAbandonedRun, listRuns, readConfig, readPoints, readSummary } from '../runFiles/runStore';
import { describeFileError } from '../runFiles/fileErrors';
import type { WorkerPool } from './workerPool';
import type { JobEvent } from './jobEvents';
import type { BackendPreference, ExecutorPreference } from '../protocol/hostWorker';
import { isActive, type RunState } from '../protocol/runState';

export interface TrackedRun {
  jobId: string;
  name: string;
  label: string;
  config: ExperimentConfig;
  state: RunState;
  runId?: string;
  runDir?: string;
  step: number;
  totalSteps: number;
  points: EvaluationPoint[];
  summary?: RunSummary;
  issues?: ConfigIssue[];
  reason?: string;
  /** Request to first streamed point, in ms (the "instant rerun" measure). */
  firstPointMs?: number;
  warm?: boolean;
  /** When the worker began the run (performance.now()), for the live step rate. */
  startedAtMs?: number;
}

/** Steps per second so far for a running run (includes evaluation time). */
export function liveStepRate(run: TrackedRun, now = performance.now()): number | undefined {
  if (run.startedAtMs === undefined || run.step === 0) return undefined;
  const seconds = (now - run.startedAtMs) / 1000;
  return seconds > 0 ? run.step / seconds : undefined;
}

export type RunChange =
  | { kind: 'added'; run: TrackedRun }
  | { kind: 'state'; run: TrackedRun }
  | { kind: 'point'; run: TrackedRun; point: EvaluationPoint }
  | { kind: 'progress'; run: TrackedRun };

/** What the manager needs of a pool: the worker processes' pool, or the command line's in-process one. */
export type JobPool = Pick<WorkerPool, 'submit' | 'stop' | 'onEvent'>;

/** Where and how jobs run: asked at each submission, so a changed setting applies to the next run. */
export interface JobRuntime {
  backend: BackendPreference;
  executor: ExecutorPreference;
}

let nextJob = 0;

export class RunManager {
  private readonly runs = new Map<string, TrackedRun>();
  private readonly listeners = new Set<(change: RunChange) => void>();
  private readonly sweepMembers = new Map<string, { folder: SweepFolder; index: number }>();
  /** Members of each sweep folder that have not ended: at zero the folder is settled. */
  private readonly unsettled = new Map<SweepFolder, number>();
  private readonly waiters = new Map<TrackedRun, Array<(run: TrackedRun) => void>>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly pool: JobPool,
    private readonly runsDir: () => string,
    private readonly runtime: () => JobRuntime = () => ({ backend: 'auto', executor: 'auto' }),
    /** Keep each run's points in memory (views draw them); a command line running a large sweep does not. */
    private readonly options: { keepPoints: boolean } = { keepPoints: true },
  ) {
    this.subscription = pool.onEvent((event) => this.onJobEvent(event));
  }

  onDidChange(listener: (change: RunChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Queues every member of the experiment's sweep; returns the tracked runs in grid order. */
  start(config: ExperimentConfig, baseDir: string, options: { saveWeights?: boolean } = {}): TrackedRun[] {
    const members = expandSweep(config);
    return this.startSweep(config, members, members, baseDir, options);
  }

  /**
   * Queues `members` (all of the grid, or one shard of it) and records them in a sweep folder
   * (when the config has a sweep), kept up to date as each member starts and ends.
   */
  startSweep(config: ExperimentConfig, members: SweepMember[], all: SweepMember[], baseDir: string, options: { saveWeights?: boolean; shard?: string } = {}): TrackedRun[] {
    const folder = SweepFolder.create(this.runsDir(), config, members, all, options.shard ?? null);
    if (folder) this.unsettled.set(folder, members.length);
    return members.map((member) => this.startMember(member.config, member.label, baseDir, options, folder ? { folder, index: member.index } : undefined));
  }

  /** Queues one run (a config without a sweep) under the given sweep label. */
  startMember(
    config: ExperimentConfig, label: string, baseDir: string, options: { saveWeights?: boolean; resumeDir?: string; points?: EvaluationPoint[] } = {}, sweep?: { folder: SweepFolder; index: number },
  ): TrackedRun {
    const jobId = `job-${process.pid}-${++nextJob}`;
    const run: TrackedRun = { jobId, name: config.name, label, config, state: 'queued', step: 0, totalSteps: 0, points: [...(options.points ?? [])] };
    this.runs.set(jobId, run);
    if (sweep) this.sweepMembers.set(jobId, sweep);
    this.emit({ kind: 'added', run });
    this.pool.submit(jobId, {
      config, label, outDir: this.runsDir(), baseDir, saveWeights: options.saveWeights ?? false, ...this.runtime(), ...(options.resumeDir ? { resumeDir: options.resumeDir } : {}),
    });
    return run;
  }

  /**
   * Goes on with a stopped meta-learning run in its own folder, from its learned-rule.json (the
   * worker refuses anything else, naming why); its recorded points come along for the dashboard.
   */
  resume(runDir: string, baseDir: string): TrackedRun {
    const config = readConfig(runDir);
    if (!config) throw new Error(`${runDir} has no readable config.json`);
    return this.startMember(config, readSummary(runDir)?.label ?? '', baseDir, { resumeDir: runDir, points: readPoints(runDir) });
  }

  /** Runs a finished run's exact config again (its config.json), as a new run. */
  rerun(runDir: string, baseDir: string): TrackedRun[] {
    const config = readConfig(runDir);
    if (!config) throw new Error(`${runDir} has no readable config.json`);
    return [this.startMember(config, readSummary(runDir)?.label ?? '', baseDir)];
  }

  stop(jobId: string): void {
    this.pool.stop(jobId);
  }

  stopAll(): void {
    for (const run of this.runs.values()) if (isActive(run.state)) this.pool.stop(run.jobId);
  }

  get(jobId: string): TrackedRun | undefined {
    return this.runs.get(jobId);
  }

  findByRunDir(runDir: string): TrackedRun | undefined {
    return [...this.runs.values()].find((r) => r.runDir === runDir);
  }

  active(): TrackedRun[] {
    return [...this.runs.values()].filter((r) => isActive(r.state));
  }

  /** Resolves with the run once it has ended, however it ended. */
  settled(run: TrackedRun): Promise<TrackedRun> {
    if (!isActive(run.state)) return Promise.resolve(run);
    // A waiter per run, not a listener per run: a sweep of 100,000 members would call 100,000 listeners per event.
    return new Promise((resolve) => this.waiters.set(run, [...(this.waiters.get(run) ?? []), resolve]));
  }

  /** Closes run folders left "running" by a window or process that ended (none are ours yet). */
  recoverAbandoned(): number {
    let closed = 0;
    for (const stored of listRuns(this.runsDir())) {
      // listRuns has closed runs whose owner is gone; a run without an owner predates that record.
      if (stored.summary.status === 'running' && !stored.summary.owner && !this.findByRunDir(stored.runDir)) {
        closeAbandonedRun(stored.runDir, 'failed', 'interrupted: the editor or its worker ended before the run finished');
        closed++;
      }
    }
    return closed;
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  private emit(change: RunChange): void {
    const member = change.kind === 'state' ? this.sweepMembers.get(change.run.jobId) : undefined;
    if (member) {
      member.folder.update(member.index, { ...(change.run.runId ? { runId: change.run.runId } : {}), status: change.run.state });
      if (!isActive(change.run.state)) {
        this.sweepMembers.delete(change.run.jobId);
        const left = (this.unsettled.get(member.folder) ?? 1) - 1;
        this.unsettled.set(member.folder, left);
        if (left === 0) {
          this.unsettled.delete(member.folder);
          member.folder.settle();
        }
      }
    }
    for (const listener of this.listeners) listener(change);
    if (change.kind === 'state' && !isActive(change.run.state)) {
      const waiting = this.waiters.get(change.run);
      this.waiters.delete(change.run);
      waiting?.forEach((resolve) => resolve(change.run));
    }
  }

  private onJobEvent(event: JobEvent): void {
    const run = this.runs.get(event.jobId);
    if (!run) return;
    switch (event.type) {
      case 'queued':
        return;
      case 'started':
        Object.assign(run, { state: 'running', runId: event.runId, runDir: event.runDir, totalSteps: event.totalSteps, warm: event.warm, startedAtMs: performance.now() });
        this.emit({ kind: 'state', run });
        return;
      case 'point':
        if (this.options.keepPoints) run.points.push(event.point);
        run.step = event.point.step;
        if (run.firstPointMs === undefined) run.firstPointMs = event.latencyMs;
        this.emit({ kind: 'point', run, point: event.point });
        return;
      case 'progress':
        run.step = event.step;
        run.totalSteps = event.totalSteps;
        this.emit({ kind: 'progress', run });
        return;
      case 'finished':
        Object.assign(run, { state: event.summary.status, summary: event.summary, step: event.summary.steps });
        if (event.summary.reason) run.reason = event.summary.reason;
        this.emit({ kind: 'state', run });
        return;
      case 'rejected':
        Object.assign(run, { state: 'rejected', issues: event.issues, reason: event.issues.map((i) => `${i.path}: ${i.message}`).join('; ') });
        this.emit({ kind: 'state', run });
        return;
      case 'ended': {
        let reason = event.reason;
        let summary: RunSummary | null = null;
        try {
          summary = event.runDir ? closeAbandonedRun(event.runDir, event.status, event.reason) : null;
        } catch (error) {
          // The folder cannot be written (a full disk): the run still ends here, and says why.
          reason += `; its summary could not be updated (${describeFileError(error)?.line ?? (error as Error).message})`;
        }
        Object.assign(run, { state: event.status, reason });
        if (summary) run.summary = summary;
        this.emit({ kind: 'state', run });
        return;
      }
      case 'cancelled':
        run.state = 'cancelled';
        this.emit({ kind: 'state', run });
        return;
    }
  }
}
