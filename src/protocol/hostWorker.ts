/**
 * The host⇄worker protocol: every message between a host (the extension, the command line) and a
 * training worker. Named by direction; requests carry the job id they concern. Both ends validate
 * what arrives, field by field, and drop anything malformed.
 */
import type { ExperimentConfig } from '../engine/config/schema';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import type { RunSummary } from '../runFiles/summary';
import type { ConfigIssue } from '../engine/config/issues';
import { isEndedState } from './runState';
import { isCount, isMetric, isNonEmptyString, isNumber, isRecord, isString, messageFields, type Fields } from './guards';

/** TensorFlow.js backends, in the order `auto` tries them (native when installed, else wasm, else cpu). */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = 'auto' | BackendName;
/** online: WebAssembly SIMD at batch size 1; online-js: its plain TypeScript reference; tfjs: batches. */
export const EXECUTORS = ['online', 'online-js', 'tfjs'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];
export type ExecutorPreference = 'auto' | ExecutorName;

/** Everything a worker needs to run one member: nothing reaches it through its environment. */
export interface RunJobSpec {
  config: ExperimentConfig;
  label: string;
  outDir: string;
  baseDir: string;
  saveWeights: boolean;
  backend: BackendPreference;
  executor: ExecutorPreference;
  /** A stopped meta-learning run's folder to go on with, in place of starting `config` afresh. */
  resumeDir?: string;
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

/** A worker's message about one job (every message but `worker/ready`). */
export type JobMessage = Exclude<WorkerToHost, { type: 'worker/ready' }>;

const oneOf = <T extends string>(list: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);
const isBackendName = oneOf(BACKENDS);
export const isBackendPreference = (v: unknown): v is BackendPreference => v === 'auto' || isBackendName(v);
export const isExecutorName = oneOf(EXECUTORS);
const isExecutorPreference = (v: unknown): v is ExecutorPreference => v === 'auto' || isExecutorName(v);

function isPoint(v: unknown): v is EvaluationPoint {
  return (
    isRecord(v) && isCount(v.step) && isNumber(v.epoch) && isMetric(v.trainLoss) && isMetric(v.testLoss) && isMetric(v.testAccuracy) && isNumber(v.elapsedSec) &&
    Array.isArray(v.layers) && v.layers.every(isRecord) &&
    (v.memory === undefined || isMemoryCurve(v.memory)) && (v.recurrent === undefined || isRecord(v.recurrent))
  );
}

/** A recurrent point's memory curve: as many accuracies (or r²) and losses as delays, and MC where it is r². */
function isMemoryCurve(v: unknown): boolean {
  if (!isRecord(v) || !Array.isArray(v.delays) || !Array.isArray(v.accuracy) || !Array.isArray(v.loss) || (v.axis !== undefined && v.axis !== 'position')) return false;
  if ((v.metric !== undefined && v.metric !== 'r2') || (v.capacity !== undefined && !isNumber(v.capacity))) return false;
  const n = v.delays.length;
  return v.accuracy.length === n && v.loss.length === n && [...v.delays, ...v.accuracy, ...v.loss].every(isMetric);
}

function isSummary(v: unknown): v is RunSummary {
  return isRecord(v) && isNonEmptyString(v.runId) && isString(v.name) && isString(v.label) && isEndedState(v.status) && isCount(v.steps) && isCount(v.totalSteps) && isRecord(v.timing);
}

function isIssue(v: unknown): v is ConfigIssue {
  return isRecord(v) && isString(v.path) && isString(v.message);
}

function isJob(v: unknown): v is RunJobSpec {
  return isRecord(v) && isRecord(v.config) && isString(v.label) && isNonEmptyString(v.outDir) && isNonEmptyString(v.baseDir) && typeof v.saveWeights === 'boolean' && isBackendPreference(v.backend) && isExecutorPreference(v.executor) && (v.resumeDir === undefined || isNonEmptyString(v.resumeDir));
}

/** Checks per message type, on the fields beyond `type`. */
const WORKER_MESSAGES: Record<WorkerToHost['type'], (m: Fields) => boolean> = {
  'worker/ready': (m) => isString(m.backend) && isNumber(m.loadMs),
  'worker/started': (m) => isNonEmptyString(m.jobId) && isNonEmptyString(m.runId) && isNonEmptyString(m.runDir) && isCount(m.totalSteps) && isNumber(m.receivedAt),
  'worker/point': (m) => isNonEmptyString(m.jobId) && isPoint(m.point) && isNumber(m.sentAt),
  'worker/progress': (m) => isNonEmptyString(m.jobId) && isCount(m.step) && isCount(m.totalSteps),
  'worker/finished': (m) => isNonEmptyString(m.jobId) && isSummary(m.summary),
  'worker/rejected': (m) => isNonEmptyString(m.jobId) && Array.isArray(m.issues) && m.issues.every(isIssue),
  'worker/failed': (m) => isNonEmptyString(m.jobId) && isString(m.message),
};

const HOST_MESSAGES: Record<HostToWorker['type'], (m: Fields) => boolean> = {
  'host/start': (m) => isNonEmptyString(m.jobId) && isJob(m.job) && isNumber(m.sentAt),
  'host/stop': (m) => isNonEmptyString(m.jobId),
  'host/shutdown': () => true,
};

/** A well-formed worker message, or null (dropped by the host). */
export function parseWorkerMessage(value: unknown): WorkerToHost | null {
  const m = messageFields(value);
  const check = m && Object.hasOwn(WORKER_MESSAGES, m.type) ? WORKER_MESSAGES[m.type as WorkerToHost['type']] : undefined;
  return m && check?.(m) ? (m as unknown as WorkerToHost) : null;
}

/** A well-formed host message, or null (dropped by the worker). */
export function parseHostMessage(value: unknown): HostToWorker | null {
  const m = messageFields(value);
  const check = m && Object.hasOwn(HOST_MESSAGES, m.type) ? HOST_MESSAGES[m.type as HostToWorker['type']] : undefined;
  return m && check?.(m) ? (m as unknown as HostToWorker) : null;
}
