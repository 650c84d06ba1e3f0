/**
 * An independent float64 reference of the rule in docs/SCIENCE.md, written the plain way: nested
 * arrays, and Oja's term in its textbook form θ(y aᵀ − y yᵀ W) (the engine uses the
 * reassociated y (a − Wᵀy)ᵀ), both terms averaged over the batch.
 */
export type Matrix = number[][];

export interface ReferenceRule {
  activation: 'softplus' | 'relu' | 'tanh' | 'linear';
  beta: number;
  eta: number;
  theta: number[];
  errorTerm: boolean;
  feedback: Matrix[] | null;
}

export function sigma(z: number, rule: ReferenceRule): number {
  switch (rule.activation) {
    case 'softplus':
      return Math.log(1 + Math.exp(rule.beta * z)) / rule.beta;
    case 'relu':
      return Math.max(0, z);
    case 'tanh':
      return Math.tanh(z);
    case 'linear':
      return z;
  }
}

/** σ'(z) from z directly (the engine writes it from y). */
export function sigmaPrime(z: number, rule: ReferenceRule): number {
  switch (rule.activation) {
    case 'softplus':
      return 1 / (1 + Math.exp(-rule.beta * z));
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'tanh':
      return 1 - Math.tanh(z) ** 2;
    case 'linear':
      return 1;
  }
}

const matVec = (w: Matrix, v: number[]) => w.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
const transposeVec = (w: Matrix, v: number[]) => w[0]!.map((_, j) => w.reduce((s, row, i) => s + row[j]! * v[i]!, 0));

export function referenceForward(weights: Matrix[], x: number[], rule: ReferenceRule) {
  const outputs = [x];
  const preacts: number[][] = [];
  weights.forEach((w, l) => {
    const z = matVec(w, outputs[l]!);
    preacts.push(z);
    if (l < weights.length - 1) outputs.push(z.map((v) => sigma(v, rule)));
    else {
      const max = Math.max(...z);
      const exp = z.map((v) => Math.exp(v - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      outputs.push(exp.map((v) => v / sum));
    }
  });
  return { outputs, preacts };
}

/** One update from a batch of samples; returns the new weights and the mean loss. */
export function referenceStep(weights: Matrix[], batch: Array<{ x: number[]; label: number }>, rule: ReferenceRule): { weights: Matrix[]; loss: number } {
  const deltas = weights.map((w) => w.map((row) => row.map(() => 0)));
  let loss = 0;
  for (const { x, label } of batch) {
    const { outputs, preacts } = referenceForward(weights, x, rule);
    const last = weights.length - 1;
    loss += -Math.log(outputs[last + 1]![label]!);
    const errors: number[][] = new Array(weights.length);
    errors[last] = outputs[last + 1]!.map((p, i) => p - (i === label ? 1 : 0));
    for (let l = last; l > 0; l--) {
      const b = rule.feedback ? rule.feedback[l]! : weights[l]!;
      errors[l - 1] = transposeVec(b, errors[l]!).map((g, j) => g * sigmaPrime(preacts[l - 1]![j]!, rule));
    }
    weights.forEach((w, l) => {
      const a = outputs[l]!;
      const y = outputs[l + 1]!;
      const e = errors[l]!;
      // y yᵀ W, the naive form.
      const yyW = w.map((_, i) => w[0]!.map((__, j) => y.reduce((s, yk, k) => s + y[i]! * yk * w[k]![j]!, 0)));
      w.forEach((row, i) =>
        row.forEach((_, j) => {
          const error = rule.errorTerm ? -rule.eta * e[i]! * a[j]! : 0;
          const oja = rule.theta[l]! * (y[i]! * a[j]! - yyW[i]![j]!);
          deltas[l]![i]![j]! += (error + oja) / batch.length;
        }),
      );
    });
  }
  return { weights: weights.map((w, l) => w.map((row, i) => row.map((v, j) => v + deltas[l]![i]![j]!))), loss: loss / batch.length };
}

export function toMatrix(values: Float32Array, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}
