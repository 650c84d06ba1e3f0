/**
 * The inner loop of meta-learning, in float64, with exact derivatives of the network with respect
 * to the rule's learned coefficients carried forward (forward-mode differentiation): for each
 * learned coefficient c, Ẇ = dW/dc is updated at every online step by differentiating the whole
 * update (through the activations, the error signals, the feedback path and every term), so the
 * query loss's gradient is exact, second order included. The rule is the executors' (online, batch
 * 1, SGD, no biases or normalisation):
 *
 *   ΔW_l = −η e_l y_{l−1}ᵀ + θ (y_l y_{l−1}ᵀ − y_l (y_lᵀ W_l)) − c_eH e_l e_{l−1}ᵀ
 *          + c_os (y_l y_{l−1}ᵀ − diag(y_l²) W_l) + c_s (y_l y_{l−1}ᵀ − LT(y_l y_lᵀ) W_l)
 *          + c_h y_l y_{l−1}ᵀ − c_d W_l,
 *
 * all from the old weights; y_L is the softmax output; e_L = y_L − onehot, e_l = (B_{l+1}ᵀ e_{l+1})
 * ⊙ σ'(z_l) with B = W (backprop) or a fixed matrix (feedback alignment).
 */
import { LEARNABLE_TERMS, type Activation } from '../config/schema';

export const LEARNABLE = LEARNABLE_TERMS;
export type Learnable = (typeof LEARNABLE)[number];
/** Each coefficient per weight layer (0 where a term does not act). */
export type LayerCoefficients = Record<Learnable, number[]>;

export interface InnerRule {
  activation: Activation;
  beta: number;
  /** Backprop (null) or the fixed feedback matrices, row-major like W. */
  feedback: Float64Array[] | null;
  errorTerm: boolean;
  /** false: Oja's term leaves the output layer alone (rule.ojaOnOutput). */
  ojaOnOutput: boolean;
  coefficients: LayerCoefficients;
  /** The coefficients whose derivatives are carried; each acts as one number on every layer where its term does. */
  learned: Learnable[];
}

/** σ, σ' and σ'' at z. */
function activationDerivatives(name: Activation, beta: number): (z: number) => [number, number, number] {
  switch (name) {
    case 'softplus':
      return (z) => {
        const bz = beta * z;
        const s = 1 / (1 + Math.exp(-bz));
        return [((bz > 0 ? bz : 0) + Math.log1p(Math.exp(-Math.abs(bz)))) / beta, s, beta * s * (1 - s)];
      };
    case 'tanh':
      return (z) => {
        const t = Math.tanh(z);
        return [t, 1 - t * t, -2 * t * (1 - t * t)];
      };
    case 'relu':
      return (z) => (z > 0 ? [z, 1, 0] : [0, 0, 0]);
    case 'linear':
      return (z) => [z, 1, 0];
  }
}

interface Pass {
  /** a[0] = x, a[l+1] = layer l's output (softmax for the last). */
  a: Float64Array[];
  z: Float64Array[];
  slope: Float64Array[];
  curvature: Float64Array[];
  /** Per learned coefficient: ȧ[l] and ż[l]. */
  aDot: Float64Array[][];
  zDot: Float64Array[][];
}

export class InnerLoop {
  readonly sizes: number[];
  private readonly w: Float64Array[];
  /** tangents[k][l] = dW_l / dc_k. */
  private readonly tangents: Float64Array[][];
  private readonly act: (z: number) => [number, number, number];

  constructor(
    sizes: readonly number[],
    weights: ArrayLike<number>[],
    private readonly rule: InnerRule,
  ) {
    this.sizes = [...sizes];
    this.w = weights.map((values) => Float64Array.from(values));
    this.tangents = rule.learned.map(() => this.w.map((w) => new Float64Array(w.length)));
    this.act = activationDerivatives(rule.activation, rule.beta);
  }

  weights(): Float64Array[] {
    return this.w.map((w) => w.slice());
  }

