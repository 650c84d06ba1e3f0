/**
 * One network trained one sample at a time on the WebAssembly SIMD kernels. The same rule as the
 * reference executor (online.ts), reorganised so each weight matrix is passed over as few times as
 * possible per step:
 *   forward:  W += α aPrevᵀ + β uPrevᵀ (the previous step's update, deferred), y = σ(W a), u = Wᵀy
 *             — one pass, rows reused from L1 for u;
 *   backward: back = Bᵀe (B = W, or the fixed feedback matrix) — one read-only pass, layers above
 *             the first only; then α = θy − ηe and β = −θy are stored for the next forward.
 * So the first layer (most of the weights) is touched once per step, the others twice, against
 * three times (forward, Wᵀy/Wᵀe, update) in the reference. Several networks can share one Arena
 * (lockstep sweep members).
 *
 * The other local terms (rule.terms) are applied at once in backward, from the old weights before
 * any other step touches them: those that scale or mix the old rows (decay, ojaSingle, Sanger's)
 * by one kernel pass, errorHebbian as a rank-one update; their y aᵀ parts join α.
 *
 * Two options cost one more pass: with layer normalisation, y needs every z of its layer first,
 * so a normalised layer runs forward without the fused u and gets u = Wᵀy afterwards; with Adam,
 * the error term is applied at once by its own kernel (its moments are per weight, not rank one),
 * and only Oja's term is deferred.
 */
import { EXTRA_TERMS, type ExperimentConfig, type ExtraTerm } from '../config/schema';
import { softmaxInPlace } from '../model/activations';
import { extraTerms, isNormalized, ojaPerLayer, type NetworkParams } from '../model/params';
import { AdamMoments, type AdamSettings } from '../model/adam';
import { NormLayer, type NormParams } from '../model/layerNorm';
import { ACTIVATION_KIND, padded, readPaddedRows, writePaddedRows, type Arena } from './wasm/kernels';
import { LossTally } from './lossTally';
import { StepNormTally } from './executor';

interface LayerBuffers {
  nOut: number;
  nIn: number;
  stride: number;
  weights: number;
  feedback: number;
  bias: number;
  alpha: number;
  betas: number;
  aPrev: number;
  u: number;
  uPrev: number;
  pending: boolean;
  theta: number;
  /** The local terms' scratch (byte offsets): α for errorHebbian's rank-one step, Sanger's running sum, the norms out. */
  terms: { alpha: number; prefix: number; norms: number } | null;
  /** Adam's moments of the weights (byte offsets) and of the bias; null with SGD. */
  adam: { m: number; v: number; bias: AdamMoments | null } | null;
  norm: NormState | null;
}

/** A normalised layer: its training state, and its learned gain and shift (absent without them). */
interface NormState {
  layer: NormLayer;
  params: NormParams;
}

export class WasmNetwork {
  private readonly layers: LayerBuffers[];
  /** outputs[0] is the input; outputs[l+1] is layer l's output (softmax for the last). */
  private readonly outputs: number[];
  private readonly errors: number[];
  private readonly eta: number;
  private readonly errorTerm: boolean;
  private readonly kind: number;
  private readonly beta: number;
  private readonly losses = new LossTally();
  private readonly stepNorms: StepNormTally;
  private readonly adam: AdamSettings | null;
  private readonly terms: Record<ExtraTerm, number[]> | null;
  /** Adam's step count: steps that updated (a diverged step does not). */
  private updates = 0;
  private steps = 0;
  divergedAtStep: number | null = null;

