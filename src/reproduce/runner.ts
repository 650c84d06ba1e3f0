/**
 * Runs the arms a reproduction needs through the run manager (on whichever pool it is given):
 * every fixed arm's seeds and every tuning grid at once; a tuned arm's seeds as soon as its grid
 * has finished, at the values that scored best on the validation split.
 */
import { setPath } from '../engine/config/paths';
import { parseExperiment } from '../engine/config/validate';
import { expandSweep } from '../engine/config/sweep';
import type { ExperimentConfig } from '../engine/config/schema';
import type { RunManager, TrackedRun } from '../host/runManager';
import type { ArmSpec } from './claims';
import type { ArmRun } from './evaluate';

/** Training samples held out for tuning (the last of the training split; the test split is never used). */
export const VALIDATION_SIZE = 2000;
const TUNING_SEED = 1;

export interface Tuning {
  /** The values chosen, e.g. { "rule.learningRate": 0.01, "rule.oja": 0.0003 }. */
  chosen: Record<string, unknown>;
  /** Every grid point with its validation accuracy (null: diverged or failed). */
  grid: Array<{ values: Record<string, unknown>; accuracy: number | null; runDir: string | null }>;
}

export interface ArmResult {
  arm: ArmSpec;
  runs: ArmRun[];
  tuning?: Tuning;
  /** Runs that did not finish with a summary (rejected, failed to start). */
  problems: string[];
}

function config(document: Record<string, unknown>, name: string, seed: number, set: Record<string, unknown> = {}): ExperimentConfig {
  const copy = structuredClone(document);
  copy.name = name;
  copy.seed = seed;
  for (const [path, value] of Object.entries(set)) setPath(copy, path, value);
  return parseExperiment(copy, name);
}

async function settledAll(manager: RunManager, runs: TrackedRun[]): Promise<TrackedRun[]> {
  return Promise.all(runs.map((run) => manager.settled(run)));
}

/** A run that is a result: it completed or diverged (a stopped run's numbers are those of a shorter run). */
function toArmRun(run: TrackedRun, seed: number): ArmRun | null {
  const ended = run.summary?.status === 'completed' || run.summary?.status === 'diverged';
  // The reproduction's manager keeps every run's points (claims read diagnostics from them).
  return ended && run.runDir ? { seed, runDir: run.runDir, summary: run.summary!, points: run.points } : null;
}

/** How many runs an arm's tuning grid takes (0 for an arm that is not tuned). */
export function tuningSize(arm: ArmSpec): number {
  return arm.tune ? Object.values(arm.tune).reduce((product, values) => product * values.length, 1) : 0;
}

async function tune(manager: RunManager, arm: ArmSpec, baseDir: string): Promise<Tuning> {
  const grid = config(arm.config, `${arm.id} (tuning)`, TUNING_SEED, { 'data.validationSize': VALIDATION_SIZE, sweep: arm.tune });
  const members = expandSweep(grid);
  const runs = await settledAll(manager, manager.startSweep(grid, members, members, baseDir));
  const scored = members.map((member, k) => {
    const summary = runs[k]!.summary;
    const accuracy = summary && summary.status === 'completed' && summary.final ? summary.final.testAccuracy : null;
    return { values: member.assignments, accuracy, runDir: runs[k]!.runDir ?? null };
  });
  const best = scored.reduce<(typeof scored)[number] | null>((top, point) => (point.accuracy !== null && (!top || point.accuracy > top.accuracy!) ? point : top), null);
  // Nothing trained on the grid: keep the arm's own values, and say so in the report.
  return { chosen: best?.values ?? {}, grid: scored };
}

async function runArm(manager: RunManager, arm: ArmSpec, seeds: number[], baseDir: string, signal?: AbortSignal): Promise<ArmResult> {
  const tuning = arm.tune && !signal?.aborted ? await tune(manager, arm, baseDir) : undefined;
  // Stopped before its seeds could start (a tuned arm waits for its grid): none start.
  if (signal?.aborted) return { arm, runs: [], ...(tuning ? { tuning } : {}), problems: ['not run: the reproduction was stopped'] };
  const tracked = seeds.map((seed) => manager.startMember(config(arm.config, arm.id, seed, tuning?.chosen), `seed=${seed}`, baseDir));
  const ended = await settledAll(manager, tracked);
  const runs: ArmRun[] = [];
  const problems: string[] = [];
  ended.forEach((run, k) => {
    const armRun = toArmRun(run, seeds[k]!);
    if (armRun) runs.push(armRun);
    else problems.push(`seed ${seeds[k]}: ${run.state}${run.reason ? ` (${run.reason})` : ''}`);
  });
  return { arm, runs, ...(tuning ? { tuning } : {}), problems };
}

/**
 * Runs every arm; `onArm` hears of each as it completes (claims are judged as their arms finish).
 * Once `signal` aborts, no run starts (the caller stops those going).
 */
export async function runArms(
  manager: RunManager, arms: ArmSpec[], seeds: number[], baseDir: string, onArm: (result: ArmResult) => void, signal?: AbortSignal,
): Promise<Map<string, ArmResult>> {
  const results = new Map<string, ArmResult>();
  await Promise.all(
    arms.map(async (arm) => {
      const result = await runArm(manager, arm, seeds, baseDir, signal);
      results.set(arm.id, result);
      onArm(result);
    }),
  );
  return results;
}
