/**
 * Per-sample layer normalisation of a hidden layer's pre-activations (docs/SCIENCE.md):
 *   ẑ = (z − mean(z)) / √(var(z) + ε),  h = γ ⊙ ẑ + β (γ, β learned; without them h = ẑ),  y = σ(h).
 * On plain Float32Arrays, shared by both online executors so they agree to the last bit.
 */
import { AdamMoments, type AdamSettings } from './adam';

export const LAYER_NORM_EPSILON = 1e-5;

/** Learned gain and shift of one normalised layer, absent when model.normalizationAffine is false. */
export interface NormParams {
  gain?: Float32Array;
  shift?: Float32Array;
}

/** Normalises the n values of z in place into h; keeps ẑ in `normalized`; returns 1/√(var + ε) for the backward pass. */
export function layerNormForward(z: Float32Array, normalized: Float32Array, n: number, { gain, shift }: NormParams): number {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += z[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = z[i]! - mean;
    variance += d * d;
  }
  const invStd = 1 / Math.sqrt(variance / n + LAYER_NORM_EPSILON);
  for (let i = 0; i < n; i++) {
    normalized[i] = (z[i]! - mean) * invStd;
    z[i] = gain && shift ? gain[i]! * normalized[i]! + shift[i]! : normalized[i]!;
  }
  return invStd;
}

/**
 * Turns g = ∂L/∂h (n values) in place into ∂L/∂z, through the normalisation's Jacobian:
 *   ∂L/∂z = (1/σ) (ĝ − mean(ĝ) − ẑ mean(ĝ ⊙ ẑ)),  ĝ = γ ⊙ g.
 * Writes ∂L/∂γ = g ⊙ ẑ and ∂L/∂β = g into `gradients` when the layer has a gain.
 */
export function layerNormBackward(
  g: Float32Array, normalized: Float32Array, invStd: number, n: number, gain: Float32Array | undefined, gradients: { gain: Float32Array; shift: Float32Array } | null,
): void {
  let meanG = 0;
  let meanGX = 0;
  for (let i = 0; i < n; i++) {
    if (gradients) {
      gradients.gain[i] = g[i]! * normalized[i]!;
      gradients.shift[i] = g[i]!;
    }
    if (gain) g[i]! *= gain[i]!;
    meanG += g[i]!;
    meanGX += g[i]! * normalized[i]!;
  }
  meanG /= n;
  meanGX /= n;
  for (let i = 0; i < n; i++) g[i] = invStd * (g[i]! - meanG - normalized[i]! * meanGX);
}

/**
 * One normalised layer's training state, as both online executors keep it: ẑ and 1/σ from the last
 * forward pass, scratch for the gain and shift gradients, and Adam's moments for them.
 */
export class NormLayer {
  readonly normalized: Float32Array;
  private invStd = 1;
  private readonly gradients: { gain: Float32Array; shift: Float32Array } | null;
  private readonly moments: { gain: AdamMoments; shift: AdamMoments } | null;

  constructor(n: number, learned: boolean, adam: boolean) {
    this.normalized = new Float32Array(n);
    this.gradients = learned ? { gain: new Float32Array(n), shift: new Float32Array(n) } : null;
    this.moments = learned && adam ? { gain: new AdamMoments(n), shift: new AdamMoments(n) } : null;
  }

  /** z (n values) in place into h. */
  forward(z: Float32Array, n: number, params: NormParams): void {
    this.invStd = layerNormForward(z, this.normalized, n, params);
  }

  /** back = ∂L/∂h in, ∂L/∂z out; the gain and shift take their step (Adam's at step t when `adam`, else η times the gradient). */
  backward(back: Float32Array, params: NormParams, eta: number, adam: { settings: AdamSettings; t: number } | null): void {
    const n = this.normalized.length;
    layerNormBackward(back, this.normalized, this.invStd, n, params.gain, this.gradients);
    const { gain, shift } = params;
    if (!this.gradients || !gain || !shift) return;
    if (this.moments && adam) {
      this.moments.gain.step(gain, this.gradients.gain, eta, adam.t, adam.settings);
      this.moments.shift.step(shift, this.gradients.shift, eta, adam.t, adam.settings);
      return;
    }
    for (let i = 0; i < n; i++) {
      gain[i]! -= eta * this.gradients.gain[i]!;
      shift[i]! -= eta * this.gradients.shift[i]!;
    }
  }
}
