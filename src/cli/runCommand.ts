/**
 * `plasticity-lab run FILE`: runs an experiment, every member of its sweep, through the run manager
 * the editor uses. `--workers 1` hands it a pool that runs members here one after another; more
 * workers, a pool of warm worker processes that run members at once. Nothing else differs.
 */
import { dirname, resolve } from 'node:path';
import { finalHeadline } from '../shared/finalMetrics';
import { expandSweep, LARGE_SWEEP, sweepSize, type SweepMember } from '../engine/config/sweep';
import { parseShard, shardMembers } from '../engine/config/shard';
import { commandLineWorkers } from '../host/workerCount';
import { RunManager, type JobPool, type TrackedRun } from '../host/runManager';
import type { ExperimentConfig } from '../engine/config/schema';
import type { RunSummary } from '../runFiles/summary';
import type { BackendPreference, ExecutorPreference } from '../protocol/hostWorker';
import { loadExperimentFile } from './experimentFile';
import { createSweepProgress, progressUnit } from './progress';
import { comparisonTable, seedAggregateTable } from './report';
import { commandPool, stopOnInterrupt } from './commandRuns';
import { ensureFolder, UsageError } from '../runFiles/fileErrors';
import { initBackend } from '../engine/backend';
import { badInputIssues } from '../engine/badInput';

export interface RunOptions {
  out: string;
  set: string[];
  steps?: number;
  saveWeights: boolean;
  json: boolean;
  backend: BackendPreference;
  executor: ExecutorPreference;
  /** Worker processes; 1 runs members in this process, one after another. */
  workers: number | 'auto';
  /** "i/n": run only the i-th of n round-robin slices of the sweep. */
  shard?: string;
  /** Run a sweep of more than LARGE_SWEEP members without asking. */
  yes?: boolean;
}

export const EXIT = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

/** Above this many members the per-run comparison table is left out (the seed table and export remain). */
const TABLE_ROWS = 200;

export async function runCommand(file: string, options: RunOptions): Promise<number> {
  const config = loadExperimentFile(file, { set: options.set, ...(options.steps !== undefined ? { steps: options.steps } : {}) });
  const size = sweepSize(config);
  if (size > LARGE_SWEEP && !options.yes) {
    throw new UsageError(`${file}: the sweep has ${size.toLocaleString('en-US')} members (more than ${LARGE_SWEEP.toLocaleString('en-US')}); add --yes to run them all, or split them with --shard i/n`);
  }
  const all = expandSweep(config);
  const members = options.shard ? shardMembers(all, parseShard(options.shard)) : all;
  const workers = options.workers === 'auto' ? commandLineWorkers(members.length) : options.workers;
  ensureFolder(resolve(options.out), '--out');
  if (options.backend !== 'auto') await checkBackend(options.backend);
  const pool = commandPool(workers);
  try {
    return await runMembers(pool, config, members, all, file, options);
  } finally {
    pool.dispose();
  }
}

/** A backend named on the command line must load here, or nothing starts (one line, exit 2). */
async function checkBackend(backend: Exclude<BackendPreference, 'auto'>): Promise<void> {
  try {
    await initBackend(backend);
  } catch (error) {
    const issues = badInputIssues(error);
    throw issues ? new UsageError(`--backend ${backend}: ${issues.map((i) => i.message).join('; ')}`) : error;
  }
}

/** Runs `members` on `pool`, with a progress bar each, and reports them in grid order. */
async function runMembers(pool: JobPool, config: ExperimentConfig, members: SweepMember[], all: SweepMember[], file: string, options: RunOptions): Promise<number> {
  const manager = new RunManager(pool, () => resolve(options.out), () => ({ backend: options.backend, executor: options.executor }), { keepPoints: false });
  const interrupt = stopOnInterrupt(manager);
  const progress = createSweepProgress();
  const titles = new Map<TrackedRun, string>();
  const units = new Map<TrackedRun, string>();
  const watching = manager.onDidChange((change) => {
    const title = titles.get(change.run);
    if (title === undefined) return;
    if (change.kind === 'state' && change.run.state === 'running') progress.start(change.run.jobId, title, change.run.totalSteps, units.get(change.run));
    else if (change.kind === 'progress') progress.update(change.run.jobId, change.run.step, {});
    else if (change.kind === 'point') progress.update(change.run.jobId, change.point.step, { accuracy: change.point.episode?.movingAccuracy ?? change.point.testAccuracy });
  });
  const ended: TrackedRun[] = [];
  let cancelled = 0;
  try {
    const runs = manager.startSweep(config, members, all, dirname(resolve(file)), { saveWeights: options.saveWeights, ...(options.shard ? { shard: options.shard } : {}) });
    runs.forEach((run, k) => {
      titles.set(run, memberTitle(config, members[k]!, k, members.length));
      units.set(run, progressUnit(members[k]!.config));
    });
    const emit = gridOrderWriter(runs.length, (text) => {
      if (options.json && text) process.stdout.write(text);
    });
    await Promise.all(
      runs.map(async (run, position) => {
        await manager.settled(run);
        ended[position] = run;
        const title = titles.get(run)!;
        if (run.summary && run.runDir) {
          const notes = (run.summary.notes ?? []).map((note) => `\n  note: ${note}`).join('');
          progress.stop(run.jobId, `${finishedLine(title, run.summary, run.runDir)}${notes}`);
          emit(position, jsonLine(run.summary, run.runDir));
        } else if (run.state === 'cancelled') {
          // Never started (a Ctrl-C): counted into one line below, not a line each.
          cancelled++;
          emit(position, '');
        } else if (run.state === 'rejected') {
          // Bad input: one line naming the file and the problem.
          progress.stop(run.jobId, `error: ${file}${members.length > 1 ? ` [${run.label}]` : ''}: ${run.reason}`);
          emit(position, '');
        } else {
          progress.stop(run.jobId, `${title}: ${run.state}${run.reason ? ` (${run.reason})` : ''}`);
          emit(position, '');
        }
      }),
    );
    if (cancelled > 0) progress.log(`${cancelled.toLocaleString('en-US')} member${cancelled === 1 ? '' : 's'} cancelled before starting (recorded in the sweep folder)`);
  } finally {
    watching.dispose();
    progress.close();
    interrupt.dispose();
    manager.dispose();
  }
  return report(ended, options.json, interrupt.interrupted);
}

