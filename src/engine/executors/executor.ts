/**
 * What the trainer needs from an executor. Three implement it: `online` (WebAssembly SIMD kernels,
 * batch size 1), `online-js` (the same rule in plain TypeScript: the reference and the fallback) and
 * `tfjs` (TensorFlow.js, any batch size).
 */
import type { NetworkParams } from '../model/params';
import { EXECUTORS, isExecutorName, type ExecutorName, type ExecutorPreference } from '../../protocol/hostWorker';

export { EXECUTORS, isExecutorName, type ExecutorName, type ExecutorPreference };

export interface TrainingExecutor {
  readonly name: ExecutorName;
  /** One update from the training samples at `indices` (one forward pass, all layers updated). */
  step(indices: ArrayLike<number>): void;
  /**
   * Sum and count of per-sample training losses since the last call. May wait for the device,
   * so the trainer calls it only at evaluation points.
   */
  takeLoss(): { sum: number; count: number };
  /** The first step at which a non-finite loss was seen, if the executor checks every step. */
  readonly divergedAtStep: number | null;
  /** A copy of the current parameters. */
  params(): NetworkParams;
  dispose(): void;
}
