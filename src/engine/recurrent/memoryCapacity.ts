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

export class CapacityReadouts {
  private readonly fit: { states: number[][]; targets: number[][] } = { states: [], targets: [] };
  private readonly score: { states: number[][]; targets: number[][] } = { states: [], targets: [] };

  /** `ridge`: λ relative to the mean diagonal of the fitting states' second moments. */
  constructor(private readonly delays: number, private readonly ridge: number) {}

  /** One target step's hidden state and its targets (u_{t−k} per delay), to fit the readouts with or to score them on. */
  add(state: ArrayLike<number>, targets: ArrayLike<number>, half: 'fit' | 'score'): void {
    const into = half === 'fit' ? this.fit : this.score;
    into.states.push([...Array.from(state), 1]);
    into.targets.push(Array.from(targets));
  }

  result(): CapacityResult {
    const k = this.delays;
    if (this.fit.states.length === 0 || this.score.states.length < 2) return { r2: new Array<number>(k).fill(0), error: new Array<number>(k).fill(0), capacity: 0 };
    const states = new Matrix(this.fit.states);
    const moments = states.transpose().mmul(states);
    const size = moments.rows;
    const lambda = (this.ridge * moments.trace()) / size;
    for (let i = 0; i < size; i++) moments.set(i, i, moments.get(i, i) + lambda);
    const cholesky = new CholeskyDecomposition(moments);
    // Saturated or silent units make the moments singular without a ridge: no readout is then as good as any.
    if (!cholesky.isPositiveDefinite()) return { r2: new Array<number>(k).fill(0), error: new Array<number>(k).fill(0), capacity: 0 };
    const readouts = cholesky.solve(states.transpose().mmul(new Matrix(this.fit.targets)));
    const predicted = new Matrix(this.score.states).mmul(readouts);
    const r2: number[] = [];
    const error: number[] = [];
    for (let d = 0; d < k; d++) {
      const y = this.score.targets.map((row) => row[d]!);
      const yHat = predicted.getColumn(d);
      r2.push(squaredCorrelation(yHat, y));
      error.push(y.reduce((sum, v, i) => sum + (yHat[i]! - v) ** 2, 0) / y.length);
    }
    return { r2, error, capacity: r2.reduce((a, b) => a + b, 0) };
  }
}

/** cov(a, b)² / (var a · var b); 0 where either is constant. */
export function squaredCorrelation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - meanA) * (b[i]! - meanB);
    varA += (a[i]! - meanA) ** 2;
    varB += (b[i]! - meanB) ** 2;
  }
  return varA > 0 && varB > 0 ? (cov * cov) / (varA * varB) : 0;
}