  constructor(
    private readonly arena: Arena,
    config: ExperimentConfig,
    params: NetworkParams,
    feedback: Float32Array[] | null,
  ) {
    this.terms = extraTerms(config);
    this.adam = config.rule.optimizer === 'adam' ? config.rule.adam : null;
    const theta = ojaPerLayer(config);
    this.eta = config.rule.learningRate;
    this.errorTerm = config.rule.errorTerm;
    this.kind = ACTIVATION_KIND[config.model.activation];
    this.beta = config.model.softplusBeta;
    this.outputs = [arena.alloc(padded(params[0]!.nIn)), ...params.map((p) => arena.alloc(padded(p.nOut)))];
    this.errors = params.map((p) => arena.alloc(padded(p.nOut)));
    this.layers = params.map((p, l) => {
      const stride = padded(p.nIn);
      const weights = arena.alloc(p.nOut * stride);
      return {
        nOut: p.nOut,
        nIn: p.nIn,
        stride,
        weights,
        feedback: feedback ? arena.alloc(p.nOut * stride) : weights,
        bias: p.bias ? arena.alloc(padded(p.nOut)) : 0,
        alpha: arena.alloc(padded(p.nOut)),
        betas: arena.alloc(padded(p.nOut)),
        aPrev: arena.alloc(stride),
        u: arena.alloc(stride),
        uPrev: arena.alloc(stride),
        pending: false,
        theta: theta[l]!,
        terms: this.terms ? { alpha: arena.alloc(padded(p.nOut)), prefix: arena.alloc(stride), norms: arena.alloc(8) } : null,
        adam: this.adam ? { m: arena.alloc(p.nOut * stride), v: arena.alloc(p.nOut * stride), bias: p.bias ? new AdamMoments(p.nOut) : null } : null,
        norm: isNormalized(config.model, l) ? this.normState(p) : null,
      };
    });
    this.stepNorms = new StepNormTally(params.length, this.terms ? EXTRA_TERMS : []);
    const heap = arena.f32;
    this.layers.forEach((layer, l) => {
      writeRows(heap, layer.weights, params[l]!.weights, layer);
      if (feedback) writeRows(heap, layer.feedback, feedback[l]!, layer);
      if (layer.bias) heap.set(params[l]!.bias!, layer.bias >> 2);
    });
  }

  private normState(p: NetworkParams[number]): NormState {
    const learned = p.gain !== undefined && p.shift !== undefined;
    return { layer: new NormLayer(p.nOut, learned, this.adam !== null), params: learned ? { gain: p.gain!.slice(), shift: p.shift!.slice() } : {} };
  }


  /** One online step on `input` (nIn floats) with class `label`. */
  step(input: Float32Array, label: number): void {
    const heap = this.arena.f32;
    const loss = this.forward(heap, input, label);
    this.steps++;
    if (!Number.isFinite(loss)) {
      // No update from this step, as in the reference; the previous one is already applied.
      this.divergedAtStep ??= this.steps;
      for (const layer of this.layers) layer.pending = false;
      return;
    }
    this.losses.add(loss);
    this.backward(heap, label);
  }

  takeLoss() {
    return this.losses.take();
  }

  takeStepNorms() {
    return this.stepNorms.take();
  }

  /** A copy of the parameters, with any deferred update applied first. */
  params(): NetworkParams {
    const { kernels } = this.arena;
    for (const layer of this.layers) {
      if (!layer.pending) continue;
      kernels.applyUpdate(layer.weights, layer.nOut, layer.stride, layer.alpha, layer.betas, layer.aPrev, layer.theta !== 0 ? 1 : 0, layer.uPrev);
      layer.pending = false;
    }
    const heap = this.arena.f32;
    return this.layers.map((layer) => {
      const weights = readPaddedRows(heap, layer.weights, layer.nOut, layer.nIn, layer.stride);
      const bias = layer.bias ? heap.slice(layer.bias >> 2, (layer.bias >> 2) + layer.nOut) : null;
      const { gain, shift } = layer.norm?.params ?? {};
      const norm = gain && shift ? { gain: gain.slice(), shift: shift.slice() } : {};
      return { nOut: layer.nOut, nIn: layer.nIn, weights, bias, ...norm };
    });
  }

