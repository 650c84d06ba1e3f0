/**
 * Correlated Gaussian data for Oja's PCA check: x ~ N(0, Q diag(decay^i) Qᵀ) with a random
 * orthonormal Q. Labels: which of the top `numClasses` principal directions x projects on most,
 * so the set is also a well-defined classification task.
 */
import { Random } from '../random';
import type { ExperimentConfig } from '../config/schema';
import type { Split } from './dataset';

export interface GaussianSet {
  train: Split;
  test: Split;
  /** Principal directions, strongest first: inputSize rows of inputSize values. */
  basis: Float64Array[];
  variances: number[];
}

export function correlatedGaussian(options: {
  inputSize: number;
  numClasses: number;
  trainCount: number;
  testCount: number;
  decay: number;
  seed: number;
}): GaussianSet {
  const { inputSize, numClasses, decay } = options;
  const random = new Random(options.seed);
  const basis = randomOrthonormal(inputSize, random);
  const variances = Array.from({ length: inputSize }, (_, i) => decay ** i);
  const make = (count: number): Split => {
    const inputs = new Float32Array(count * inputSize);
    const labels = new Uint8Array(count);
    const coords = new Float64Array(inputSize);
    for (let s = 0; s < count; s++) {
      for (let k = 0; k < inputSize; k++) coords[k] = random.normal() * Math.sqrt(variances[k]!);
      let best = 0;
      for (let k = 1; k < Math.min(numClasses, inputSize); k++) if (coords[k]! > coords[best]!) best = k;
      labels[s] = best;
      for (let k = 0; k < inputSize; k++) {
        const direction = basis[k]!;
        const c = coords[k]!;
        for (let d = 0; d < inputSize; d++) inputs[s * inputSize + d]! += c * direction[d]!;
      }
    }
    return { count, inputs, labels };
  };
  return { train: make(options.trainCount), test: make(options.testCount), basis, variances };
}

/** Gram–Schmidt on Gaussian vectors: a uniformly random orthonormal basis. */
function randomOrthonormal(n: number, random: Random): Float64Array[] {
  const basis: Float64Array[] = [];
  while (basis.length < n) {
    const v = Float64Array.from({ length: n }, () => random.normal());
    for (const b of basis) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i]! * b[i]!;
      for (let i = 0; i < n; i++) v[i]! -= dot * b[i]!;
    }
    const norm = Math.hypot(...v);
    if (norm < 1e-6) continue;
    for (let i = 0; i < n; i++) v[i]! /= norm;
    basis.push(v);
  }
  return basis;
}

/** The synthetic set an experiment describes (its seed stream is separate from the run's). */
export function gaussianForConfig(config: ExperimentConfig): GaussianSet {
  const layers = config.model.layers;
  return correlatedGaussian({
    inputSize: layers[0]!,
    numClasses: layers[layers.length - 1]!,
    trainCount: config.data.trainSize ?? 5000,
    testCount: config.data.testSize ?? 1000,
    decay: config.data.decay,
    seed: (config.seed ^ 0x5eed5eed) >>> 0,
  });
}
