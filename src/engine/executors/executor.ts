/** What the trainer needs from an executor; two implementations share it (online typed arrays, tfjs). */
import type { NetworkParams } from '../model/params';

/** online: WebAssembly SIMD at batch size 1; online-js: the plain TypeScript reference for it. */
export const EXECUTORS = ['online', 'online-js', 'tfjs'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

export function isExecutorName(name: string | undefined): name is ExecutorName {
  return (EXECUTORS as readonly string[]).includes(name ?? '');
}

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
