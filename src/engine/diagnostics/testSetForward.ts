/**
 * Test loss and accuracy on the WebAssembly SIMD kernels: the test split lives in the kernels'
 * memory, and each evaluation runs it through the network in chunks (denseForward takes four
 * samples at a time through a register tile and skips inputs that are zero in all four). The TensorFlow.js evaluator's fallback does the same
 * in tensors where the kernels are missing.
 */
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import { isNormalized, type NetworkParams } from '../model/params';
import { layerNormForward } from '../model/layerNorm';
import { ACTIVATION_KIND, Arena, kernelModule, padded } from '../executors/wasm/kernels';

const CHUNK = 500;

export class TestSetForward {
  private readonly arena: Arena;
  private readonly inputs: number;
  private readonly ping: number;
  private readonly pong: number;
  private readonly nonZero: number;
  private readonly packed: number;
  private readonly layers: Array<{ nIn: number; nOut: number; outStride: number; weightsT: number; bias: number; normalized: boolean }>;
  /** Scratch for ẑ of one sample (layerNormForward keeps it for a backward pass this one never takes). */
  private readonly normScratch: Float32Array;
  private readonly kind: number;
  private readonly beta: number;

  /** Null where the kernels are missing. */
  static create(config: ExperimentConfig, test: Split): TestSetForward | null {
    const module = kernelModule();
    return module ? new TestSetForward(new Arena(module), config, test) : null;
  }

  private constructor(arena: Arena, config: ExperimentConfig, private test: Split) {
    this.arena = arena;
    const sizes = config.model.layers;
    const widest = Math.max(...sizes.slice(1).map(padded));
    this.inputs = arena.alloc(test.inputs.length);
    this.ping = arena.alloc(CHUNK * widest);
    this.pong = arena.alloc(CHUNK * widest);
    this.nonZero = arena.alloc(Math.max(...sizes));
    this.packed = arena.alloc(4 * Math.max(...sizes));
    this.layers = sizes.slice(1).map((nOut, l) => {
      const nIn = sizes[l]!;
      const outStride = padded(nOut);
      return { nIn, nOut, outStride, weightsT: arena.alloc(nIn * outStride), bias: config.model.bias ? arena.alloc(outStride) : 0, normalized: isNormalized(config.model, l) };
    });
    this.normScratch = new Float32Array(widest);
    arena.f32.set(test.inputs, this.inputs >> 2);
    this.kind = ACTIVATION_KIND[config.model.activation];
    this.beta = config.model.softplusBeta;
  }

  /** Other samples in place of the test split, as many or fewer (a few-shot run's next query set, without a new arena). */
  load(samples: Split): void {
    if (samples.count > this.test.count) throw new Error(`${samples.count} samples do not fit the ${this.test.count} this pass was made for`);
    this.arena.f32.set(samples.inputs, this.inputs >> 2);
    this.test = samples;
  }

  /**
   * Summed cross-entropy and the number of correct predictions over the test split, and every
   * layer's outputs (logits for the last) for its first `keep` samples: the diagnostics' probe.
   */
  evaluate(params: NetworkParams, keep = 0): { lossSum: number; correct: number; firstOutputs: Float32Array[] } {
    const heap = this.arena.f32;
    this.layers.forEach((layer, l) => {
      const { weights, bias } = params[l]!;
      const base = layer.weightsT >> 2;
      for (let i = 0; i < layer.nOut; i++) {
        for (let j = 0; j < layer.nIn; j++) heap[base + j * layer.outStride + i] = weights[i * layer.nIn + j]!;
      }
      if (layer.bias && bias) heap.set(bias, layer.bias >> 2);
    });
    const { kernels } = this.arena;
    const last = this.layers.length - 1;
    const classes = this.layers[last]!.nOut;
    let lossSum = 0;
    let correct = 0;
    const kept = Math.min(keep, this.test.count);
    const firstOutputs = this.layers.map((layer) => new Float32Array(kept * layer.nOut));
    for (let start = 0; start < this.test.count; start += CHUNK) {
      const count = Math.min(CHUNK, this.test.count - start);
      let input = this.inputs + start * this.layers[0]!.nIn * 4;
      let inputStride = this.layers[0]!.nIn;
      let output = this.ping;
      this.layers.forEach((layer, l) => {
        const kind = l < last ? this.kind : ACTIVATION_KIND.linear;
        kernels.denseForward(input, count, inputStride, layer.nIn, layer.weightsT, layer.outStride, layer.bias, output, layer.normalized ? ACTIVATION_KIND.linear : kind, this.beta, this.nonZero, this.packed);
        if (layer.normalized) this.normalizeAndActivate(output, count, layer, params[l]!, kind);
        for (let s = start; s < Math.min(kept, start + count); s++) {
          const row = (output >> 2) + (s - start) * layer.outStride;
          firstOutputs[l]!.set(heap.subarray(row, row + layer.nOut), s * layer.nOut);
        }
        input = output;
        inputStride = layer.outStride;
        output = output === this.ping ? this.pong : this.ping;
      });
      const logits = input >> 2;
      for (let s = 0; s < count; s++) {
        const row = logits + s * inputStride;
        let max = -Infinity;
        let argmax = 0;
        for (let c = 0; c < classes; c++) {
          if (heap[row + c]! > max) {
            max = heap[row + c]!;
            argmax = c;
          }
        }
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp(heap[row + c]! - max);
        const label = this.test.labels[start + s]!;
        lossSum += max + Math.log(sum) - heap[row + label]!;
        if (argmax === label) correct++;
      }
    }
    return { lossSum, correct, firstOutputs };
  }

  /** Each sample's z normalised (and scaled and shifted), then σ; the padding stays zero for the next layer. */
  private normalizeAndActivate(output: number, count: number, layer: { nOut: number; outStride: number }, norm: NetworkParams[number], kind: number): void {
    let heap = this.arena.f32;
    for (let s = 0; s < count; s++) {
      const row = (output >> 2) + s * layer.outStride;
      layerNormForward(heap.subarray(row, row + layer.nOut), this.normScratch, layer.nOut, norm);
    }
    this.arena.kernels.activateAll(output, output, count * layer.outStride, kind, this.beta);
    heap = this.arena.f32;
    for (let s = 0; s < count; s++) {
      const row = (output >> 2) + s * layer.outStride;
      heap.fill(0, row + layer.nOut, row + layer.outStride);
    }
  }
}