  /** Fills the outputs; returns the cross-entropy loss of the sample. */
  private forward(heap: Float32Array, input: Float32Array, label: number): number {
    const { kernels } = this.arena;
    heap.set(input, this.outputs[0]! >> 2);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l]!;
      const out = this.outputs[l + 1]!;
      // The output layer's u needs the softmax of all its outputs, so it is computed in backward;
      // a normalised layer's needs all of its outputs too, so it is computed below.
      const u = layer.theta !== 0 && l < last && !layer.norm ? layer.u : 0;
      if (u) heap.fill(0, u >> 2, (u >> 2) + layer.stride);
      kernels.forwardLayer(
        layer.weights, layer.nOut, layer.stride, this.outputs[l]!, layer.bias, out,
        l < last && !layer.norm ? this.kind : ACTIVATION_KIND.linear, this.beta,
        layer.pending ? 1 : 0, layer.alpha, layer.betas, layer.aPrev, layer.theta !== 0 ? 1 : 0, layer.uPrev, u,
      );
      layer.pending = false;
      if (layer.norm) {
        const z = out >> 2;
        layer.norm.layer.forward(heap.subarray(z, z + layer.nOut), layer.nOut, layer.norm.params);
        const width = padded(layer.nOut);
        kernels.activateAll(out, out, width, this.kind, this.beta);
        // σ(0) ≠ 0 for softplus: the padding must stay zero (see the kernels' header).
        heap.fill(0, z + layer.nOut, z + width);
        if (layer.theta !== 0) kernels.transposedProduct(layer.weights, layer.nOut, layer.stride, out, layer.u);
      }
    }
    const logits = heap.subarray(this.outputs[last + 1]! >> 2, (this.outputs[last + 1]! >> 2) + this.layers[last]!.nOut);
    const target = logits[label]!;
    return softmaxInPlace(logits, logits.length) - target;
  }

  /**
   * Layer l's local terms beyond error and Oja, from its old weights, as online.ts applies them:
   * the row scalings and Sanger's mixing of rows in one kernel pass, errorHebbian's rank-one step
   * at once; returns the coefficient of their shared y aᵀ part (ojaSingle + sanger + hebbian), which
   * joins the deferred α. Records each term's step norm.
   */
  private applyExtraTerms(l: number, layer: LayerBuffers): number {
    const terms = this.terms!;
    const scratch = layer.terms!;
    const { kernels } = this.arena;
    const width = padded(layer.nOut);
    const a = this.outputs[l]!;
    const y = this.outputs[l + 1]!;
    const single = terms.ojaSingle[l]!;
    const sanger = terms.sanger[l]!;
    const decay = terms.decay[l]!;
    const hebbian = terms.hebbian[l]!;
    const errorHebbian = l > 0 && this.errorTerm ? terms.errorHebbian[l]! : 0;
    if (single !== 0 || sanger !== 0 || decay !== 0) {
      kernels.localTerms(layer.weights, layer.nOut, layer.stride, a, y, decay, single, sanger, scratch.prefix, scratch.norms);
      const norms = this.arena.f32.subarray(scratch.norms >> 2, (scratch.norms >> 2) + 3);
      this.stepNorms.addTerm('ojaSingle', l, Math.abs(single) * Math.sqrt(norms[0]!));
      this.stepNorms.addTerm('sanger', l, Math.abs(sanger) * Math.sqrt(norms[1]!));
      this.stepNorms.addTerm('decay', l, Math.abs(decay) * Math.sqrt(norms[2]!));
    }
    if (errorHebbian !== 0) {
      const heap = this.arena.f32;
      const e = this.errors[l]! >> 2;
      const alpha = scratch.alpha >> 2;
      for (let i = 0; i < layer.nOut; i++) heap[alpha + i] = -errorHebbian * heap[e + i]!;
      const below = this.errors[l - 1]!;
      kernels.applyUpdate(layer.weights, layer.nOut, layer.stride, scratch.alpha, 0, below, 0, 0);
      this.stepNorms.addTerm('errorHebbian', l, Math.abs(errorHebbian) * vectorNorm(kernels, this.errors[l]!, width) * vectorNorm(kernels, below, layer.stride));
    }
    if (hebbian !== 0) this.stepNorms.addTerm('hebbian', l, Math.abs(hebbian) * vectorNorm(kernels, y, width) * vectorNorm(kernels, a, layer.stride));
    return single + sanger + hebbian;
  }

  private backward(heap: Float32Array, label: number): void {
    const { kernels } = this.arena;
    const last = this.layers.length - 1;
    const outLayer = this.layers[last]!;
    const eOut = this.errors[last]! >> 2;
    heap.copyWithin(eOut, this.outputs[last + 1]! >> 2, (this.outputs[last + 1]! >> 2) + outLayer.nOut);
    heap[eOut + label]! -= 1;
    if (outLayer.theta !== 0) kernels.transposedProduct(outLayer.weights, outLayer.nOut, outLayer.stride, this.outputs[last + 1]!, outLayer.u);
    this.updates++;
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l]!;
      const a = this.outputs[l]! >> 2;
      const y = this.outputs[l + 1]! >> 2;
      const e = this.errors[l]! >> 2;
      if (l > 0 && this.errorTerm) {
        const back = this.errors[l - 1]!;
        kernels.transposedProduct(layer.feedback, layer.nOut, layer.stride, this.errors[l]!, back);
        kernels.scaleBySlope(back, this.outputs[l]!, layer.stride, this.kind, this.beta);
        const below = this.layers[l - 1]!.norm;
        below?.layer.backward(heap.subarray(back >> 2, (back >> 2) + layer.nIn), below.params, this.eta, this.adam ? { settings: this.adam, t: this.updates } : null);
      }
      const { theta, nOut } = layer;
      // Both steps are rank one but Adam's: ‖θ y (a − u)ᵀ‖ = θ‖y‖‖a − u‖, ‖η e aᵀ‖ = η‖e‖‖a‖ (padding is zero).
      const width = padded(nOut);
      const ojaNorm = theta !== 0 ? theta * Math.sqrt(kernels.squaredDistance(this.outputs[l + 1]!, 0, width) * kernels.squaredDistance(this.outputs[l]!, layer.u, layer.stride)) : 0;
      let errorNorm = this.errorTerm && !this.adam ? this.eta * Math.sqrt(kernels.squaredDistance(this.errors[l]!, 0, width) * kernels.squaredDistance(this.outputs[l]!, 0, layer.stride)) : 0;
      // The other local terms first: some scale the old weights, which Adam's step must not be.
      const along = this.terms ? this.applyExtraTerms(l, layer) : 0;
      if (layer.adam && this.adam) {
        const { beta1, beta2, epsilon } = this.adam;
        const invC1 = 1 / (1 - beta1 ** this.updates);
        const invC2 = 1 / (1 - beta2 ** this.updates);
        errorNorm = Math.sqrt(kernels.adamUpdate(layer.weights, layer.adam.m, layer.adam.v, nOut, layer.stride, this.errors[l]!, this.outputs[l]!, beta1, beta2, invC1, invC2, this.eta, epsilon));
        if (layer.adam.bias) layer.adam.bias.step(heap.subarray(layer.bias >> 2, (layer.bias >> 2) + nOut), heap.subarray(e, e + nOut), this.eta, this.updates, this.adam);
      }
      this.stepNorms.add(l, ojaNorm, errorNorm);
      // With Adam the error term is applied already; only Oja's term is left to defer.
      const eta = this.errorTerm && !this.adam ? this.eta : 0;
      if (theta === 0 && eta === 0 && along === 0) continue;
      const alpha = layer.alpha >> 2;
      const betas = layer.betas >> 2;
      for (let i = 0; i < nOut; i++) {
        const oja = theta * heap[y + i]!;
        heap[alpha + i] = oja + along * heap[y + i]! - eta * heap[e + i]!;
        heap[betas + i] = -oja;
      }
      heap.copyWithin(layer.aPrev >> 2, a, a + layer.stride);
      if (theta !== 0) heap.copyWithin(layer.uPrev >> 2, layer.u >> 2, (layer.u >> 2) + layer.stride);
      layer.pending = true;
      if (layer.bias && eta !== 0) {
        const bias = layer.bias >> 2;
        for (let i = 0; i < nOut; i++) heap[bias + i]! -= this.eta * heap[e + i]!;
      }
    }
  }
}

/** ‖x‖ over `floats` values at byte offset x (the padding is zero). */
function vectorNorm(kernels: Arena['kernels'], x: number, floats: number): number {
  return Math.sqrt(kernels.squaredDistance(x, 0, floats));
}

function writeRows(heap: Float32Array, offset: number, matrix: Float32Array, layer: { nOut: number; nIn: number; stride: number }): void {
  writePaddedRows(heap, offset, matrix, layer.nOut, layer.nIn, layer.stride);
}
