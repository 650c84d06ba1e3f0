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
  /**
   * Per layer, the summed Frobenius norms of the steps applied since the last call: Oja's term and
   * the error term's (η times the gradient, or Adam's step), for the Oja-to-update ratio.
   */
  takeStepNorms(): StepNorms;
  /** A copy of the current parameters. */
  params(): NetworkParams;
  dispose(): void;
}

/** Summed step norms per layer (see TrainingExecutor.takeStepNorms). */
export interface StepNorms {
  oja: number[];
  error: number[];
  /** Per local term beyond error and Oja (rule.terms), per layer; absent without them. */
  terms?: Record<string, number[]>;
}

/** Running sums of step norms, handed out and reset at each evaluation point. */
export class StepNormTally {
  private oja: number[];
  private error: number[];
  private terms: Record<string, number[]> | undefined;

  constructor(
    private readonly layers: number,
    /** The local terms beyond error and Oja whose norms are kept too. */
    private readonly termNames: readonly string[] = [],
  ) {
    this.oja = this.zeros();
    this.error = this.zeros();
    this.terms = this.termTally();
  }

  add(l: number, oja: number, error: number): void {
    this.oja[l]! += oja;
    this.error[l]! += error;
  }

  addTerm(term: string, l: number, norm: number): void {
    if (this.terms?.[term]) this.terms[term]![l]! += norm;
  }

  take(): StepNorms {
    const taken: StepNorms = { oja: this.oja, error: this.error, ...(this.terms ? { terms: this.terms } : {}) };
    this.oja = this.zeros();
    this.error = this.zeros();
    this.terms = this.termTally();
    return taken;
  }

  private zeros(): number[] {
    return new Array<number>(this.layers).fill(0);
  }

  private termTally(): Record<string, number[]> | undefined {
    return this.termNames.length ? Object.fromEntries(this.termNames.map((name) => [name, this.zeros()])) : undefined;
  }
}

/** ‖x‖ and ‖a − u‖ over the first n values: the factors of a rank-one step's Frobenius norm. */
export function norm2(x: Float32Array, n: number, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[offset + i]! * x[offset + i]!;
  return Math.sqrt(sum);
}

export function differenceNorm(a: Float32Array, u: Float32Array, n: number, aOffset = 0, uOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = a[aOffset + i]! - u[uOffset + i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}
