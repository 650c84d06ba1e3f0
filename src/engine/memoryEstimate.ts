/**
 * What a run will need in memory, estimated before it starts from the allocations it makes, so a
 * network that cannot fit is refused at once with the estimate and the limit, instead of failing
 * minutes later inside the tensor library.
 */
import { totalmem } from 'node:os';
import type { ExperimentConfig } from './config/schema';
import type { ConfigIssue } from './config/issues';
import type { ExecutorName } from './executors/executor';

const FLOAT = 4;
/** Our kernels' instances: a wasm32 memory grows to at most 4 GiB. */
export const KERNEL_MEMORY_LIMIT = 4 * 1024 ** 3;
/**
 * TensorFlow.js's wasm backend aborts ("memory access out of bounds") near 2 GiB: measured on this
 * engine, a [784, 14000, 10] network (estimated 1.75 GiB) runs and [784, 16000, 10] (2.25 GiB) fails.
 */
export const WASM_BACKEND_MEMORY_LIMIT = 2 * 1024 ** 3;
/** Leave a quarter of the machine to everything else. */
export const PROCESS_MEMORY_SHARE = 0.75;
/** Test samples the SIMD evaluation forwards at a time (testSetForward's chunk). */
const TEST_CHUNK = 500;

export interface DataCounts {
  trainCount: number;
  testCount: number;
  inputSize: number;
}

export interface MemoryEstimate {
  /** Each separately limited memory: bytes, what it holds, and its limit (null: only the machine's). */
  parts: Array<{ bytes: number; what: string; limit: number | null }>;
  /** The whole process, in bytes. */
  totalBytes: number;
}

export function estimateMemory(config: ExperimentConfig, data: DataCounts, executor: ExecutorName, backend: string): MemoryEstimate {
  const layers = config.model.layers;
  const pairs = layers.slice(1).map((nOut, l) => ({ nIn: layers[l]!, nOut }));
  const params = pairs.reduce((sum, { nIn, nOut }) => sum + nOut * nIn + (config.model.bias ? nOut : 0), 0);
  const feedbackCopies = config.rule.feedback === 'feedback-alignment' ? 2 : 1;
  const widest = Math.max(...layers.slice(1));
  const sumWidths = layers.reduce((a, b) => a + b, 0);
  const batch = Math.min(config.training.batchSize, data.trainCount);
  const probe = Math.min(config.training.probeSize, data.testCount);

  // The SIMD training kernels: weights (and fixed feedback weights) in one instance.
  const online = executor === 'online' ? FLOAT * params * feedbackCopies : 0;
  // The SIMD test-set forward: the test split, two chunks of the widest layer, transposed weights.
  const testForward = FLOAT * (data.testCount * data.inputSize + 2 * TEST_CHUNK * widest + params);
  // The tensor library's evaluation: weights, the Oja and error terms, and W Wᵀ of the widest layer.
  const diagnostics = FLOAT * (params * (3 + feedbackCopies) + widest * widest * 2 + probe * sumWidths * 4);
  // Batch training in the tensor library: activations and error signals of the batch, plus the update.
  const batchTraining = executor === 'tfjs' ? FLOAT * (batch * sumWidths * 4 + params * 3) : 0;
  const parts = [
    { bytes: online, what: 'the training kernels', limit: KERNEL_MEMORY_LIMIT },
    { bytes: testForward, what: 'the test-set evaluation', limit: KERNEL_MEMORY_LIMIT },
    {
      bytes: diagnostics + batchTraining,
      what: `the per-layer diagnostics${batchTraining ? ' and batch training' : ''} (W Wᵀ of a ${widest}-unit layer alone is ${formatBytes(FLOAT * widest * widest)})`,
      limit: backend === 'wasm' ? WASM_BACKEND_MEMORY_LIMIT : null,
    },
  ];
  const data32 = FLOAT * (data.trainCount + data.testCount) * data.inputSize;
  const typedArrays = executor === 'online-js' ? FLOAT * params * (feedbackCopies + 1) : 0;
  return { parts, totalBytes: online + testForward + diagnostics + batchTraining + data32 + typedArrays };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MiB`;
}

/** The run cannot fit: the estimate, what needs it, and the limit. */
export function memoryIssues(estimate: MemoryEstimate, machineBytes = totalmem()): ConfigIssue[] {
  const over = estimate.parts.find((part) => part.limit !== null && part.bytes > part.limit);
  if (over) return [{ path: 'model.layers', message: `needs about ${formatBytes(over.bytes)} for ${over.what}; one WebAssembly memory holds at most ${formatBytes(over.limit!)}` }];
  if (estimate.totalBytes > PROCESS_MEMORY_SHARE * machineBytes) {
    return [{ path: 'model.layers', message: `needs about ${formatBytes(estimate.totalBytes)}; this machine allows ${formatBytes(PROCESS_MEMORY_SHARE * machineBytes)} (${Math.round(100 * PROCESS_MEMORY_SHARE)}% of ${formatBytes(machineBytes)})` }];
  }
  return [];
}

/** Values the data cannot honour, and what the run does instead: said, not silently clamped. */
export function clampNotes(config: ExperimentConfig, data: { trainCount: number; testCount: number; description: string }): string[] {
  const notes: string[] = [];
  const { trainSize, testSize } = config.data;
  if (trainSize !== undefined && trainSize > data.trainCount) notes.push(`data.trainSize ${trainSize} is more than the ${data.trainCount} training samples of ${data.description}; all ${data.trainCount} are used`);
  if (testSize !== undefined && testSize > data.testCount) notes.push(`data.testSize ${testSize} is more than the ${data.testCount} test samples of ${data.description}; all ${data.testCount} are used`);
  if (config.training.batchSize > data.trainCount) notes.push(`training.batchSize ${config.training.batchSize} is more than the ${data.trainCount} training samples; each step uses all ${data.trainCount}`);
  // A recurrent run's diagnostics read every held-out sequence; it has no probe batch.
  if (config.model.kind !== 'rnn' && config.training.probeSize > data.testCount) notes.push(`training.probeSize ${config.training.probeSize} is more than the ${data.testCount} test samples; the diagnostics use all ${data.testCount}`);
  return notes;
}