/** "name [label] (k/n)", counting within this shard. */
function memberTitle(config: ExperimentConfig, member: SweepMember, position: number, count: number): string {
  return `${config.name}${member.label ? ` [${member.label}]` : ''} (${position + 1}/${count})`;
}

export function finishedLine(title: string, summary: RunSummary, runDir: string): string {
  const accuracy = summary.final ? finalHeadline(summary.final, 2) : '—';
  const episodes = summary.episodes;
  const what = episodes
    ? `query accuracy ${accuracy} ± ${(100 * episodes.accuracy.sd).toFixed(2)} (mean ± sd over ${episodes.count} episodes)`
    : summary.final?.memoryCapacity !== undefined ? `memory capacity ${accuracy}` : `test accuracy ${accuracy}`;
  const evaluation = (summary.metaEvaluation ?? [])
    .map((e) => `K=${e.shots} ${(100 * e.accuracy.mean).toFixed(1)}% ± ${(100 * e.accuracy.sd).toFixed(1)}${e.divergedAtEpisode !== undefined ? ` (diverged at episode ${e.divergedAtEpisode})` : ''}`)
    .join(', ');
  return `${title}: ${summary.status}${summary.reason ? ` (${summary.reason})` : ''}, ${what} → ${runDir}${evaluation ? `\n  the learned rule on fresh episodes (query accuracy, mean ± sd): ${evaluation}` : ''}`;
}

export function jsonLine(summary: RunSummary, runDir: string): string {
  return (
    `${JSON.stringify({
      runDir,
      runId: summary.runId,
      label: summary.label,
      status: summary.status,
      ...(summary.reason ? { reason: summary.reason } : {}),
      ...(summary.divergedAtStep !== undefined ? { divergedAtStep: summary.divergedAtStep } : {}),
      steps: summary.steps,
      final: summary.final,
      ...(summary.metaEvaluation ? { metaEvaluation: summary.metaEvaluation } : {}),
    })}\n`
  );
}

/**
 * Writes members' lines in grid order as soon as every earlier member has ended, whatever order
 * parallel workers finish in: scripts reading `--json` see the same order on any machine.
 */
function gridOrderWriter(count: number, write: (text: string) => void): (position: number, text: string) => void {
  const waiting: Array<string | undefined> = new Array(count);
  let next = 0;
  return (position, text) => {
    waiting[position] = text;
    for (; next < count && waiting[next] !== undefined; next++) write(waiting[next]!);
  };
}

/** The tables over every member that ran (grid order), and the exit code for the whole command. */
function report(ended: TrackedRun[], json: boolean, interrupted: boolean): number {
  const summaries = ended.flatMap((run): RunSummary[] => (run.summary ? [run.summary] : []));
  const out = json ? process.stderr : process.stdout;
  if (summaries.length > TABLE_ROWS) out.write(`(the table of each run is left out for ${summaries.length.toLocaleString('en-US')} runs; plasticity-lab export gives every number)\n`);
  else if (summaries.length > 0) out.write(`${comparisonTable(summaries)}\n`);
  const aggregate = seedAggregateTable(summaries);
  if (aggregate) out.write(`${aggregate}\n`);
  if (interrupted) return EXIT.interrupted;
  if (ended.some((run) => run.state === 'rejected')) return EXIT.badInput;
  return ended.every((run) => run.state === 'completed') ? EXIT.ok : EXIT.runFailed;
}
