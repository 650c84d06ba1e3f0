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
import { activationDerivatives, type Derivatives } from '../model/activations';

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

/** The query's mean cross-entropy and accuracy, and the exact gradient of that loss for each learned coefficient. */
export interface QueryResult {
  loss: number;
  accuracy: number;
  gradient: number[];
}

/** An inner loop: online steps carrying the learned coefficients' tangents, then the query (this float64 one, or the SIMD one). */
export interface InnerStep {
  readonly sizes: number[];
  /** One online step on sample x with class `label`; returns its cross-entropy loss. */
  step(x: ArrayLike<number>, label: number): number;
  query(inputs: ArrayLike<number>, labels: ArrayLike<number>, count: number): QueryResult;
  weights(): ArrayLike<number>[];
  /** dW_l / dc for the k-th learned coefficient. */
  tangent(k: number): ArrayLike<number>[];
}

const zeros = (n: number) => new Float64Array(n);

/** Every buffer of a step, allocated once: per layer l, and per learned coefficient k. */
interface Buffers {
  /** a[0] = x, a[l+1] = layer l's output (softmax for the last). */
  a: Float64Array[];
  slope: Float64Array[];
  curvature: Float64Array[];
  /** e[l]: layer l's error signal; g[l]: B_lᵀ e_l before σ' (for l > 0). */
  e: Float64Array[];
  g: Float64Array[];
  /** Oja's u = Wᵀy and Sanger's running sum, per layer. */
  u: Float64Array[];
  prefix: Float64Array[];
  delta: Float64Array[];
  aDot: Float64Array[][];
  zDot: Float64Array[][];
  eDot: Float64Array[][];
  gDot: Float64Array[][];
  uDot: Float64Array[];
  prefixDot: Float64Array[];
  /** Indices of the input's non-zero values (digits are mostly zeros). */
  nonZero: Int32Array;
}

export class InnerLoop implements InnerStep {
  readonly sizes: number[];
  private readonly w: Float64Array[];
  /** tangents[k][l] = dW_l / dc_k. */
  private readonly tangents: Float64Array[][];
  private readonly act: Derivatives;
  private readonly b: Buffers;
  private readonly scratch = new Float64Array(3);
  /** Per learned coefficient and layer: whether its own term acts there (the direct part of ∂ΔW/∂c). */
  private readonly acts: boolean[][];

  constructor(
    sizes: readonly number[],
    weights: ArrayLike<number>[],
    private readonly rule: InnerRule,
  ) {
    this.sizes = [...sizes];
    this.w = weights.map((values) => Float64Array.from(values));
    const K = rule.learned.length;
    const L = this.w.length;
    this.tangents = rule.learned.map(() => this.w.map((w) => zeros(w.length)));
    this.act = activationDerivatives(rule.activation, rule.beta);
    const outs = sizes.slice(1);
    const ins = sizes.slice(0, -1);
    this.b = {
      a: sizes.map(zeros),
      slope: outs.map(zeros),
      curvature: outs.map(zeros),
      e: outs.map(zeros),
      g: outs.map((_, l) => zeros(ins[l]!)),
      u: ins.map(zeros),
      prefix: ins.map(zeros),
      delta: this.w.map((w) => zeros(w.length)),
      aDot: Array.from({ length: K }, () => sizes.map(zeros)),
      zDot: Array.from({ length: K }, () => outs.map(zeros)),
      eDot: Array.from({ length: K }, () => outs.map(zeros)),
      gDot: Array.from({ length: K }, () => outs.map((_, l) => zeros(ins[l]!))),
      uDot: ins.map(zeros),
      prefixDot: ins.map(zeros),
      nonZero: new Int32Array(sizes[0]!),
    };
    this.acts = rule.learned.map((name) => this.w.map((_, l) => actsOn(name, l, L, rule)));
  }

  weights(): Float64Array[] {
    return this.w.map((w) => w.slice());
  }

  /** dW_l / dc for the k-th learned coefficient. */
  tangent(k: number): Float64Array[] {
    return this.tangents[k]!.map((t) => t.slice());
  }

