/**
 * The online executor: batch size 1 on Float32Arrays, no tensor library. At one sample per step,
 * per-operation overhead dominates every tensor library, so this path does the arithmetic itself.
 *
 * Per layer l (input a, output y, error e), from the weights before the update:
 *   u = Wᵀy and g = Bᵀe in one pass over the rows, then one fused update pass
 *   W_ij += (θ y_i − η e_i) a_j − θ y_i u_j,   i.e. −η e aᵀ + θ y (a − Wᵀy)ᵀ.
 * With layer normalisation, e is the error at the pre-normalisation z (through layerNorm.ts), and
 * Oja's term still sees the layer's input a and output y.
 */
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import { activationFn, softmaxInPlace, type ActivationFn } from '../model/activations';
import { cloneParams, extraTerms, isNormalized, ojaPerLayer, type NetworkParams } from '../model/params';
import { EXTRA_TERMS, type ExtraTerm } from '../config/schema';
import { AdamMoments, type AdamSettings } from '../model/adam';
import { NormLayer } from '../model/layerNorm';
import { differenceNorm, norm2, StepNormTally, type TrainingExecutor } from './executor';
import { LossTally } from './lossTally';

export class OnlineExecutor implements TrainingExecutor {
  readonly name = 'online-js' as const;
  private readonly params_: NetworkParams;
  private readonly theta: number[];
  private readonly eta: number;
  private readonly errorTerm: boolean;
  private readonly activation: ActivationFn;
  /** outputs[0] is the input; outputs[l+1] is layer l's output (softmax for the last). */
  private readonly outputs: Float32Array[];
  private readonly errors: Float32Array[];
  private readonly ojaBack: Float32Array[];
  private readonly adam: AdamState | null;
  /** Coefficients of the local terms beyond error and Oja, by layer; null when there are none. */
  private readonly terms: Record<ExtraTerm, number[]> | null;
  /** Sanger's running Σ_{k≤i} y_k W_k per layer (scratch). */
  private readonly sangerSums: Float32Array[];
  /** Per hidden layer with normalisation: what its backward pass and its gain's step need. */
  private readonly norms: Array<NormLayer | null>;
  private readonly losses = new LossTally();
  private readonly stepNorms: StepNormTally;
  private steps = 0;
  divergedAtStep: number | null = null;

  constructor(
    config: ExperimentConfig,
    params: NetworkParams,
    private readonly feedback: Float32Array[] | null,
    private readonly train: Split,
  ) {
    if (config.training.batchSize !== 1) throw new Error('the online executor trains with batch size 1');
    this.params_ = cloneParams(params);
    this.theta = ojaPerLayer(config);
    this.eta = config.rule.learningRate;
    this.errorTerm = config.rule.errorTerm;
    this.activation = activationFn(config.model.activation, config.model.softplusBeta);
    this.outputs = [new Float32Array(params[0]!.nIn), ...params.map((p) => new Float32Array(p.nOut))];
    this.errors = params.map((p) => new Float32Array(p.nOut));
    this.ojaBack = params.map((p) => new Float32Array(p.nIn));
    this.adam = config.rule.optimizer === 'adam' ? new AdamState(this.params_, config.rule.adam) : null;
    this.norms = params.map((p, l) => (isNormalized(config.model, l) ? new NormLayer(p.nOut, p.gain !== undefined, this.adam !== null) : null));
    this.terms = extraTerms(config);
    this.stepNorms = new StepNormTally(params.length, this.terms ? EXTRA_TERMS : []);
    this.sangerSums = params.map((p) => new Float32Array(this.terms?.sanger.some((c) => c !== 0) ? p.nIn : 0));
  }

  step(indices: ArrayLike<number>): void {
    const sample = indices[0]!;
    const loss = this.forward(sample);
    this.steps++;
    if (!Number.isFinite(loss)) {
      this.divergedAtStep ??= this.steps;
      return;
    }
    this.losses.add(loss);
    this.backwardAndUpdate(this.train.labels[sample]!);
  }

  takeLoss() {
    return this.losses.take();
  }

  takeStepNorms() {
    return this.stepNorms.take();
  }

  params(): NetworkParams {
    return cloneParams(this.params_);
  }

  dispose(): void {}

  /** Fills outputs; returns the cross-entropy loss of the sample. */
  private forward(sample: number): number {
    const inputSize = this.outputs[0]!.length;
    this.outputs[0]!.set(this.train.inputs.subarray(sample * inputSize, (sample + 1) * inputSize));
    const last = this.params_.length - 1;
    for (let l = 0; l <= last; l++) {
      const { nOut, nIn, weights, bias } = this.params_[l]!;
      const a = this.outputs[l]!;
      const z = this.outputs[l + 1]!;
      for (let i = 0; i < nOut; i++) {
        let sum = bias ? bias[i]! : 0;
        const row = i * nIn;
        for (let j = 0; j < nIn; j++) sum += weights[row + j]! * a[j]!;
        z[i] = sum;
      }
      const norm = this.norms[l];
      if (norm) norm.forward(z, nOut, this.params_[l]!);
      if (l < last) this.activation.apply(z, z, nOut);
    }
    const logits = this.outputs[last + 1]!;
    const label = this.train.labels[sample]!;
    const target = logits[label]!;
    return softmaxInPlace(logits, logits.length) - target;
  }

