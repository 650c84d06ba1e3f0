/**
 * A recurrent network's online update on the WebAssembly SIMD kernels (assembly/recurrentKernels.ts),
 * in float32: the same update as the float64 reference (recurrentNet.ts), organised for speed. The
 * forward pass also gathers Oja's back-projections u_t = W_recᵀ h_t and W_inᵀ h_t while each row is
 * loaded; the error signals go back through time step by step; then each matrix's update, a sum of
 * T outer products,
 *   W_rec += Σ_t (−η δa_t + c h_t) h_{t−1}ᵀ − c Σ_t h_t u_tᵀ   (c = θ_rec / T; W_in likewise with x_t),
 * is one register-tiled pass over the matrix. W_out (a few rows) is updated here in TypeScript.
 * Truncated BPTT (training.bptt) stays on the reference.
 */
import { join } from 'node:path';
import { ACTIVATION_KIND, Arena, compileKernels, padded, readPaddedRows, writePaddedRows, type KernelMemory } from '../executors/wasm/kernels';
import { outputError, scoreOutput, type RecurrentRule, type RecurrentWeights } from './recurrentNet';
import type { Sequence } from './sequences';

interface RecurrentKernelExports extends KernelMemory {
  rnnForward(wIn: number, wRec: number, n: number, inBytes: number, hBytes: number, x: number, h: number, s: number, u: number, uIn: number, steps: number, kind: number, beta: number, ojaRec: number, ojaIn: number): void;
  rnnBackward(bOut: number, bRec: number, n: number, o: number, hBytes: number, outBytes: number, dz: number, s: number, d: number, steps: number, scratch: number): void;
  combineRows(out: number, a: number, alpha: number, b: number, beta: number, rows: number, bytes: number, stride: number): void;
  rankUpdate(w: number, rows: number, wBytes: number, a1: number, b1: number, count1: number, a2: number, b2: number, count2: number, aBytes: number): void;
}

const KERNEL_FILE = join('media', 'wasm', 'recurrent-kernels.wasm');
let compiled: WebAssembly.Module | null | undefined;

function recurrentKernels(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileKernels(KERNEL_FILE);
  return compiled;
}

/** Whether `rule` runs on the kernels here: they exist, and the error flows back through whole sequences. */
export function wasmRecurrentSupports(rule: RecurrentRule): boolean {
  return recurrentKernels() !== null && rule.bptt === undefined;
}

export interface SequenceOutcome {
  loss: number;
  targets: number;
  correct: number;
}

export class WasmRecurrent {
  private readonly kernels: RecurrentKernelExports;
  private readonly heap: Float32Array;
  private readonly n: number;
  private readonly inputs: number;
  private readonly outputs: number;
  /** Floats per row: inputs, hidden and outputs, padded. */
  private readonly inStride: number;
  private readonly hStride: number;
  private readonly outStride: number;
  private readonly at: Record<'wIn' | 'wRec' | 'wOut' | 'fOut' | 'fRec' | 'x' | 'h' | 's' | 'u' | 'uIn' | 'dz' | 'd' | 'p' | 'q' | 'scratch', number>;
  private readonly deltaOut: Float64Array;
  /** One target step's output activity and its error, reused across steps and sequences. */
  private readonly activity: Float64Array;
  private readonly outputDelta: Float64Array;

  /** `maxSteps`: the longest sequence it will see. */
  constructor(weights: RecurrentWeights, private readonly rule: RecurrentRule, maxSteps: number) {
    const module = recurrentKernels();
    if (!module) throw new Error('the WebAssembly kernels are missing (media/wasm); run `npm run build` first');
    const arena = new Arena<RecurrentKernelExports>(module);
    this.kernels = arena.kernels;
    this.n = weights.hidden;
    this.inputs = weights.inputs;
    this.outputs = weights.outputs;
    this.inStride = padded(weights.inputs);
    this.hStride = padded(weights.hidden);
    this.outStride = padded(weights.outputs);
    const T = maxSteps;
    const [n, i, h, o] = [this.n, this.inStride, this.hStride, this.outStride];
    this.at = {
      wIn: arena.alloc(n * i),
      wRec: arena.alloc(n * h),
      wOut: arena.alloc(this.outputs * h),
      fOut: rule.feedback ? arena.alloc(this.outputs * h) : 0,
      fRec: rule.feedback ? arena.alloc(n * h) : 0,
      x: arena.alloc(T * i),
      h: arena.alloc((T + 1) * h),
      s: arena.alloc(T * h),
      u: arena.alloc(T * h),
      uIn: arena.alloc(T * i),
      dz: arena.alloc(T * o),
      d: arena.alloc(T * h),
      p: arena.alloc(T * h),
      q: arena.alloc(T * h),
      scratch: arena.alloc(h),
    };
    this.heap = arena.f32;
    this.deltaOut = new Float64Array(this.outputs * this.n);
    this.activity = new Float64Array(this.outputs);
    this.outputDelta = new Float64Array(this.outputs);
    this.write(this.at.wIn, weights.in, n, weights.inputs, i);
    this.write(this.at.wRec, weights.rec, n, n, h);
    this.write(this.at.wOut, weights.out, this.outputs, n, h);
    if (rule.feedback) {
      this.write(this.at.fOut, rule.feedback.out, this.outputs, n, h);
      this.write(this.at.fRec, rule.feedback.rec, n, n, h);
    }
  }

