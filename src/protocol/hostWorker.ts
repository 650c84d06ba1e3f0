/**
 * The host⇄worker protocol: every message between the extension host (or any other host) and a
 * training worker process. Named by direction; requests carry the job id they concern.
 */
import type { ExperimentConfig } from '../engine/config/schema';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import type { RunSummary } from '../engine/run/summary';
import type { ConfigIssue } from '../engine/config/issues';

export interface RunJobSpec {
  config: ExperimentConfig;
  label: string;
  outDir: string;
  baseDir: string;
  saveWeights: boolean;
}

export type HostToWorker =
  | { type: 'host/start'; jobId: string; job: RunJobSpec; sentAt: number }
  | { type: 'host/stop'; jobId: string }
  | { type: 'host/shutdown' };

export type WorkerToHost =
  /** The backend and bundled data are loaded; the worker takes jobs from now on. */
  | { type: 'worker/ready'; backend: string; loadMs: number }
  | { type: 'worker/started'; jobId: string; runId: string; runDir: string; totalSteps: number; receivedAt: number }
  | { type: 'worker/point'; jobId: string; point: EvaluationPoint; sentAt: number }
  | { type: 'worker/progress'; jobId: string; step: number; totalSteps: number }
  | { type: 'worker/finished'; jobId: string; summary: RunSummary }
  /** Bad input found before a run folder was made (data that does not fit, unreadable files). */
  | { type: 'worker/rejected'; jobId: string; issues: ConfigIssue[] }
  | { type: 'worker/failed'; jobId: string; message: string };

export function isWorkerToHost(value: unknown): value is WorkerToHost {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('worker/');
}

export function isHostToWorker(value: unknown): value is HostToWorker {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('host/');
}
