/**
 * Meta-learning's inner loop on the WebAssembly SIMD kernels (assembly/metaKernels.ts), in float32:
 * the same online steps and the same forward-mode tangents dW/dc as the float64 reference
 * (innerLoop.ts), reorganised as the online executor is. Each step's update of W and of every
 * tangent is rank-few (outer products of vectors the step computed) plus a row scaling, so it is
 * deferred to the next step's pass over the rows, which applies it, multiplies the row with the
 * layer's input and adds it into Oja's back-projections while it is in cache: one pass per step
 * over each matrix, where the reference makes four. The error signals go down by one more pass
 * over the feedback matrices above the first layer. Sanger's term (a running sum over the rows) is
 * left to the reference: `wasmInnerLoopSupports` says which rules run here.
 */
import { ACTIVATION_KIND, Arena, padded, readPaddedRows, writePaddedRows } from '../executors/wasm/kernels';
import { metaKernelModule, type MetaKernelExports } from './metaKernels';
import { softmaxInPlace } from '../model/activations';
import { actsOn, type InnerRule, type InnerStep, type Learnable, type QueryResult } from './innerLoop';

/** Slots of a layer's descriptor, as assembly/metaKernels.ts reads them. */
const SLOT = {
  w: 0, wDot: 1, nOut: 2, stride: 3, K: 4, input: 5, inputDot: 6, output: 7, slope: 8, curvature: 9, zDot: 10, outputDot: 11,
  outStride: 12, kind: 13, beta: 14, activate: 15, flags: 16, coefW: 17, coefT: 18, preP: 19, preDotP: 20, uP: 21, uDotP: 22,
  belowP: 23, belowDotP: 24, u: 25, uDot: 26, errors: 27, sent: 28, feedback: 29, rule: 30, belowDesc: 31,
} as const;
const SLOT_COUNT = 32;
const FLAG = { preDot: 1, below: 2, u: 4, rowScale: 8 } as const;
/** Per-row coefficient vectors: W's α, β, γ, s; each tangent's A … H. */
const W_COEFFICIENTS = 4;
const TANGENT_COEFFICIENTS = 8;
/** A layer's rule block: η, θ, c_eH, c_os, c_h, c_d, then per tangent the 0/1 weights of its own term in that order. */
/** Query samples per pass of metaQueryLayer. */
const QUERY_BATCH = 4;
const RULE_TERMS = ['error', 'oja', 'errorHebbian', 'ojaSingle', 'hebbian', 'decay'] as const;

/** Whether the SIMD inner loop runs `rule` here: the kernels exist, and Sanger's term is neither in the rule nor learned. */
export function wasmInnerLoopSupports(rule: InnerRule): boolean {
  return metaKernelModule() !== null && !rule.learned.includes('sanger') && rule.coefficients.sanger.every((c) => c === 0);
}

interface Layer {
  nIn: number;
  nOut: number;
  /** Floats per row of W (nIn padded) and per output vector (nOut padded). */
  stride: number;
  outStride: number;
  desc: number;
  w: number;
  wDot: number;
  feedback: number;
  coefW: number;
  coefT: number;
  preP: number;
  preDotP: number;
  uP: number;
  uDotP: number;
  belowP: number;
  belowDotP: number;
  u: number;
  uDot: number;
  slope: number;
  curvature: number;
  zDot: number;
  /** [e, ė_0 … ė_{K−1}], outStride apart; [g, ġ_0 …] = Bᵀ of them, stride apart (layers above the first). */
  errors: number;
  sent: number;
  rule: number;
  flags: number;
}

export const PROF = [0,0,0,0,0,0,0,0];
export class WasmInnerLoop implements InnerStep {
  readonly sizes: number[];
  private readonly arena: Arena<MetaKernelExports>;
  private readonly kernels: MetaKernelExports;
  private readonly layers: Layer[];
  /** outputs[0] is the input; outputs[l+1] layer l's output; outputDots likewise (K vectors each). */
  private readonly outputs: number[];
  private readonly outputDots: number[];
  private readonly K: number;
  private rule: InnerRule;
  private acts: boolean[][] = [];
  private pending = false;
  private heap!: Float32Array;
  /** Buffers for four query samples at a time: per level their inputs and input tangents, per layer their ż. */
  private readonly queryBatch: { x: number[]; xDot: number[]; zDot: number[] };
  /** The feedback matrices in the arena (written again only when a rule brings others). */
  private feedbackWritten: InnerRule['feedback'] = null;