  private backwardAndUpdate(label: number): void {
    const last = this.params_.length - 1;
    const eOut = this.errors[last]!;
    eOut.set(this.outputs[last + 1]!);
    eOut[label]! -= 1;
    this.adam?.beginStep();
    for (let l = last; l >= 0; l--) {
      const layer = this.params_[l]!;
      const { nOut, nIn, weights } = layer;
      const a = this.outputs[l]!;
      const y = this.outputs[l + 1]!;
      const e = this.errors[l]!;
      const theta = this.theta[l]!;
      const needBack = l > 0 && this.errorTerm;
      const back = needBack ? this.errors[l - 1]! : null;
      const feedback = this.feedback ? this.feedback[l]! : weights;
      const u = this.ojaBack[l]!;
      if (back) back.fill(0);
      if (theta !== 0) u.fill(0);

      // Pass 1, old weights: u = Wᵀy (Oja) and back = Bᵀe (error signal for the layer below).
      if (theta !== 0 || back) {
        for (let i = 0; i < nOut; i++) {
          const row = i * nIn;
          const yi = theta !== 0 ? y[i]! : 0;
          const ei = back ? e[i]! : 0;
          if (theta !== 0 && back && feedback === weights) {
            for (let j = 0; j < nIn; j++) {
              const w = weights[row + j]!;
              u[j]! += yi * w;
              back[j]! += ei * w;
            }
          } else {
            if (theta !== 0) for (let j = 0; j < nIn; j++) u[j]! += yi * weights[row + j]!;
            if (back) for (let j = 0; j < nIn; j++) back[j]! += ei * feedback[row + j]!;
          }
        }
      }

      // The layer below's error signal, complete (errorHebbian reads it; nothing here changes it).
      if (back) {
        this.activation.scaleByDerivative(back, a, nIn);
        const below = this.norms[l - 1];
        below?.backward(back, this.params_[l - 1]!, this.eta, this.adam ? { settings: this.adam.settings, t: this.adam.step } : null);
      }

      // Both steps are rank one but Adam's: ‖θ y (a − u)ᵀ‖ = θ‖y‖‖a − u‖, ‖η e aᵀ‖ = η‖e‖‖a‖.
      const ojaNorm = theta !== 0 ? theta * norm2(y, nOut) * differenceNorm(a, u, nIn) : 0;
      const sgdNorm = this.errorTerm && !this.adam ? this.eta * norm2(e, nOut) * norm2(a, nIn) : 0;

      // Pass 2: the update. The other local terms first: some scale the old weights.
      if (this.terms) this.applyExtraTerms(l, this.terms, a, y, e, back);
      const adamNorm = this.adam ? this.adam.update(l, layer, e, a, this.eta) : 0;
      this.stepNorms.add(l, ojaNorm, sgdNorm + adamNorm);
      for (let i = 0; i < nOut; i++) {
        const row = i * nIn;
        const oja = theta * y[i]!;
        const alongInput = oja - (this.errorTerm && !this.adam ? this.eta * e[i]! : 0);
        if (oja !== 0) {
          for (let j = 0; j < nIn; j++) weights[row + j]! += alongInput * a[j]! - oja * u[j]!;
        } else if (alongInput !== 0) {
          for (let j = 0; j < nIn; j++) weights[row + j]! += alongInput * a[j]!;
        }
      }
      if (layer.bias && this.errorTerm && !this.adam) {
        for (let i = 0; i < nOut; i++) layer.bias[i]! -= this.eta * e[i]!;
      }
    }
  }

