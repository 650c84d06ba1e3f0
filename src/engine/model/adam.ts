/** Adam (Kingma & Ba) for one parameter vector, as the executors apply it to the error term. */
export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam's defaults (and the schema's for rule.adam). */
export const ADAM_DEFAULTS: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * First and second moments of one parameter vector: float32 for the executors' weights (as their
 * kernels keep them), float64 for meta-learning's few coefficients.
 */
export class AdamMoments {
  readonly m: Float32Array | Float64Array;
  readonly v: Float32Array | Float64Array;

  constructor(length: number, precision: 'float32' | 'float64' = 'float32') {
    const Values = precision === 'float32' ? Float32Array : Float64Array;
    this.m = new Values(length);
    this.v = new Values(length);
  }

  /** param −= η m̂ / (√v̂ + ε) after folding in `gradient`, at step t (1-based). */
  step(param: Float32Array | Float64Array, gradient: ArrayLike<number>, eta: number, t: number, { beta1, beta2, epsilon }: AdamSettings): void {
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const { m, v } = this;
    for (let k = 0; k < param.length; k++) {
      const g = gradient[k]!;
      m[k] = beta1 * m[k]! + (1 - beta1) * g;
      v[k] = beta2 * v[k]! + (1 - beta2) * g * g;
      param[k]! -= (eta * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + epsilon);
    }
  }
}