  /** Forward pass with every learned coefficient's tangents, into the buffers; returns how many inputs are non-zero. */
  private forward(x: ArrayLike<number>): number {
    const { a, slope, curvature, aDot, zDot, nonZero } = this.b;
    const L = this.w.length;
    const K = this.rule.learned.length;
    const d = this.scratch;
    const x0 = a[0]!;
    let nnz = 0;
    for (let j = 0; j < x0.length; j++) {
      x0[j] = x[j]!;
      if (x0[j] !== 0) nonZero[nnz++] = j;
    }
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      const w = this.w[l]!;
      const input = a[l]!;
      const out = a[l + 1]!;
      const s = slope[l]!;
      const c = curvature[l]!;
      const last = l === L - 1;
      let max = -Infinity;
      for (let i = 0; i < nOut; i++) {
        const row = i * nIn;
        let z = 0;
        if (l === 0) for (let q = 0; q < nnz; q++) z += w[row + nonZero[q]!]! * input[nonZero[q]!]!;
        else for (let j = 0; j < nIn; j++) z += w[row + j]! * input[j]!;
        if (last) {
          out[i] = z;
          if (z > max) max = z;
        } else {
          this.act(z, d);
          out[i] = d[0]!;
          s[i] = d[1]!;
          c[i] = d[2]!;
        }
      }
      if (last) {
        let total = 0;
        for (let i = 0; i < nOut; i++) total += out[i] = Math.exp(out[i]! - max);
        for (let i = 0; i < nOut; i++) out[i]! /= total;
      }
      for (let k = 0; k < K; k++) {
        const wDot = this.tangents[k]![l]!;
        const inDot = aDot[k]![l]!;
        const zd = zDot[k]![l]!;
        const od = aDot[k]![l + 1]!;
        for (let i = 0; i < nOut; i++) {
          const row = i * nIn;
          let sum = 0;
          // ż = Ẇ a + W ȧ; the input has no tangent.
          if (l === 0) for (let q = 0; q < nnz; q++) sum += wDot[row + nonZero[q]!]! * input[nonZero[q]!]!;
          else for (let j = 0; j < nIn; j++) sum += wDot[row + j]! * input[j]! + w[row + j]! * inDot[j]!;
          zd[i] = sum;
        }
        if (!last) for (let i = 0; i < nOut; i++) od[i] = s[i]! * zd[i]!;
        else {
          // Softmax's Jacobian: ȧ = a ⊙ (ż − aᵀż).
          let mean = 0;
          for (let i = 0; i < nOut; i++) mean += out[i]! * zd[i]!;
          for (let i = 0; i < nOut; i++) od[i] = out[i]! * (zd[i]! - mean);
        }
      }
    }
    return nnz;
  }

  /** One online step on sample x with class `label`; returns its cross-entropy loss. */
  step(x: ArrayLike<number>, label: number): number {
    const L = this.w.length;
    const K = this.rule.learned.length;
    const { a, slope, curvature, e, g, aDot, zDot, eDot, gDot } = this.b;
    this.forward(x);
    const loss = -Math.log(a[L]![label]!);
    if (this.rule.errorTerm) {
      // Error signals and their tangents: ė_L = ȧ_L; ė_{l−1} = (Ḃᵀe + Bᵀė) ⊙ σ' + (Bᵀe) ⊙ σ'' ż.
      e[L - 1]!.set(a[L]!);
      e[L - 1]![label]! -= 1;
      for (let k = 0; k < K; k++) eDot[k]![L - 1]!.set(aDot[k]![L]!);
      for (let l = L - 1; l > 0; l--) {
        const nIn = this.sizes[l]!;
        const nOut = this.sizes[l + 1]!;
        const bm = this.rule.feedback ? this.rule.feedback[l]! : this.w[l]!;
        const el = e[l]!;
        const gl = g[l]!.fill(0);
        for (let i = 0; i < nOut; i++) {
          const ei = el[i]!;
          const row = i * nIn;
          for (let j = 0; j < nIn; j++) gl[j]! += bm[row + j]! * ei;
        }
        const below = e[l - 1]!;
        const s = slope[l - 1]!;
        for (let j = 0; j < nIn; j++) below[j] = gl[j]! * s[j]!;
        for (let k = 0; k < K; k++) {
          const ed = eDot[k]![l]!;
          const bDot = this.rule.feedback ? null : this.tangents[k]![l]!;
          const gd = gDot[k]![l]!.fill(0);
          for (let i = 0; i < nOut; i++) {
            const edi = ed[i]!;
            const ei = el[i]!;
            const row = i * nIn;
            if (bDot) for (let j = 0; j < nIn; j++) gd[j]! += bm[row + j]! * edi + bDot[row + j]! * ei;
            else for (let j = 0; j < nIn; j++) gd[j]! += bm[row + j]! * edi;
          }
          const bd = eDot[k]![l - 1]!;
          const c = curvature[l - 1]!;
          const zd = zDot[k]![l - 1]!;
          for (let j = 0; j < nIn; j++) bd[j] = gd[j]! * s[j]! + gl[j]! * c[j]! * zd[j]!;
        }
      }
    }
    // Every layer's update and tangents from the old weights (the tangents in place), then the weights.
    for (let l = 0; l < L; l++) this.layerUpdate(l);
    for (let l = 0; l < L; l++) {
      const w = this.w[l]!;
      const delta = this.b.delta[l]!;
      for (let m = 0; m < w.length; m++) w[m]! += delta[m]!;
    }
    return loss;
  }

  private layerUpdate(l: number): void {
    const nIn = this.sizes[l]!;
    const nOut = this.sizes[l + 1]!;
    const w = this.w[l]!;
    const { a, e, aDot, eDot } = this.b;
    const c = this.rule.coefficients;
    const errors = this.rule.errorTerm;
    const eta = errors ? c.error[l]! : 0;
    const theta = c.oja[l]!;
    const eH = l > 0 && errors ? c.errorHebbian[l]! : 0;
    const os = c.ojaSingle[l]!;
    const sg = c.sanger[l]!;
    const hb = c.hebbian[l]!;
    const dc = c.decay[l]!;
    const y = a[l + 1]!;
    const pre = a[l]!;
    const el = e[l]!;
    const eb = l > 0 ? e[l - 1]! : null;
    const learned = this.rule.learned;
    const alongCoefficient = theta + os + sg + hb;
    const needsU = theta !== 0 || learned.includes('oja');
    const needsPrefix = sg !== 0 || learned.includes('sanger');
    // u = Wᵀy (Oja), from the old weights.
    const u = this.b.u[l]!.fill(0);
    if (needsU) {
      for (let i = 0; i < nOut; i++) {
        const yi = y[i]!;
        const row = i * nIn;
        for (let j = 0; j < nIn; j++) u[j]! += yi * w[row + j]!;
      }
    }
    // The tangents first: they read the old W (and their own old rows, before writing them).
    for (let k = 0; k < learned.length; k++) {
      const name = learned[k]!;
      const own = this.acts[k]![l]!;
      const wDot = this.tangents[k]![l]!;
      const yDot = aDot[k]![l + 1]!;
      const preDot = aDot[k]![l]!;
      const elDot = eDot[k]![l]!;
      const ebDot = l > 0 ? eDot[k]![l - 1]! : null;
      // ∂ΔW/∂c's own term, as 0/1 weights on each term's pieces.
      const dE = own && name === 'error' ? 1 : 0;
      const dO = own && name === 'oja' ? 1 : 0;
      const dEH = own && name === 'errorHebbian' ? 1 : 0;
      const dOS = own && name === 'ojaSingle' ? 1 : 0;
      const dS = own && name === 'sanger' ? 1 : 0;
      const dH = own && name === 'hebbian' ? 1 : 0;
      const dD = own && name === 'decay' ? 1 : 0;
      const uDot = this.b.uDot[l]!.fill(0);
      if (needsU) {
        for (let i = 0; i < nOut; i++) {
          const ydi = yDot[i]!;
          const yi = y[i]!;
          const row = i * nIn;
          for (let j = 0; j < nIn; j++) uDot[j]! += ydi * w[row + j]! + yi * wDot[row + j]!;
        }
      }
      const prefix = this.b.prefix[l]!.fill(0);
      const prefixDot = this.b.prefixDot[l]!.fill(0);
      const rowsScale = os !== 0 || dc !== 0 || dOS !== 0 || dD !== 0;
      const withBelow = eb !== null && ebDot !== null && (eH !== 0 || dEH !== 0);
      const withPreDot = l > 0;
      for (let i = 0; i < nOut; i++) {
        const yi = y[i]!;
        const ydi = yDot[i]!;
        const row = i * nIn;
        if (needsPrefix) {
          for (let j = 0; j < nIn; j++) {
            prefix[j]! += yi * w[row + j]!;
            prefixDot[j]! += ydi * w[row + j]! + yi * wDot[row + j]!;
          }
        }
        // ΔẆ_i = A pre + B ȧ_pre − C u − D u̇ − E e_below − F ė_below − G W_i − H Ẇ_i − I p_i − J ṗ_i.
        const A = alongCoefficient * ydi - eta * elDot[i]! + (dO + dOS + dS + dH) * yi - dE * el[i]!;
        const B = alongCoefficient * yi - eta * el[i]!;
        const C = theta * ydi + dO * yi;
        const D = theta * yi;
        if (rowsScale) {
          const G = 2 * os * yi * ydi + dOS * yi * yi + dD;
          const H = os * yi * yi + dc;
          for (let j = 0; j < nIn; j++) wDot[row + j] = (1 - H) * wDot[row + j]! - G * w[row + j]!;
        }
        if (needsPrefix) {
          const I = sg * ydi + dS * yi;
          const J = sg * yi;
          for (let j = 0; j < nIn; j++) wDot[row + j]! -= I * prefix[j]! + J * prefixDot[j]!;
        }
        if (withBelow) {
          const E = eH * elDot[i]! + dEH * el[i]!;
          const F = eH * el[i]!;
          for (let j = 0; j < nIn; j++) wDot[row + j]! -= E * eb![j]! + F * ebDot![j]!;
        }
        if (withPreDot) for (let j = 0; j < nIn; j++) wDot[row + j]! += A * pre[j]! + B * preDot[j]! - C * u[j]! - D * uDot[j]!;
        else for (let j = 0; j < nIn; j++) wDot[row + j]! += A * pre[j]! - C * u[j]! - D * uDot[j]!;
      }
    }
    // The update itself, from the old weights.
    const delta = this.b.delta[l]!;
    const prefix = this.b.prefix[l]!.fill(0);
    for (let i = 0; i < nOut; i++) {
      const yi = y[i]!;
      const row = i * nIn;
      if (needsPrefix) for (let j = 0; j < nIn; j++) prefix[j]! += yi * w[row + j]!;
      const along = alongCoefficient * yi - eta * el[i]!;
      const shrink = os * yi * yi + dc;
      const below = eb ? eH * el[i]! : 0;
      for (let j = 0; j < nIn; j++) {
        let d = along * pre[j]! - theta * yi * u[j]! - shrink * w[row + j]!;
        if (below !== 0) d -= below * eb![j]!;
        if (needsPrefix) d -= sg * yi * prefix[j]!;
        delta[row + j] = d;
      }
    }
  }

  /**
   * Mean cross-entropy and accuracy on the query samples with the current weights, and the exact
   * gradient of that loss with respect to each learned coefficient.
   */
  query(inputs: ArrayLike<number>, labels: ArrayLike<number>, count: number): QueryResult {
    const L = this.w.length;
    const nIn = this.sizes[0]!;
    const gradient = new Array<number>(this.rule.learned.length).fill(0);
    let loss = 0;
    let correct = 0;
    const x = new Float64Array(nIn);
    for (let s = 0; s < count; s++) {
      for (let j = 0; j < nIn; j++) x[j] = inputs[s * nIn + j]!;
      const label = labels[s]!;
      this.forward(x);
      const p = this.b.a[L]!;
      loss -= Math.log(p[label]!);
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
      if (best === label) correct++;
      // dL/dc = (p − onehot)ᵀ ż_L.
      for (let k = 0; k < gradient.length; k++) {
        const zd = this.b.zDot[k]![L - 1]!;
        let sum = 0;
        for (let i = 0; i < p.length; i++) sum += (p[i]! - (i === label ? 1 : 0)) * zd[i]!;
        gradient[k]! += sum;
      }
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