  private write(at: number, values: Float64Array, rows: number, cols: number, stride: number): void {
    writePaddedRows(this.heap, at, values, rows, cols, stride);
  }

  private read(at: number, rows: number, cols: number, stride: number): Float64Array {
    return Float64Array.from(readPaddedRows(this.heap, at, rows, cols, stride));
  }

  weights(): RecurrentWeights {
    const { n, inputs, outputs } = this;
    return {
      inputs, hidden: n, outputs,
      in: this.read(this.at.wIn, n, inputs, this.inStride),
      rec: this.read(this.at.wRec, n, n, this.hStride),
      out: this.read(this.at.wOut, outputs, n, this.hStride),
    };
  }

  /** One online update on `sequence`. */
  step(sequence: Sequence): SequenceOutcome {
    const { heap, kernels, at, n, inputs: I, outputs: O, rule } = this;
    const T = sequence.steps;
    const [iS, hS, oS] = [this.inStride, this.hStride, this.outStride];
    const [inBytes, hBytes, outBytes] = [4 * iS, 4 * hS, 4 * oS];
    heap.fill(0, at.x >> 2, (at.x >> 2) + T * iS);
    for (let t = 0; t < T; t++) heap.set(sequence.inputs.subarray(t * I, (t + 1) * I), (at.x >> 2) + t * iS);
    const { in: thetaIn, rec: thetaRec, out: thetaOut } = rule.oja;
    // Each back-projection only where its θ asks for it.
    kernels.rnnForward(at.wIn, at.wRec, n, inBytes, hBytes, at.x, at.h, at.s, at.u, at.uIn, T, ACTIVATION_KIND[rule.activation], rule.beta, thetaRec !== 0 ? 1 : 0, thetaIn !== 0 ? 1 : 0);

    // The output at the target steps: its activity, loss and dz; W_out's update from the old W_out.
    heap.fill(0, at.dz >> 2, (at.dz >> 2) + T * oS);
    const deltaOut = this.deltaOut.fill(0);
    const eta = rule.errorTerm ? rule.learningRate : 0;
    let targetCount = 0;
    for (let t = 1; t <= T; t++) if (sequence.targets[t - 1]! >= 0) targetCount++;
    const cOut = targetCount > 0 ? thetaOut / targetCount : 0;
    const { activity: p, outputDelta: dz } = this;
    const outcome: SequenceOutcome = { loss: 0, targets: targetCount, correct: 0 };
    for (let t = 1; t <= T; t++) {
      if (sequence.targets[t - 1]! < 0) continue;
      const h = (at.h >> 2) + t * hS;
      for (let k = 0; k < O; k++) {
        let z = 0;
        for (let j = 0; j < n; j++) z += heap[(at.wOut >> 2) + k * hS + j]! * heap[h + j]!;
        p[k] = z;
      }
      const score = scoreOutput(p, sequence, t);
      outcome.loss += score.loss;
      if (score.correct) outcome.correct++;
      outputError(p, sequence, t, dz);
      heap.set(dz, (at.dz >> 2) + (t - 1) * oS);
      for (let j = 0; j < n; j++) {
        const hj = heap[h + j]!;
        let uj = 0;
        if (cOut !== 0) for (let k = 0; k < O; k++) uj += p[k]! * heap[(at.wOut >> 2) + k * hS + j]!;
        for (let k = 0; k < O; k++) deltaOut[k * n + j]! += -eta * dz[k]! * hj + cOut * p[k]! * (hj - uj);
      }
    }

    if (rule.errorTerm) {
      const bOut = rule.feedback ? at.fOut : at.wOut;
      const bRec = rule.feedback ? at.fRec : at.wRec;
      kernels.rnnBackward(bOut, bRec, n, O, hBytes, outBytes, at.dz, at.s, at.d, T, at.scratch);
    } else {
      heap.fill(0, at.d >> 2, (at.d >> 2) + T * hS);
    }
    const post = at.h + hBytes;
    // W_rec: P_t = −η δa_t + c h_t against h_{t−1}, and −c h_t against u_t.
    const cRec = thetaRec / T;
    kernels.combineRows(at.p, at.d, -eta, post, cRec, T, hBytes, hBytes);
    if (cRec !== 0) kernels.combineRows(at.q, post, -cRec, post, 0, T, hBytes, hBytes);
    kernels.rankUpdate(at.wRec, n, hBytes, at.p, at.h, T, at.q, at.u, cRec !== 0 ? T : 0, hBytes);
    // W_in likewise, against x_t and W_inᵀ h_t.
    const cIn = thetaIn / T;
    kernels.combineRows(at.p, at.d, -eta, post, cIn, T, hBytes, hBytes);
    if (cIn !== 0) kernels.combineRows(at.q, post, -cIn, post, 0, T, hBytes, hBytes);
    kernels.rankUpdate(at.wIn, n, inBytes, at.p, at.x, T, at.q, at.uIn, cIn !== 0 ? T : 0, hBytes);
    for (let k = 0; k < O; k++) for (let j = 0; j < n; j++) heap[(at.wOut >> 2) + k * hS + j]! += deltaOut[k * n + j]!;
    return outcome;
  }
}
