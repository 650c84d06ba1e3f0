/**
 * summary.json: what happened to a run, its final numbers and how fast it went. Free of
 * TensorFlow.js: the editor, the CLI and the workers all read and write it.
 */
import { hostname } from 'node:os';
import { version as plasticityLabVersion } from '../../package.json';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import type { EndedState, SummaryState } from '../protocol/runState';
import { meanAndSd } from '../shared/aggregate';
import { isEpisodic } from '../shared/finalMetrics';
import type { MetaEvaluation } from '../engine/meta/evaluation';

export const SUMMARY_FORMAT = 'plasticity-lab/summary@1';

export interface RunSummary {
  format: typeof SUMMARY_FORMAT;
  runId: string;
  name: string;
  /** What distinguishes this member of a sweep, e.g. "oja=0.001 seed=2"; "" otherwise. */
  label: string;
  status: SummaryState;
  reason?: string;
  steps: number;
  totalSteps: number;
  divergedAtStep?: number;
  /** memoryCapacity: memory-capacity runs' MC = Σ_k r²_k (their testAccuracy is MC / K). */
  final: { step: number; trainLoss: number | null; testLoss: number; testAccuracy: number; memoryCapacity?: number } | null;
  best: { step: number; testAccuracy: number } | null;
  weightNorms: number[];
  dataset: { description: string; trainCount: number; testCount: number };
  backend: string;
  executor: string;
  timing: { startedAt: string; endedAt: string | null; wallSec: number; trainSec: number; evalSec: number; stepsPerSec: number; evaluations: number };
  versions: { plasticityLab: string; tfjs: string; node: string };
  /** Few-shot runs: query accuracy and loss over all their episodes (final holds the means too). */
  episodes?: EpisodeOutcome;
  /** Meta-learning runs with meta.evaluate: the learned rule on fresh episodes at each K. */
  metaEvaluation?: MetaEvaluation[];
  /** Values the data could not honour and what the run did instead (a batch larger than the data…). */
  notes?: string[];
  /** The process that writes the run while it runs: a "running" run whose owner is gone was interrupted. */
  owner?: RunOwner;
}

export interface RunOwner {
  pid: number;
  host: string;
}

/** This process, as the owner of the runs it trains. */
export function thisProcess(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/** How a training ended, as the trainer reports it. */
export interface TrainingOutcome {
  status: EndedState;
  reason?: string;
  steps: number;
  totalSteps: number;
  divergedAtStep?: number;
  points: EvaluationPoint[];
  backend: string;
  executor: string;
  trainSec: number;
  evalSec: number;
  wallSec: number;
  metaEvaluation?: MetaEvaluation[];
}

/** The versions a run records; the TensorFlow.js version is passed in by whoever loaded it. */
export function versions(tfjs: string): RunSummary['versions'] {
  return { plasticityLab: plasticityLabVersion, tfjs, node: process.versions.node };
}

export interface EpisodeOutcome {
  count: number;
  accuracy: { mean: number; sd: number };
  loss: { mean: number; sd: number };
}

/**
 * A few-shot run's outcome: one episode's accuracy says little, so final is the mean over every
 * episode (what sweeps, seed means and verdicts compare) and best the highest moving average.
 */
function episodeOutcome(points: EvaluationPoint[]): Pick<RunSummary, 'final' | 'best' | 'weightNorms' | 'episodes'> {
  const last = points[points.length - 1]!;
  const accuracy = meanAndSd(points.map((p) => p.testAccuracy));
  const loss = meanAndSd(points.map((p) => p.testLoss));
  const trainLosses = points.flatMap((p) => (p.trainLoss === null ? [] : [p.trainLoss]));
  const top = points.reduce((a, b) => (b.episode!.movingAccuracy > a.episode!.movingAccuracy ? b : a));
  return {
    final: { step: last.step, trainLoss: trainLosses.length > 0 ? meanAndSd(trainLosses).mean : null, testLoss: loss.mean, testAccuracy: accuracy.mean },
    best: { step: top.step, testAccuracy: top.episode!.movingAccuracy },
    weightNorms: [],
    episodes: { count: points.length, accuracy, loss },
  };
}

/** What a run's recorded points say about its outcome. */
export function outcomeOf(points: EvaluationPoint[]): Pick<RunSummary, 'final' | 'best' | 'weightNorms' | 'episodes'> {
  if (isEpisodic(points)) return episodeOutcome(points);
  const last = points[points.length - 1];
  const best = points.reduce<RunSummary['best']>(
    (top, p) => (Number.isFinite(p.testAccuracy) && (!top || p.testAccuracy > top.testAccuracy) ? { step: p.step, testAccuracy: p.testAccuracy } : top),
    null,
  );
  return {
    final: last
      ? { step: last.step, trainLoss: last.trainLoss, testLoss: last.testLoss, testAccuracy: last.testAccuracy, ...(last.memory?.capacity !== undefined ? { memoryCapacity: last.memory.capacity } : {}) }
      : null,
    best,
    weightNorms: last ? weightNormsOf(last) : [],
  };
}

/** ‖W_l‖_F per layer; for a recurrent run W_in, W_rec and W_out (where the point has all three). */
function weightNormsOf(point: EvaluationPoint): number[] {
  const r = point.recurrent;
  if (r) return r.inputNorm !== undefined && r.outputNorm !== undefined ? [r.inputNorm, r.recurrentNorm, r.outputNorm] : [];
  return point.layers.map((l) => l.weightNorm);
}

export function finishedSummary(start: RunSummary, result: TrainingOutcome): RunSummary {
  return {
    ...start,
    status: result.status,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    steps: result.steps,
    totalSteps: result.totalSteps,
    ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
    ...outcomeOf(result.points),
    ...(result.metaEvaluation ? { metaEvaluation: result.metaEvaluation } : {}),
    // A diverged run has no final accuracy: its last finite point is from before it blew up, and
    // averaging it in would credit the run with a number it never ended with.
    ...(result.status === 'diverged' ? { final: null } : {}),
    backend: result.backend,
    executor: result.executor,
    timing: {
      ...start.timing,
      endedAt: new Date().toISOString(),
      wallSec: result.wallSec,
      trainSec: result.trainSec,
      evalSec: result.evalSec,
      stepsPerSec: result.trainSec > 0 ? result.steps / result.trainSec : 0,
      evaluations: result.points.length,
    },
  };
}
