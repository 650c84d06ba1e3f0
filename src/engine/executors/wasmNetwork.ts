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
 */
import type { ExperimentConfig } from '../config/schema';
import { softmaxInPlace } from '../model/activations';
import { ojaPerLayer, type NetworkParams } from '../model/params';
import { ACTIVATION_KIND, padded, type Arena } from './wasm/kernels';
import { LossTally } from './lossTally';

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
  private steps = 0;
  divergedAtStep: number | null = null;

  constructor(
    private readonly arena: Arena,
    config: ExperimentConfig,
    params: NetworkParams,
    feedback: Float32Array[] | null,
  ) {
    if (config.rule.optimizer !== 'sgd') throw new Error('the WebAssembly online executor implements plain SGD only');
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
      };
    });
    const heap = arena.f32;
    this.layers.forEach((layer, l) => {
      writeRows(heap, layer.weights, params[l]!.weights, layer);
      if (feedback) writeRows(heap, layer.feedback, feedback[l]!, layer);
      if (layer.bias) heap.set(params[l]!.bias!, layer.bias >> 2);
    });
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
      const weights = new Float32Array(layer.nOut * layer.nIn);
      for (let i = 0; i < layer.nOut; i++) {
        const row = (layer.weights >> 2) + i * layer.stride;
        weights.set(heap.subarray(row, row + layer.nIn), i * layer.nIn);
      }
      const bias = layer.bias ? heap.slice(layer.bias >> 2, (layer.bias >> 2) + layer.nOut) : null;
      return { nOut: layer.nOut, nIn: layer.nIn, weights, bias };
    });
  }

  /** Fills the outputs; returns the cross-entropy loss of the sample. */
  private forward(heap: Float32Array, input: Float32Array, label: number): number {
    const { kernels } = this.arena;
    heap.set(input, this.outputs[0]! >> 2);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l]!;
      // The output layer's u needs the softmax of all its outputs, so it is computed in backward.
      const u = layer.theta !== 0 && l < last ? layer.u : 0;
      if (u) heap.fill(0, u >> 2, (u >> 2) + layer.stride);
      kernels.forwardLayer(
        layer.weights, layer.nOut, layer.stride, this.outputs[l]!, layer.bias, this.outputs[l + 1]!,
        l < last ? this.kind : ACTIVATION_KIND.linear, this.beta,
        layer.pending ? 1 : 0, layer.alpha, layer.betas, layer.aPrev, layer.theta !== 0 ? 1 : 0, layer.uPrev, u,
      );
      layer.pending = false;
    }
    const logits = heap.subarray(this.outputs[last + 1]! >> 2, (this.outputs[last + 1]! >> 2) + this.layers[last]!.nOut);
    const target = logits[label]!;
    return softmaxInPlace(logits, logits.length) - target;
  }

  private backward(heap: Float32Array, label: number): void {
    const { kernels } = this.arena;
    const last = this.layers.length - 1;
    const outLayer = this.layers[last]!;
    const eOut = this.errors[last]! >> 2;
    heap.copyWithin(eOut, this.outputs[last + 1]! >> 2, (this.outputs[last + 1]! >> 2) + outLayer.nOut);
    heap[eOut + label]! -= 1;
    if (outLayer.theta !== 0) kernels.transposedProduct(outLayer.weights, outLayer.nOut, outLayer.stride, this.outputs[last + 1]!, outLayer.u);
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l]!;
      const a = this.outputs[l]! >> 2;
      const y = this.outputs[l + 1]! >> 2;
      const e = this.errors[l]! >> 2;
      if (l > 0 && this.errorTerm) {
        const back = this.errors[l - 1]!;
        kernels.transposedProduct(layer.feedback, layer.nOut, layer.stride, this.errors[l]!, back);
        kernels.scaleBySlope(back, this.outputs[l]!, layer.stride, this.kind, this.beta);
      }
      const { theta, nOut } = layer;
      if (theta === 0 && !this.errorTerm) continue;
      const alpha = layer.alpha >> 2;
      const betas = layer.betas >> 2;
      const eta = this.errorTerm ? this.eta : 0;
      for (let i = 0; i < nOut; i++) {
        const oja = theta * heap[y + i]!;
        heap[alpha + i] = oja - eta * heap[e + i]!;
        heap[betas + i] = -oja;
      }
      heap.copyWithin(layer.aPrev >> 2, a, a + layer.stride);
      if (theta !== 0) heap.copyWithin(layer.uPrev >> 2, layer.u >> 2, (layer.u >> 2) + layer.stride);
      layer.pending = true;
      if (layer.bias && this.errorTerm) {
        const bias = layer.bias >> 2;
        for (let i = 0; i < nOut; i++) heap[bias + i]! -= this.eta * heap[e + i]!;
      }
    }
  }
}

function writeRows(heap: Float32Array, offset: number, matrix: Float32Array, layer: { nOut: number; nIn: number; stride: number }): void {
  for (let i = 0; i < layer.nOut; i++) heap.set(matrix.subarray(i * layer.nIn, (i + 1) * layer.nIn), (offset >> 2) + i * layer.stride);
}
