/** summary.json: what happened to a run, its final numbers and how fast it went. */
import type { TrainResult, RunStatus } from '../trainer';
import { version as plasticityLabVersion } from '../../../package.json';
import { tfjsVersion } from '../backend';
import { outcomeOf } from './outcome';

export const SUMMARY_FORMAT = 'plasticity-lab/summary@1';

export interface RunSummary {
  format: typeof SUMMARY_FORMAT;
  runId: string;
  name: string;
  /** What distinguishes this member of a sweep, e.g. "oja=0.001 seed=2"; "" otherwise. */
  label: string;
  status: RunStatus | 'running';
  reason?: string;
  steps: number;
  totalSteps: number;
  divergedAtStep?: number;
  final: { step: number; trainLoss: number | null; testLoss: number; testAccuracy: number } | null;
  best: { step: number; testAccuracy: number } | null;
  weightNorms: number[];
  dataset: { description: string; trainCount: number; testCount: number };
  backend: string;
  executor: string;
  timing: { startedAt: string; endedAt: string | null; wallSec: number; trainSec: number; evalSec: number; stepsPerSec: number; evaluations: number };
  versions: { plasticityLab: string; tfjs: string; node: string };
}

export function versions(): RunSummary['versions'] {
  return { plasticityLab: plasticityLabVersion, tfjs: tfjsVersion(), node: process.versions.node };
}

export function finishedSummary(start: RunSummary, result: TrainResult): RunSummary {
  return {
    ...start,
    status: result.status,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    steps: result.steps,
    totalSteps: result.totalSteps,
    ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
    ...outcomeOf(result.points),
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
