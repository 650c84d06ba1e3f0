/**
 * An independent float64 reference of the rule in docs/SCIENCE.md, written the plain way: nested
 * arrays, and Oja's term in its textbook form θ(y aᵀ − y yᵀ W) (the engine uses the
 * reassociated y (a − Wᵀy)ᵀ), both terms averaged over the batch. Layer normalisation's backward
 * pass goes through its full Jacobian (the engine uses the reduced form), and Adam keeps its
 * moments in `ReferenceState`.
 */
export type Matrix = number[][];

export interface ReferenceRule {
  activation: 'softplus' | 'relu' | 'tanh' | 'linear';
  beta: number;
  eta: number;
  theta: number[];
  errorTerm: boolean;
  feedback: Matrix[] | null;
  /** Layer normalisation of the hidden layers, with learned gain and shift when `affine`. */
  normalization?: { affine: boolean; epsilon: number };
  adam?: { beta1: number; beta2: number; epsilon: number };
  /** The local terms beyond error and Oja: a coefficient per layer each (absent: 0). */
  terms?: Partial<Record<'errorHebbian' | 'ojaSingle' | 'sanger' | 'hebbian' | 'decay', number[]>>;
}

/** What the reference carries between steps besides the weights. */
export interface ReferenceState {
  /** Per layer, the learned normalisation gain and shift (null where there are none). */
  gains: Array<number[] | null>;
  shifts: Array<number[] | null>;
  /** Adam's step count and moments, by parameter name. */
  t: number;
  moments: Map<string, { m: number[]; v: number[] }>;
}

