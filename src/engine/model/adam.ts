/** Adam (Kingma & Ba) for one parameter vector, as the executors apply it to the error term. */
export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** First and second moments of one parameter vector. */
export class AdamMoments {
  readonly m: Float32Array;
  readonly v: Float32Array;

  constructor(length: number) {
    this.m = new Float32Array(length);
    this.v = new Float32Array(length);
  }

  /** param −= η m̂ / (√v̂ + ε) after folding in `gradient`, at step t (1-based). */
  step(param: Float32Array, gradient: Float32Array, eta: number, t: number, { beta1, beta2, epsilon }: AdamSettings): void {
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
