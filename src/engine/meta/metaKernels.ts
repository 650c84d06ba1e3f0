/**
 * Meta-learning's SIMD kernels (assembly/metaKernels.ts), built twice: with relaxed SIMD's fused
 * multiply-add (about a third faster here) and without. The fused build is used where the runtime
 * accepts it — Node 20 only behind a V8 flag, which is turned on for it; newer runtimes by default —
 * and the plain one otherwise. Both are checked against the float64 reference.
 */
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { compileKernels, type KernelMemory } from '../executors/wasm/kernels';

export interface MetaKernelExports extends KernelMemory {
  /** d is a layer's descriptor (wasmInnerLoop.ts lays it out). */
  metaForwardLayer(d: number, pending: number, accumulate: number): void;
  metaAccumulate(d: number): void;
  metaBackward(d: number): void;
  metaDefer(d: number): void;
  metaQueryLayer(d: number, x: number, xDot: number, y: number, yDot: number, zDot: number): void;
}

export const META_KERNEL_FILES = {
  fused: join('media', 'wasm', 'meta-kernels-fma.wasm'),
  plain: join('media', 'wasm', 'meta-kernels.wasm'),
} as const;
export type MetaKernelBuild = keyof typeof META_KERNEL_FILES;

const compiled = new Map<MetaKernelBuild, WebAssembly.Module | null>();

/** One build of the kernels, or null where it is missing or this runtime cannot run it. */
export function metaKernelBuild(build: MetaKernelBuild): WebAssembly.Module | null {
  if (!compiled.has(build)) {
    if (build === 'fused') setFlagsFromString('--experimental-wasm-relaxed-simd');
    compiled.set(build, compileKernels(META_KERNEL_FILES[build]));
  }
  return compiled.get(build)!;
}

/** The fastest build this runtime runs, or null where neither does. */
export function metaKernelModule(): WebAssembly.Module | null {
  return metaKernelBuild('fused') ?? metaKernelBuild('plain');
}