  /** `module`: one build of the kernels (tests run both); the fastest that runs here by default. */
  constructor(sizes: readonly number[], weights: ArrayLike<number>[], rule: InnerRule, module = metaKernelModule()) {
    if (!module) throw new Error('the WebAssembly kernels are missing (media/wasm); run `npm run build` first');
    this.sizes = [...sizes];
    this.arena = new Arena<MetaKernelExports>(module);
    this.kernels = this.arena.kernels;
    this.K = rule.learned.length;
    this.rule = rule;
    const arena = this.arena;
    const K = this.K;
    this.outputs = sizes.map((n) => arena.alloc(padded(n)));
    this.outputDots = sizes.map((n) => arena.alloc(K * padded(n)));
    this.layers = sizes.slice(1).map((nOut, l) => {
      const nIn = sizes[l]!;
      const stride = padded(nIn);
      const outStride = padded(nOut);
      const matrix = nOut * stride;
      // e_{l−1} and its tangents, kept for errorHebbian: one block, as the layer below lays them out.
      const below = arena.alloc((1 + K) * stride);
      return {
        nIn, nOut, stride, outStride,
        desc: arena.alloc(SLOT_COUNT),
        w: arena.alloc(matrix),
        wDot: arena.alloc(K * matrix),
        feedback: rule.feedback ? arena.alloc(matrix) : 0,
        coefW: arena.alloc(W_COEFFICIENTS * outStride),
        coefT: arena.alloc(K * TANGENT_COEFFICIENTS * outStride),
        preP: arena.alloc(stride),
        preDotP: arena.alloc(K * stride),
        uP: arena.alloc(stride),
        uDotP: arena.alloc(K * stride),
        belowP: below,
        belowDotP: below + 4 * stride,
        u: arena.alloc(stride),
        uDot: arena.alloc(K * stride),
        slope: arena.alloc(outStride),
        curvature: arena.alloc(outStride),
        zDot: arena.alloc(K * outStride),
        errors: arena.alloc((1 + K) * outStride),
        sent: arena.alloc((1 + K) * stride),
        rule: arena.alloc(RULE_TERMS.length * (1 + K)),
        flags: 0,
      };
    });
    this.queryBatch = {
      x: sizes.map((n) => arena.alloc(QUERY_BATCH * padded(n))),
      xDot: sizes.map((n) => arena.alloc(QUERY_BATCH * K * padded(n))),
      zDot: this.layers.map((layer) => arena.alloc(QUERY_BATCH * K * layer.outStride)),
    };
    this.heap = arena.f32;
    this.begin(weights, rule);
  }

  /** Starts over from `weights` with `rule` (the same sizes and learned coefficients): tangents zero, nothing pending. */
  begin(weights: ArrayLike<number>[], rule: InnerRule): void {
    if (rule.learned.length !== this.K) throw new Error(`this inner loop carries ${this.K} tangents, not ${rule.learned.length}`);
    this.rule = rule;
    const L = this.layers.length;
    this.acts = rule.learned.map((name) => this.layers.map((_, l) => actsOn(name, l, L, rule)));
    const heap = this.heap;
    const ints = new Int32Array(heap.buffer);
    this.layers.forEach((layer, l) => {
      writeRows(heap, layer.w, weights[l]!, layer);
      if (layer.feedback && rule.feedback !== this.feedbackWritten) writeRows(heap, layer.feedback, rule.feedback![l]!, layer);
      // Everything the previous start left behind: tangents, deferred vectors, error signals.
      heap.fill(0, layer.wDot >> 2, (layer.wDot >> 2) + this.K * layer.nOut * layer.stride);
      for (const at of [layer.preP, layer.uP]) heap.fill(0, at >> 2, (at >> 2) + layer.stride);
      for (const at of [layer.preDotP, layer.uDotP]) heap.fill(0, at >> 2, (at >> 2) + this.K * layer.stride);
      heap.fill(0, layer.belowP >> 2, (layer.belowP >> 2) + (1 + this.K) * layer.stride);
      heap.fill(0, layer.errors >> 2, (layer.errors >> 2) + (1 + this.K) * layer.outStride);
      layer.flags = this.flagsOf(l);
      const d = layer.desc >> 2;
      const slots: [keyof typeof SLOT, number][] = [
        ['w', layer.w], ['wDot', layer.wDot], ['nOut', layer.nOut], ['stride', layer.stride], ['K', this.K],
        ['input', this.outputs[l]!], ['inputDot', l > 0 && this.K > 0 ? this.outputDots[l]! : 0], ['output', this.outputs[l + 1]!],
        ['slope', layer.slope], ['curvature', layer.curvature], ['zDot', layer.zDot], ['outputDot', this.outputDots[l + 1]!],
        ['outStride', layer.outStride], ['kind', ACTIVATION_KIND[rule.activation]], ['activate', l < L - 1 ? 1 : 0], ['flags', layer.flags],
        ['coefW', layer.coefW], ['coefT', layer.coefT], ['preP', layer.preP], ['preDotP', layer.preDotP], ['uP', layer.uP],
        ['uDotP', layer.uDotP], ['belowP', layer.belowP], ['belowDotP', layer.belowDotP], ['u', layer.u], ['uDot', layer.uDot],
        ['errors', layer.errors], ['sent', layer.sent], ['feedback', layer.feedback || layer.w], ['rule', layer.rule],
        ['belowDesc', l > 0 ? this.layers[l - 1]!.desc : 0],
      ];
      for (const [name, value] of slots) ints[d + SLOT[name]] = value;
      heap[d + SLOT.beta] = rule.beta;
      heap.set(this.ruleBlock(l), layer.rule >> 2);
    });
    this.feedbackWritten = rule.feedback;
    this.pending = false;
  }

