/**
 * `plasticity-lab run FILE`: runs an experiment, every member of its sweep: in this process one
 * after another (`--workers 1`), or on warm worker processes at once (a worker per core by default).
 */
import { dirname, join, resolve } from 'node:path';
import { expandSweep, type SweepMember } from '../engine/config/sweep';
import { parseShard, shardMembers } from '../engine/config/shard';
import { WorkerPool } from '../host/workerPool';
import { commandLineWorkers } from '../host/workerCount';
import { RunManager, type TrackedRun } from '../host/runManager';
import { runExperiment } from '../engine/run/runExperiment';
import { SweepFolder } from '../engine/run/sweepFolder';
import type { ExperimentConfig } from '../engine/config/schema';
import type { RunSummary } from '../engine/run/summary';
import type { BackendPreference } from '../engine/backend';
import type { ExecutorName } from '../engine/executors/executor';
import { loadExperimentFile } from './experimentFile';
import { createProgress, createSweepProgress } from './progress';
import { comparisonTable, seedAggregateTable } from './report';

export interface RunOptions {
  out: string;
  set: string[];
  steps?: number;
  saveWeights: boolean;
  json: boolean;
  backend: BackendPreference;
  executor: 'auto' | ExecutorName;
  /** Worker processes; above 1, members run in parallel on warm workers. */
  workers: number | 'auto';
  /** "i/n": run only the i-th of n round-robin slices of the sweep. */
  shard?: string;
}

export const EXIT = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

export async function runCommand(file: string, options: RunOptions): Promise<number> {
  const config = loadExperimentFile(file, { set: options.set, ...(options.steps !== undefined ? { steps: options.steps } : {}) });
  const all = expandSweep(config);
  const members = options.shard ? shardMembers(all, parseShard(options.shard)) : all;
  const outDir = resolve(options.out);
  const workers = options.workers === 'auto' ? commandLineWorkers(members.length) : options.workers;
  if (workers > 1) return runOnWorkers(config, members, all, file, outDir, { ...options, workers });
  const sweep = SweepFolder.create(outDir, config, members, all, options.shard ?? null);
  const progress = createProgress();
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const summaries: RunSummary[] = [];
  try {
    for (const [position, member] of members.entries()) {
      if (stop.signal.aborted) break;
      const title = memberTitle(config, member, position, members.length);
      const outcome = await runExperiment({
        config: member.config,
        label: member.label,
        outDir,
        baseDir: dirname(resolve(file)),
        backend: options.backend,
        executor: options.executor,
        saveWeights: options.saveWeights,
        signal: stop.signal,
        onStart: ({ runId, totalSteps }) => {
          sweep?.update(member.index, { runId, status: 'running' });
          progress.start(title, totalSteps);
        },
        onPoint: (point) => progress.update(point.step, { accuracy: point.testAccuracy }),
        onStep: (step) => {
          if ((step & 63) === 0) progress.update(step, {});
        },
      });
      summaries.push(outcome.summary);
      sweep?.update(member.index, { status: outcome.summary.status });
      progress.stop(finishedLine(title, outcome.summary, outcome.runDir));
      if (options.json) writeJsonLine(outcome.summary, outcome.runDir);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    sweep?.settleUnstarted('cancelled');
  }
  return report(summaries, options.json, stop.signal.aborted);
}

/** "name [label] (k/n)", counting within this shard. */
function memberTitle(config: ExperimentConfig, member: SweepMember, position: number, count: number): string {
  return `${config.name}${member.label ? ` [${member.label}]` : ''} (${position + 1}/${count})`;
}

function finishedLine(title: string, summary: RunSummary, runDir: string): string {
  const accuracy = summary.final ? `${(100 * summary.final.testAccuracy).toFixed(2)}%` : '—';
  return `${title}: ${summary.status}${summary.reason ? ` (${summary.reason})` : ''}, test accuracy ${accuracy} → ${runDir}`;
}

function writeJsonLine(summary: RunSummary, runDir: string): void {
  process.stdout.write(jsonLine(summary, runDir));
}

function jsonLine(summary: RunSummary, runDir: string): string {
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

function report(summaries: RunSummary[], json: boolean, interrupted: boolean): number {
  const out = json ? process.stderr : process.stdout;
  out.write(`${comparisonTable(summaries)}\n`);
  const aggregate = seedAggregateTable(summaries);
  if (aggregate) out.write(`${aggregate}\n`);
  if (interrupted) return EXIT.interrupted;
  return summaries.every((s) => s.status === 'completed') ? EXIT.ok : EXIT.runFailed;
}

/** Members on `workers` warm worker processes at once (the pool the editor uses). */
async function runOnWorkers(config: ExperimentConfig, members: SweepMember[], all: SweepMember[], file: string, outDir: string, options: RunOptions & { workers: number }): Promise<number> {
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), maxWorkers: options.workers, env: { PLASTICITY_BACKEND: options.backend, PLASTICITY_EXECUTOR: options.executor } });
  const manager = new RunManager(pool, () => outDir);
  const summaries: RunSummary[] = [];
  const unfinished: string[] = [];
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    manager.stopAll();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const progress = createSweepProgress();
  const titles = new Map<TrackedRun, string>();
  const watching = manager.onDidChange((change) => {
    const title = titles.get(change.run);
    if (title === undefined) return;
    if (change.kind === 'state' && change.run.state === 'running') progress.start(change.run.jobId, title, change.run.totalSteps);
    else if (change.kind === 'progress') progress.update(change.run.jobId, change.run.step, {});
    else if (change.kind === 'point') progress.update(change.run.jobId, change.point.step, { accuracy: change.point.testAccuracy });
  });
  try {
    const runs = manager.startSweep(config, members, all, dirname(resolve(file)), { saveWeights: options.saveWeights, ...(options.shard ? { shard: options.shard } : {}) });
    runs.forEach((run, k) => titles.set(run, memberTitle(config, members[k]!, k, members.length)));
    const emit = gridOrderWriter(runs.length, (text) => {
      if (options.json && text) process.stdout.write(text);
    });
    await Promise.all(
      runs.map(async (run, position) => {
        await manager.settled(run);
        const title = titles.get(run)!;
        if (run.summary && run.runDir) {
          summaries.push(run.summary);
          progress.stop(run.jobId, finishedLine(title, run.summary, run.runDir));
          emit(position, jsonLine(run.summary, run.runDir));
        } else {
          emit(position, '');
          unfinished.push(run.state);
          progress.stop(run.jobId, `${title}: ${run.state}${run.reason ? ` (${run.reason})` : ''}`);
        }
      }),
    );
  } finally {
    watching.dispose();
    progress.close();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    manager.dispose();
    pool.dispose();
  }
  // Grid order, whatever order they finished in.
  summaries.sort((a, b) => members.findIndex((m) => m.label === a.label) - members.findIndex((m) => m.label === b.label));
  const code = report(summaries, options.json, interrupted);
  if (unfinished.includes('rejected')) return EXIT.badInput;
  return unfinished.length > 0 && code === EXIT.ok ? EXIT.runFailed : code;
}