  /** dW_l / dc for the k-th learned coefficient. */
  tangent(k: number): Float64Array[] {
    return this.tangents[k]!.map((t) => t.slice());
  }

  /** Forward pass with every learned coefficient's tangents. */
  private forward(x: ArrayLike<number>): Pass {
    const L = this.w.length;
    const K = this.rule.learned.length;
    const a: Float64Array[] = [Float64Array.from(x)];
    const z: Float64Array[] = [];
    const slope: Float64Array[] = [];
    const curvature: Float64Array[] = [];
    const aDot = Array.from({ length: K }, () => [new Float64Array(this.sizes[0]!)]);
    const zDot: Float64Array[][] = Array.from({ length: K }, () => []);
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      const w = this.w[l]!;
      const input = a[l]!;
      const zl = new Float64Array(nOut);
      for (let i = 0; i < nOut; i++) {
        let sum = 0;
        for (let j = 0; j < nIn; j++) sum += w[i * nIn + j]! * input[j]!;
        zl[i] = sum;
      }
      z.push(zl);
      const out = new Float64Array(nOut);
      const s = new Float64Array(nOut);
      const c = new Float64Array(nOut);
      if (l < L - 1) {
        for (let i = 0; i < nOut; i++) [out[i], s[i], c[i]] = this.act(zl[i]!);
      } else {
        let max = -Infinity;
        for (let i = 0; i < nOut; i++) max = Math.max(max, zl[i]!);
        let total = 0;
        for (let i = 0; i < nOut; i++) total += (out[i] = Math.exp(zl[i]! - max));
        for (let i = 0; i < nOut; i++) out[i]! /= total;
      }
      a.push(out);
      slope.push(s);
      curvature.push(c);
      for (let k = 0; k < K; k++) {
        const wDot = this.tangents[k]![l]!;
        const inDot = aDot[k]![l]!;
        const zd = new Float64Array(nOut);
        for (let i = 0; i < nOut; i++) {
          let sum = 0;
          for (let j = 0; j < nIn; j++) sum += wDot[i * nIn + j]! * input[j]! + w[i * nIn + j]! * inDot[j]!;
          zd[i] = sum;
        }
        zDot[k]!.push(zd);
        const od = new Float64Array(nOut);
        if (l < L - 1) for (let i = 0; i < nOut; i++) od[i] = s[i]! * zd[i]!;
        else {
          // Softmax's Jacobian: ȧ = a ⊙ (ż − aᵀż).
          let mean = 0;
          for (let i = 0; i < nOut; i++) mean += out[i]! * zd[i]!;
          for (let i = 0; i < nOut; i++) od[i] = out[i]! * (zd[i]! - mean);
        }
        aDot[k]!.push(od);
      }
    }
    return { a, z, slope, curvature, aDot, zDot };
  }

  /** One online step on sample x with class `label`; returns its cross-entropy loss. */
  step(x: ArrayLike<number>, label: number): number {
    const L = this.w.length;
    const K = this.rule.learned.length;
    const { a, slope, curvature, aDot, zDot } = this.forward(x);
    const loss = -Math.log(a[L]![label]!);
    // Error signals and their tangents (none without the error term).
    const e: Array<Float64Array | null> = new Array(L).fill(null);
    const eDot: Array<Array<Float64Array | null>> = Array.from({ length: K }, () => new Array(L).fill(null));
    if (this.rule.errorTerm) {
      const top = a[L]!.slice();
      top[label]! -= 1;
      e[L - 1] = top;
      for (let k = 0; k < K; k++) eDot[k]![L - 1] = aDot[k]![L]!.slice();
      for (let l = L - 1; l > 0; l--) {
        const nIn = this.sizes[l]!;
        const nOut = this.sizes[l + 1]!;
        const b = this.rule.feedback ? this.rule.feedback[l]! : this.w[l]!;
        const el = e[l]!;
        const g = new Float64Array(nIn);
        for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) g[j]! += b[i * nIn + j]! * el[i]!;
        const below = new Float64Array(nIn);
        for (let j = 0; j < nIn; j++) below[j] = g[j]! * slope[l - 1]![j]!;
        e[l - 1] = below;
        for (let k = 0; k < K; k++) {
          const ed = eDot[k]![l]!;
          const bDot = this.rule.feedback ? null : this.tangents[k]![l]!;
          const gd = new Float64Array(nIn);
          for (let i = 0; i < nOut; i++) {
            for (let j = 0; j < nIn; j++) gd[j]! += b[i * nIn + j]! * ed[i]! + (bDot ? bDot[i * nIn + j]! * el[i]! : 0);
          }
          const bd = new Float64Array(nIn);
          for (let j = 0; j < nIn; j++) bd[j] = gd[j]! * slope[l - 1]![j]! + g[j]! * curvature[l - 1]![j]! * zDot[k]![l - 1]![j]!;
          eDot[k]![l - 1] = bd;
        }
      }
    }
    // Every layer's update and its tangents, from the old weights, then applied.
    const updates = this.w.map((_, l) => this.layerUpdate(l, a, aDot, e, eDot));
    updates.forEach(({ delta, deltaDots }, l) => {
      const w = this.w[l]!;
      for (let m = 0; m < w.length; m++) w[m]! += delta[m]!;
      for (let k = 0; k < K; k++) {
        const t = this.tangents[k]![l]!;
        const d = deltaDots[k]!;
        for (let m = 0; m < t.length; m++) t[m]! += d[m]!;
      }
    });
    return loss;
  }

  private layerUpdate(
    l: number, a: Float64Array[], aDot: Float64Array[][], e: Array<Float64Array | null>, eDot: Array<Array<Float64Array | null>>,
  ): { delta: Float64Array; deltaDots: Float64Array[] } {
    const nIn = this.sizes[l]!;
    const nOut = this.sizes[l + 1]!;
    const w = this.w[l]!;
    const c = this.rule.coefficients;
    const eta = this.rule.errorTerm ? c.error[l]! : 0;
    const theta = c.oja[l]!;
    const eH = l > 0 && this.rule.errorTerm ? c.errorHebbian[l]! : 0;
    const os = c.ojaSingle[l]!;
    const sg = c.sanger[l]!;
    const hb = c.hebbian[l]!;
    const dc = c.decay[l]!;
    const y = a[l + 1]!;
    const pre = a[l]!;
    const el = e[l] ?? new Float64Array(nOut);
    const eb = l > 0 ? (e[l - 1] ?? new Float64Array(nIn)) : new Float64Array(nIn);
    const alongCoefficient = theta + os + sg + hb;
    // u = Wᵀy (Oja); p_i = Σ_{k≤i} y_k W_k, kept row by row (Sanger).
    const u = new Float64Array(nIn);
    for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) u[j]! += y[i]! * w[i * nIn + j]!;
    const delta = new Float64Array(w.length);
    const prefix = new Float64Array(nIn);
    const prefixRows = sg !== 0 || this.rule.learned.includes('sanger') ? new Float64Array(w.length) : null;
    for (let i = 0; i < nOut; i++) {
      const yi = y[i]!;
      if (prefixRows) {
        for (let j = 0; j < nIn; j++) prefix[j]! += yi * w[i * nIn + j]!;
        prefixRows.set(prefix, i * nIn);
      }
      const along = alongCoefficient * yi - eta * el[i]!;
      for (let j = 0; j < nIn; j++) {
        const m = i * nIn + j;
        let d = along * pre[j]! - theta * yi * u[j]! - eH * el[i]! * eb[j]! - os * yi * yi * w[m]! - dc * w[m]!;
        if (prefixRows) d -= sg * yi * prefixRows[m]!;
        delta[m] = d;
      }
    }
    const deltaDots = this.rule.learned.map((name, k) => {
      const wDot = this.tangents[k]![l]!;
      const yDot = aDot[k]![l + 1]!;
      const preDot = aDot[k]![l]!;
      const elDot = eDot[k]![l] ?? new Float64Array(nOut);
      const ebDot = l > 0 ? (eDot[k]![l - 1] ?? new Float64Array(nIn)) : new Float64Array(nIn);
      const uDot = new Float64Array(nIn);
      for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) uDot[j]! += yDot[i]! * w[i * nIn + j]! + y[i]! * wDot[i * nIn + j]!;
      const prefixDot = new Float64Array(nIn);
      // The direct part, ∂ΔW/∂c at the current state: c's own term on this layer.
      const own = actsOn(name, l, this.w.length, this.rule) ? name : null;
      const out = new Float64Array(w.length);
      for (let i = 0; i < nOut; i++) {
        const yi = y[i]!;
        const ydi = yDot[i]!;
        if (prefixRows) for (let j = 0; j < nIn; j++) prefixDot[j]! += ydi * w[i * nIn + j]! + yi * wDot[i * nIn + j]!;
        const along = alongCoefficient * yi - eta * el[i]!;
        const alongDot = alongCoefficient * ydi - eta * elDot[i]!;
        for (let j = 0; j < nIn; j++) {
          const m = i * nIn + j;
          let d =
            alongDot * pre[j]! + along * preDot[j]! - theta * (ydi * u[j]! + yi * uDot[j]!) - eH * (elDot[i]! * eb[j]! + el[i]! * ebDot[j]!) -
            os * (2 * yi * ydi * w[m]! + yi * yi * wDot[m]!) - dc * wDot[m]!;
          if (prefixRows) d -= sg * (ydi * prefixRows[m]! + yi * prefixDot[j]!);
          if (own) {
            if (own === 'error') d -= el[i]! * pre[j]!;
            else if (own === 'oja') d += yi * pre[j]! - yi * u[j]!;
            else if (own === 'errorHebbian') d -= el[i]! * eb[j]!;
            else if (own === 'ojaSingle') d += yi * pre[j]! - yi * yi * w[m]!;
            else if (own === 'sanger') d += yi * pre[j]! - yi * prefixRows![m]!;
            else if (own === 'hebbian') d += yi * pre[j]!;
            else d -= w[m]!;
          }
          out[m] = d;
        }
      }
      return out;
    });
    return { delta, deltaDots };
  }

  /**
   * Mean cross-entropy and accuracy on the query samples with the current weights, and the exact
   * gradient of that loss with respect to each learned coefficient.
   */
  query(inputs: ArrayLike<number> & { subarray?: unknown }, labels: ArrayLike<number>, count: number): { loss: number; accuracy: number; gradient: number[] } {
    const L = this.w.length;
    const nIn = this.sizes[0]!;
    const gradient = new Array<number>(this.rule.learned.length).fill(0);
    let loss = 0;
    let correct = 0;
    const x = new Float64Array(nIn);
    for (let s = 0; s < count; s++) {
      for (let j = 0; j < nIn; j++) x[j] = inputs[s * nIn + j]!;
      const label = labels[s]!;
      const { a, zDot } = this.forward(x);
      const p = a[L]!;
      loss -= Math.log(p[label]!);
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
      if (best === label) correct++;
      // dL/dc = (p − onehot)ᵀ ż_L.
      zDot.forEach((layers, k) => {
        const zd = layers[L - 1]!;
        let sum = 0;
        for (let i = 0; i < p.length; i++) sum += (p[i]! - (i === label ? 1 : 0)) * zd[i]!;
        gradient[k]! += sum;
      });
    }
    return { loss: loss / count, accuracy: correct / count, gradient: gradient.map((g) => g / count) };
  }
}

/** Whether a coefficient's term acts on layer l (of `layers`): errorHebbian has none on the first, Oja's none on the output without ojaOnOutput, the error terms none without the error signals. */
export function actsOn(name: Learnable, l: number, layers: number, rule: Pick<InnerRule, 'errorTerm' | 'ojaOnOutput'>): boolean {
  if ((name === 'error' || name === 'errorHebbian') && !rule.errorTerm) return false;
  if (name === 'errorHebbian' && l === 0) return false;
  if (name === 'oja' && l === layers - 1 && !rule.ojaOnOutput) return false;
  return true;
}