  /** Layer l's coefficients (0 where a term does not act: the error terms without error signals, errorHebbian on the first layer), then each tangent's own-term weights. */
  private ruleBlock(l: number): number[] {
    const c = this.rule.coefficients;
    const errors = this.rule.errorTerm;
    const values = [errors ? c.error[l]! : 0, c.oja[l]!, l > 0 && errors ? c.errorHebbian[l]! : 0, c.ojaSingle[l]!, c.hebbian[l]!, c.decay[l]!];
    this.rule.learned.forEach((name, k) => {
      for (const term of RULE_TERMS) values.push(this.acts[k]![l]! && name === term ? 1 : 0);
    });
    return values;
  }

  /** Which pieces of the deferred updates layer l has (the kernels skip the others). */
  private flagsOf(l: number): number {
    const c = this.rule.coefficients;
    const learnsHere = (name: Learnable) => this.rule.learned.some((n, k) => n === name && this.acts[k]![l]!);
    let flags = 0;
    if (l > 0) flags |= FLAG.preDot;
    if (l > 0 && this.rule.errorTerm && (c.errorHebbian[l] !== 0 || learnsHere('errorHebbian'))) flags |= FLAG.below;
    if (c.oja[l] !== 0 || learnsHere('oja')) flags |= FLAG.u;
    if (c.ojaSingle[l] !== 0 || c.decay[l] !== 0 || learnsHere('ojaSingle') || learnsHere('decay')) flags |= FLAG.rowScale;
    return flags;
  }

  weights(): Float32Array[] {
    this.flush();
    return this.layers.map((layer) => readRows(this.heap, layer.w, layer));
  }

  tangent(k: number): Float32Array[] {
    this.flush();
    return this.layers.map((layer) => readRows(this.heap, layer.wDot + 4 * k * layer.nOut * layer.stride, layer));
  }

  /** Applies the deferred updates (by a forward pass whose results nobody reads). */
  private flush(): void {
    if (!this.pending) return;
    this.forward(new Float32Array(this.sizes[0]!), false);
  }

  /** Forward pass: layer by layer, then the softmax and its tangents ȧ = a ⊙ (ż − aᵀż). */
  private forward(x: ArrayLike<number>, accumulate: boolean): void {
    const heap = this.heap;
    heap.set(x, this.outputs[0]! >> 2);
    const L = this.layers.length;
    for (let l = 0; l < this.layers.length; l++) { const t0 = performance.now(); this.kernels.metaForwardLayer(this.layers[l]!.desc, this.pending ? 1 : 0, accumulate ? 1 : 0); PROF[l] += performance.now() - t0; }
    this.pending = false;
    const last = this.layers[L - 1]!;
    const y = this.outputs[L]! >> 2;
    softmaxInPlace(heap.subarray(y, y + last.nOut), last.nOut);
    if (!accumulate) return;
    for (let k = 0; k < this.K; k++) {
      const zd = (last.zDot >> 2) + k * last.outStride;
      const yd = (this.outputDots[L]! >> 2) + k * last.outStride;
      let mean = 0;
      for (let i = 0; i < last.nOut; i++) mean += heap[y + i]! * heap[zd + i]!;
      for (let i = 0; i < last.nOut; i++) heap[yd + i] = heap[y + i]! * (heap[zd + i]! - mean);
    }
    if (last.flags & FLAG.u) this.kernels.metaAccumulate(last.desc);
  }

