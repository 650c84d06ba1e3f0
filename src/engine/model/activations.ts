/**
 * Hidden-layer nonlinearities. Each derivative is written from the activation's output y,
 * which is all the update rule keeps: softplus_β'(z) = sigmoid(βz) = 1 − exp(−β y).
 */
import type { Activation } from '../config/schema';

export interface ActivationFn {
  /** y = σ(z), elementwise; `out` may alias `z`. */
  apply(z: Float32Array, out: Float32Array, length: number): void;
  /** Multiplies g in place by σ'(z), given y = σ(z). */
  scaleByDerivative(g: Float32Array, y: Float32Array, length: number): void;
}

export function activationFn(name: Activation, beta: number): ActivationFn {
  switch (name) {
    case 'softplus':
      return {
        apply(z, out, n) {
          for (let i = 0; i < n; i++) {
            const bz = beta * z[i]!;
            // Stable: max(βz, 0) + log1p(exp(−|βz|)).
            out[i] = ((bz > 0 ? bz : 0) + Math.log1p(Math.exp(-Math.abs(bz)))) / beta;
          }
        },
        scaleByDerivative(g, y, n) {
          // −expm1 keeps tiny slopes exact where 1 − exp cancels to 0.
          for (let i = 0; i < n; i++) g[i]! *= -Math.expm1(-beta * y[i]!);
        },
      };
    case 'relu':
      return {
        apply(z, out, n) {
          for (let i = 0; i < n; i++) out[i] = z[i]! > 0 ? z[i]! : 0;
        },
        scaleByDerivative(g, y, n) {
          for (let i = 0; i < n; i++) if (!(y[i]! > 0)) g[i] = 0;
        },
      };
    case 'tanh':
      return {
        apply(z, out, n) {
          for (let i = 0; i < n; i++) out[i] = Math.tanh(z[i]!);
        },
        scaleByDerivative(g, y, n) {
          for (let i = 0; i < n; i++) g[i]! *= 1 - y[i]! * y[i]!;
        },
      };
    case 'linear':
      return {
        apply(z, out, n) {
          if (out !== z) out.set(z.subarray(0, n));
        },
        scaleByDerivative() {},
      };
  }
}

/** Softmax in place over the first n values; returns log(Σ exp(z)) for the loss. */
export function softmaxInPlace(z: Float32Array, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (z[i]! > max) max = z[i]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(z[i]! - max);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) z[i]! /= sum;
  return max + Math.log(sum);
}

/** σ, σ' and σ'' at z, in float64, into out[0..2] (no allocation: this runs for every unit of every step). */
export type Derivatives = (z: number, out: Float64Array) => void;

export function activationDerivatives(name: Activation, beta: number): Derivatives {
  switch (name) {
    case 'softplus':
      return (z, out) => {
        const bz = beta * z;
        const s = 1 / (1 + Math.exp(-bz));
        out[0] = ((bz > 0 ? bz : 0) + Math.log1p(Math.exp(-Math.abs(bz)))) / beta;
        out[1] = s;
        out[2] = beta * s * (1 - s);
      };
    case 'tanh':
      return (z, out) => {
        const t = Math.tanh(z);
        out[0] = t;
        out[1] = 1 - t * t;
        out[2] = -2 * t * (1 - t * t);
      };
    case 'relu':
      return (z, out) => {
        out[0] = z > 0 ? z : 0;
        out[1] = z > 0 ? 1 : 0;
        out[2] = 0;
      };
    case 'linear':
      return (z, out) => {
        out[0] = z;
        out[1] = 1;
        out[2] = 0;
      };
  }
}
