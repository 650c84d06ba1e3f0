/**
 * Jaeger's memory capacity, from a network's hidden states at the target steps of held-out
 * sequences: for each delay k, a linear readout of [h_t, 1] is fitted to u_{t−k} by ridge regression
 * on the first half of the sequences and scored on the second half by r²_k, the squared correlation
 * of its output with u_{t−k} (fitting and scoring on different sequences keeps r² honest when the
 * states outnumber what they can explain); MC = Σ_k r²_k.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

export interface CapacityResult {
  /** r²_k per delay, in the order of the task's delays. */
  r2: number[];
  /** The readout's mean squared error per delay, on the scoring half. */
  error: number[];
  /** Σ_k r²_k. */
  capacity: number;
}

/**
 * Streams the states: first every fitting state (their second moments and cross-moments with the
 * targets are summed as they come), then every scoring state (the readouts are solved at the first,
 * and each state's predictions go into running sums), so no state is kept.
 */
export class CapacityReadouts {
  /** Σ φφᵀ and Σ φ yᵀ over the fitting states, φ = [h, 1]. */
  private readonly moments: Float64Array;
  private readonly cross: Float64Array;
  private fitted = 0;
  /** (N + 1) × K, once solved; null where the moments were singular. */
  private readouts: Float64Array | null | undefined;
  private readonly prediction: Float64Array;
  /** Per delay: Σŷ, Σy, Σŷ², Σy², Σŷy, Σ(ŷ − y)², over the scoring states. */
  private readonly sums: Float64Array;
  private scored = 0;
  private readonly size: number;

  /** `ridge`: λ relative to the fitting states, λ = ridge · tr(ΦᵀΦ) / (N + 1), so it does not depend on the scale of h or on how many states there are. */
  constructor(hidden: number, private readonly delays: number, private readonly ridge: number) {
    this.size = hidden + 1;
    this.moments = new Float64Array(this.size * this.size);
    this.cross = new Float64Array(this.size * delays);
    this.prediction = new Float64Array(delays);
    this.sums = new Float64Array(6 * delays);
  }

  /** A fitting state and its targets (u_{t−k} per delay); every one comes before the first scoring state. */
  fit(state: ArrayLike<number>, targets: ArrayLike<number>): void {
    if (this.readouts !== undefined) throw new Error('the readouts are already fitted');
    const { size, delays: K, moments, cross } = this;
    const phi = (i: number) => (i < size - 1 ? state[i]! : 1);
    for (let i = 0; i < size; i++) {
      const a = phi(i);
      if (a === 0) continue;
      for (let j = 0; j < size; j++) moments[i * size + j]! += a * phi(j);
      for (let k = 0; k < K; k++) cross[i * K + k]! += a * targets[k]!;
    }
    this.fitted++;
  }

  /** A scoring state and its targets. */
  score(state: ArrayLike<number>, targets: ArrayLike<number>): void {
    if (this.readouts === undefined) this.readouts = this.solve();
    if (this.readouts === null) return;
    const { size, delays: K, readouts, prediction, sums } = this;
    prediction.fill(0);
    for (let i = 0; i < size; i++) {
      const a = i < size - 1 ? state[i]! : 1;
      for (let k = 0; k < K; k++) prediction[k]! += a * readouts[i * K + k]!;
    }
    for (let k = 0; k < K; k++) {
      const [p, y] = [prediction[k]!, targets[k]!];
      sums[6 * k]! += p;
      sums[6 * k + 1]! += y;
      sums[6 * k + 2]! += p * p;
      sums[6 * k + 3]! += y * y;
      sums[6 * k + 4]! += p * y;
      sums[6 * k + 5]! += (p - y) ** 2;
    }
    this.scored++;
  }

  result(): CapacityResult {
    const K = this.delays;
    const n = this.scored;
    if (!this.readouts || n < 2) return { r2: new Array<number>(K).fill(0), error: new Array<number>(K).fill(0), capacity: 0 };
    const r2: number[] = [];
    const error: number[] = [];
    for (let k = 0; k < K; k++) {
      const [sp, sy, spp, syy, spy, se] = this.sums.subarray(6 * k, 6 * k + 6);
      const cov = spy! - (sp! * sy!) / n;
      const varP = spp! - (sp! * sp!) / n;
      const varY = syy! - (sy! * sy!) / n;
      // A readout whose output barely moves (silent states) explains nothing: rounding is not a correlation.
      r2.push(varP > 1e-12 * Math.max(varY, 1e-300) && varY > 0 ? Math.min(1, (cov * cov) / (varP * varY)) : 0);
      error.push(se! / n);
    }
    return { r2, error, capacity: r2.reduce((a, b) => a + b, 0) };
  }

  /** Ridge regression: (Σφφᵀ + λI) W = Σφyᵀ by Cholesky; null where no readout can be fitted. */
  private solve(): Float64Array | null {
    const { size, delays: K } = this;
    if (this.fitted === 0) return null;
    const moments = Matrix.from1DArray(size, size, this.moments);
    const lambda = (this.ridge * moments.trace()) / size;
    for (let i = 0; i < size; i++) moments.set(i, i, moments.get(i, i) + lambda);
    const cholesky = new CholeskyDecomposition(moments);
    // Saturated or silent units make the moments singular without a ridge: no readout is then as good as any.
    if (!cholesky.isPositiveDefinite()) return null;
    return Float64Array.from(cholesky.solve(Matrix.from1DArray(size, K, this.cross)).to1DArray());
  }
}