export function referenceState(weights: Matrix[], rule: ReferenceRule): ReferenceState {
  const hidden = (l: number) => rule.normalization?.affine === true && l < weights.length - 1;
  return {
    gains: weights.map((w, l) => (hidden(l) ? w.map(() => 1) : null)),
    shifts: weights.map((w, l) => (hidden(l) ? w.map(() => 0) : null)),
    t: 0,
    moments: new Map(),
  };
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

export function referenceForward(weights: Matrix[], x: number[], rule: ReferenceRule, state?: ReferenceState) {
  const outputs = [x];
  /** What σ is applied to: z, or h = γ ẑ + β under normalisation. */
  const preacts: number[][] = [];
  const normalized: Array<{ zhat: number[]; std: number } | null> = [];
  weights.forEach((w, l) => {
    let z = matVec(w, outputs[l]!);
    if (rule.normalization && l < weights.length - 1) {
      const mean = z.reduce((a, b) => a + b, 0) / z.length;
      const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
      const std = Math.sqrt(variance + rule.normalization.epsilon);
      const zhat = z.map((v) => (v - mean) / std);
      normalized.push({ zhat, std });
      const gain = state?.gains[l];
      const shift = state?.shifts[l];
      z = zhat.map((v, i) => (gain && shift ? gain[i]! * v + shift[i]! : v));
    } else normalized.push(null);
    preacts.push(z);
    if (l < weights.length - 1) outputs.push(z.map((v) => sigma(v, rule)));
    else {
      const max = Math.max(...z);
      const exp = z.map((v) => Math.exp(v - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      outputs.push(exp.map((v) => v / sum));
    }
  });
  return { outputs, preacts, normalized };
}

/** ∂L/∂z from ∂L/∂h through h = γ ẑ + β, ẑ = (z − μ)/s, with the Jacobian ∂ẑ_i/∂z_j = (δ_ij − 1/n − ẑ_i ẑ_j/n)/s written out. */
function normalizationBackward(dh: number[], zhat: number[], std: number, gain: number[] | null): number[] {
  const n = zhat.length;
  return zhat.map((_, j) => dh.reduce((sum, g, i) => sum + g * (gain ? gain[i]! : 1) * ((i === j ? 1 : 0) - 1 / n - (zhat[i]! * zhat[j]!) / n) / std, 0));
}

/** The error term's step for one parameter: −η g with SGD, Adam's step otherwise (its moments kept in `state`). */
function errorStep(name: string, gradient: number[], rule: ReferenceRule, state: ReferenceState): number[] {
  if (!rule.adam) return gradient.map((g) => -rule.eta * g);
  const { beta1, beta2, epsilon } = rule.adam;
  const moments = state.moments.get(name) ?? { m: gradient.map(() => 0), v: gradient.map(() => 0) };
  state.moments.set(name, moments);
  return gradient.map((g, k) => {
    moments.m[k] = beta1 * moments.m[k]! + (1 - beta1) * g;
    moments.v[k] = beta2 * moments.v[k]! + (1 - beta2) * g * g;
    const mHat = moments.m[k]! / (1 - beta1 ** state.t);
    const vHat = moments.v[k]! / (1 - beta2 ** state.t);
    return (-rule.eta * mHat) / (Math.sqrt(vHat) + epsilon);
  });
}

/** One update from a batch of samples; returns the new weights and the mean loss (gains, shifts and Adam's moments move in `state`). */
export function referenceStep(
  weights: Matrix[], batch: Array<{ x: number[]; label: number }>, rule: ReferenceRule, state: ReferenceState = referenceState(weights, rule),
): { weights: Matrix[]; loss: number } {
  const ojaDeltas = weights.map((w) => w.map((row) => row.map(() => 0)));
  const errorGradients = weights.map((w) => w.map((row) => row.map(() => 0)));
  const gainGradients = state.gains.map((g) => g?.map(() => 0) ?? null);
  const shiftGradients = state.shifts.map((g) => g?.map(() => 0) ?? null);
  state.t++;
  let loss = 0;
  for (const { x, label } of batch) {
    const { outputs, preacts, normalized } = referenceForward(weights, x, rule, state);
    const last = weights.length - 1;
    loss += -Math.log(outputs[last + 1]![label]!);
    const errors: number[][] = new Array(weights.length);
    errors[last] = outputs[last + 1]!.map((p, i) => p - (i === label ? 1 : 0));
    for (let l = last; l > 0; l--) {
      const b = rule.feedback ? rule.feedback[l]! : weights[l]!;
      const dh = transposeVec(b, errors[l]!).map((g, j) => g * sigmaPrime(preacts[l - 1]![j]!, rule));
      const norm = normalized[l - 1];
      if (norm) {
        const gain = state.gains[l - 1] ?? null;
        if (gain) {
          dh.forEach((g, i) => {
            gainGradients[l - 1]![i]! += (g * norm.zhat[i]!) / batch.length;
            shiftGradients[l - 1]![i]! += g / batch.length;
          });
        }
        errors[l - 1] = normalizationBackward(dh, norm.zhat, norm.std, gain);
      } else errors[l - 1] = dh;
    }
    weights.forEach((w, l) => {
      const a = outputs[l]!;
      const y = outputs[l + 1]!;
      const e = errors[l]!;
      // y yᵀ W, the naive form.
      const yyW = w.map((_, i) => w[0]!.map((__, j) => y.reduce((s, yk, k) => s + y[i]! * yk * w[k]![j]!, 0)));
      const c = (term: keyof NonNullable<ReferenceRule['terms']>) => rule.terms?.[term]?.[l] ?? 0;
      w.forEach((row, i) =>
        row.forEach((_, j) => {
          if (rule.errorTerm) errorGradients[l]![i]![j]! += (e[i]! * a[j]!) / batch.length;
          ojaDeltas[l]![i]![j]! += (rule.theta[l]! * (y[i]! * a[j]! - yyW[i]![j]!)) / batch.length;
          // The other local terms, each as written in the schema, from the same old weights.
          let local = c('ojaSingle') * (y[i]! * a[j]! - y[i]! * y[i]! * w[i]![j]!);
          local += c('sanger') * (y[i]! * a[j]! - y.reduce((s, yk, k) => (k <= i ? s + y[i]! * yk * w[k]![j]! : s), 0));
          local += c('hebbian') * y[i]! * a[j]! - c('decay') * w[i]![j]!;
          if (l > 0) local -= c('errorHebbian') * e[i]! * errors[l - 1]![j]!;
          ojaDeltas[l]![i]![j]! += local / batch.length;
        }),
      );
    });
  }
  const next = weights.map((w, l) => {
    const error = rule.errorTerm ? errorStep(`W${l}`, errorGradients[l]!.flat(), rule, state) : null;
    const cols = w[0]!.length;
    return w.map((row, i) => row.map((v, j) => v + (error ? error[i * cols + j]! : 0) + ojaDeltas[l]![i]![j]!));
  });
  state.gains.forEach((gain, l) => {
    if (!gain || !rule.errorTerm) return;
    const gainStep = errorStep(`gain${l}`, gainGradients[l]!, rule, state);
    const shiftStep = errorStep(`shift${l}`, shiftGradients[l]!, rule, state);
    state.gains[l] = gain.map((g, i) => g + gainStep[i]!);
    state.shifts[l] = state.shifts[l]!.map((b, i) => b + shiftStep[i]!);
  });
  return { weights: next, loss: loss / batch.length };
}

export function toMatrix(values: Float32Array, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}