  /**
   * The local terms beyond error and Oja, from the old weights, per row i:
   *   W_i ← (1 − c_os y_i² − c_d) W_i + (c_os + c_s + c_h) y_i a − c_s y_i p_i − c_eH e_i e_below,
   * with Sanger's p_i = Σ_{k≤i} y_k W_k (old rows, summed as the rows go).
   */
  private applyExtraTerms(l: number, terms: Record<ExtraTerm, number[]>, a: Float32Array, y: Float32Array, e: Float32Array, below: Float32Array | null): void {
    const single = terms.ojaSingle[l]!;
    const sanger = terms.sanger[l]!;
    const hebbian = terms.hebbian[l]!;
    const decay = terms.decay[l]!;
    const errorHebbian = below ? terms.errorHebbian[l]! : 0;
    if (single === 0 && sanger === 0 && hebbian === 0 && decay === 0 && errorHebbian === 0) return;
    const { nOut, nIn, weights } = this.params_[l]!;
    const p = sanger !== 0 ? this.sangerSums[l]!.fill(0) : null;
    // Each term's step norm, for its share of the update: squared per row, summed, then the root.
    let singleSq = 0;
    let sangerSq = 0;
    let decaySq = 0;
    for (let i = 0; i < nOut; i++) {
      const row = i * nIn;
      const yi = y[i]!;
      if (p) for (let j = 0; j < nIn; j++) p[j]! += yi * weights[row + j]!;
      const keep = 1 - single * yi * yi - decay;
      const along = (single + sanger + hebbian) * yi;
      const sangerBack = sanger * yi;
      const errorBelow = -errorHebbian * e[i]!;
      for (let j = 0; j < nIn; j++) {
        const old = weights[row + j]!;
        if (single !== 0) singleSq += (single * yi * (a[j]! - yi * old)) ** 2;
        if (p) sangerSq += (sangerBack * (a[j]! - p[j]!)) ** 2;
        if (decay !== 0) decaySq += (decay * old) ** 2;
        let w = old * keep + along * a[j]!;
        if (p) w -= sangerBack * p[j]!;
        if (below && errorBelow !== 0) w += errorBelow * below[j]!;
        weights[row + j] = w;
      }
    }
    // Hebbian and errorHebbian steps are rank one: ‖c y aᵀ‖ = |c|‖y‖‖a‖.
    this.stepNorms.addTerm('ojaSingle', l, Math.sqrt(singleSq));
    this.stepNorms.addTerm('sanger', l, Math.sqrt(sangerSq));
    this.stepNorms.addTerm('decay', l, Math.sqrt(decaySq));
    this.stepNorms.addTerm('hebbian', l, Math.abs(hebbian) * norm2(y, nOut) * norm2(a, nIn));
    this.stepNorms.addTerm('errorHebbian', l, below ? Math.abs(errorHebbian) * norm2(e, nOut) * norm2(below, nIn) : 0);
  }
}

/** Adam on the error term (e aᵀ for weights, e for biases; the normalisation gains keep theirs in NormLayer); Oja's term is added by the caller as is. */
class AdamState {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly bias: Array<AdamMoments | null>;
  private t = 0;

  constructor(
    params: NetworkParams,
    readonly settings: AdamSettings,
  ) {
    this.m = params.map((p) => new Float32Array(p.weights.length));
    this.v = params.map((p) => new Float32Array(p.weights.length));
    this.bias = params.map((p) => (p.bias ? new AdamMoments(p.nOut) : null));
  }

  beginStep(): void {
    this.t++;
  }

  /** The step count (1 at the first update), which the normalisation gains' moments share. */
  get step(): number {
    return this.t;
  }

  /**
   * The weights' step, in float32 operation by operation (Math.fround after each) in the SIMD
   * kernel's order: Adam turns a one-ulp difference in a near-zero m into a step of ±η, so the
   * two online executors must agree to the bit, not just to rounding. Returns the step's Frobenius norm.
   */
  update(l: number, layer: NetworkParams[number], e: Float32Array, a: Float32Array, eta: number): number {
    const f = Math.fround;
    const beta1 = f(this.settings.beta1);
    const beta2 = f(this.settings.beta2);
    const rest1 = f(1 - beta1);
    const rest2 = f(1 - beta2);
    // 1/c₁ and 1/c₂ as the kernel gets them (it multiplies rather than divides).
    const invC1 = f(1 / (1 - this.settings.beta1 ** this.t));
    const invC2 = f(1 / (1 - this.settings.beta2 ** this.t));
    const rate = f(eta);
    const epsilon = f(this.settings.epsilon);
    const m = this.m[l]!;
    const v = this.v[l]!;
    const { nOut, nIn, weights } = layer;
    let squares = 0;
    for (let i = 0; i < nOut; i++) {
      const row = i * nIn;
      const ei = e[i]!;
      for (let j = 0; j < nIn; j++) {
        const g = f(ei * a[j]!);
        const k = row + j;
        const mk = f(f(beta1 * m[k]!) + f(rest1 * g));
        const vk = f(f(beta2 * v[k]!) + f(rest2 * f(g * g)));
        m[k] = mk;
        v[k] = vk;
        const step = f(f(rate * f(mk * invC1)) / f(f(Math.sqrt(f(vk * invC2))) + epsilon));
        weights[k]! -= step;
        squares += step * step;
      }
    }
    if (layer.bias) this.bias[l]!.step(layer.bias, e, eta, this.t, this.settings);
    return Math.sqrt(squares);
  }
}
