/**
 * Loads the WebAssembly SIMD kernels (assembly/onlineKernels.ts, compiled at build time into
 * media/wasm/) and lays out float32 buffers in an instance's memory. The module is compiled once
 * per process; each Arena is one instance with its own memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../packageRoot';

export interface KernelExports extends KernelMemory {
  forwardLayer(
    w: number, nOut: number, stride: number, a: number, bias: number, out: number, kind: number, beta: number,
    pending: number, alpha: number, betas: number, aPrev: number, hasBeta: number, uPrev: number, u: number,
  ): void;
  transposedProduct(m: number, nOut: number, stride: number, s: number, out: number): void;
  scaleBySlope(g: number, y: number, floats: number, kind: number, beta: number): void;
  applyUpdate(w: number, nOut: number, stride: number, alpha: number, betas: number, aPrev: number, hasBeta: number, uPrev: number): void;
  activateAll(z: number, out: number, floats: number, kind: number, beta: number): void;
  squaredDistance(a: number, u: number, floats: number): number;
  localTerms(w: number, nOut: number, stride: number, a: number, y: number, decay: number, single: number, sanger: number, prefix: number, norms: number): void;
  adamUpdate(
    w: number, m: number, v: number, nOut: number, stride: number, e: number, a: number, beta1: number, beta2: number, invC1: number, invC2: number, eta: number, epsilon: number,
  ): number;
  denseForward(
    x: number, count: number, xStride: number, nIn: number, wT: number, outStride: number, bias: number, out: number, kind: number, beta: number, nonZero: number, packed: number,
  ): void;
}

export const ACTIVATION_KIND = { linear: 0, relu: 1, tanh: 2, softplus: 3 } as const;

export const KERNEL_FILE = join('media', 'wasm', 'online-kernels.wasm');

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where it is missing or this runtime lacks WebAssembly SIMD. */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileKernels(KERNEL_FILE);
  return compiled;
}

/** A kernel file of media/wasm compiled, or null where it is missing or does not validate here. */
export function compileKernels(file: string): WebAssembly.Module | null {
  try {
    const path = join(packageRoot(), file);
    return existsSync(path) ? new WebAssembly.Module(readFileSync(path)) : null;
  } catch {
    return null;
  }
}

/** What every kernel module exports: its memory, and where its own data ends. */
export interface KernelMemory {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

/** A row-major rows × cols matrix into the heap at byte offset `at`, each row `stride` floats apart (the padding left as it is). */
export function writePaddedRows(heap: Float32Array, at: number, values: Float32Array | Float64Array, rows: number, cols: number, stride: number): void {
  for (let r = 0; r < rows; r++) heap.set(values.subarray(r * cols, (r + 1) * cols), (at >> 2) + r * stride);
}

/** The rows × cols matrix at byte offset `at` (rows `stride` floats apart), row-major without the padding. */
export function readPaddedRows(heap: Float32Array, at: number, rows: number, cols: number, stride: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(heap.subarray((at >> 2) + r * stride, (at >> 2) + r * stride + cols), r * cols);
  return out;
}

/** Rows and vectors are padded to a multiple of 8 floats (two SIMD registers per loop turn). */
export function padded(n: number): number {
  return (n + 7) & ~7;
}

/** A bump allocator over one kernel instance's memory; offsets are in bytes, 32-byte aligned. */
export class Arena<Exports extends KernelMemory = KernelExports> {
  readonly kernels: Exports;
  private next: number;
  private view: Float32Array | null = null;

  constructor(module: WebAssembly.Module) {
    this.kernels = new WebAssembly.Instance(module).exports as unknown as Exports;
    this.next = align(this.kernels.heapBase());
  }

  /** Room for `floats` zeroed float32 values; returns the byte offset. */
  alloc(floats: number): number {
    const offset = this.next;
    this.next = align(offset + floats * 4);
    const { memory } = this.kernels;
    const missing = this.next - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return offset;
  }

  /** The memory as float32, re-created after the memory grew (growing detaches old views). */
  get f32(): Float32Array {
    if (this.view === null || this.view.buffer !== this.kernels.memory.buffer) this.view = new Float32Array(this.kernels.memory.buffer);
    return this.view;
  }
}

function align(offset: number): number {
  return (offset + 31) & ~31;
}