  step(x: ArrayLike<number>, label: number): number {
    const heap = this.heap;
    const L = this.layers.length;
    this.forward(x, true);
    const y = this.outputs[L]! >> 2;
    const loss = -Math.log(heap[y + label]!);
    if (this.rule.errorTerm) {
      // ė_L = ȧ_L; the layers below get theirs from metaBackward.
      const top = this.layers[L - 1]!;
      const e = top.errors >> 2;
      for (let i = 0; i < top.nOut; i++) heap[e + i] = heap[y + i]! - (i === label ? 1 : 0);
      heap.copyWithin(e + top.outStride, this.outputDots[L]! >> 2, (this.outputDots[L]! >> 2) + this.K * top.outStride);
      for (let l = L - 1; l > 0; l--) this.kernels.metaBackward(this.layers[l]!.desc);
    }
    for (const layer of this.layers) this.kernels.metaDefer(layer.desc);
    this.pending = true;
    return loss;
  }

  query(inputs: ArrayLike<number>, labels: ArrayLike<number>, count: number): QueryResult {
    const heap = this.heap;
    const L = this.layers.length;
    const last = this.layers[L - 1]!;
    const nIn = this.sizes[0]!;
    const tally = { loss: 0, correct: 0, gradient: new Array<number>(this.K).fill(0) };
    let s = 0;
    // The first sample on its own applies the updates still deferred; then four at a time.
    if (this.pending) {
      this.forward(sampleOf(inputs, s, nIn), false);
      this.score(this.outputs[L]! >> 2, last.zDot >> 2, labels[s]!, tally);
      s++;
    }
    const batch = this.queryBatch;
    for (; s + QUERY_BATCH <= count; s += QUERY_BATCH) {
      for (let b = 0; b < QUERY_BATCH; b++) heap.set(sampleOf(inputs, s + b, nIn), (batch.x[0]! >> 2) + b * this.layers[0]!.stride);
      this.layers.forEach((layer, l) => this.kernels.metaQueryLayer(layer.desc, batch.x[l]!, l > 0 ? batch.xDot[l]! : 0, batch.x[l + 1]!, batch.xDot[l + 1]!, batch.zDot[l]!));
      for (let b = 0; b < QUERY_BATCH; b++) {
        const y = (batch.x[L]! >> 2) + b * last.outStride;
        softmaxInPlace(heap.subarray(y, y + last.nOut), last.nOut);
        this.score(y, (batch.zDot[L - 1]! >> 2) + b * this.K * last.outStride, labels[s + b]!, tally);
      }
    }
    for (; s < count; s++) {
      this.forward(sampleOf(inputs, s, nIn), false);
      this.score(this.outputs[L]! >> 2, last.zDot >> 2, labels[s]!, tally);
    }
    return { loss: tally.loss / count, accuracy: tally.correct / count, gradient: tally.gradient.map((g) => g / count) };
  }

  /** One query sample's loss, whether it is right, and dL/dc = (p − onehot)ᵀ ż_L, from its softmax at y and ż_L at zDot (float indices). */
  private score(y: number, zDot: number, label: number, tally: { loss: number; correct: number; gradient: number[] }): void {
    const heap = this.heap;
    const last = this.layers[this.layers.length - 1]!;
    tally.loss -= Math.log(heap[y + label]!);
    let best = 0;
    for (let i = 1; i < last.nOut; i++) if (heap[y + i]! > heap[y + best]!) best = i;
    if (best === label) tally.correct++;
    for (let k = 0; k < this.K; k++) {
      const zd = zDot + k * last.outStride;
      let sum = 0;
      for (let i = 0; i < last.nOut; i++) sum += (heap[y + i]! - (i === label ? 1 : 0)) * heap[zd + i]!;
      tally.gradient[k]! += sum;
    }
  }
}

function writeRows(heap: Float32Array, at: number, values: ArrayLike<number>, layer: Layer): void {
  const rows = values instanceof Float32Array || values instanceof Float64Array ? values : Float64Array.from(values);
  writePaddedRows(heap, at, rows, layer.nOut, layer.nIn, layer.stride);
}

function readRows(heap: Float32Array, at: number, layer: Layer): Float32Array {
  return readPaddedRows(heap, at, layer.nOut, layer.nIn, layer.stride);
}

function sampleOf(inputs: ArrayLike<number>, s: number, size: number): ArrayLike<number> {
  return inputs instanceof Float32Array || inputs instanceof Float64Array ? inputs.subarray(s * size, (s + 1) * size) : Array.prototype.slice.call(inputs, s * size, (s + 1) * size);
}
