/** Small datasets and configs for engine tests. */
import { parseExperiment } from '../../src/engine/config/validate';
import type { ExperimentConfig } from '../../src/engine/config/schema';
import type { Split } from '../../src/engine/data/dataset';
import { Random } from '../../src/engine/random';

/** `count` random samples in [0, 1) with random labels below `classes`. */
export function randomSplit(count: number, inputSize: number, classes: number, seed: number): Split {
  const random = new Random(seed);
  const inputs = Float32Array.from({ length: count * inputSize }, () => random.uniform());
  const labels = Uint8Array.from({ length: count }, () => random.int(classes));
  return { count, inputs, labels };
}

/** A small valid experiment; each override object is merged into its section (a field set to undefined is dropped). */
export function tinyConfig(overrides: Record<string, unknown> = {}): ExperimentConfig {
  const base: Record<string, unknown> = {
    name: 'tiny',
    seed: 7,
    data: { source: 'synthetic-gaussian', trainSize: 64, testSize: 32 },
    model: { layers: [6, 5, 4, 3] },
    rule: { learningRate: 0.1, oja: 0.05 },
    training: { steps: 20, evalEvery: 10, probeSize: 16 },
  };
  for (const [key, value] of Object.entries(overrides)) {
    base[key] = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(base[key] as object), ...value } : value;
  }
  for (const section of Object.values(base)) {
    if (typeof section !== 'object' || section === null) continue;
    for (const [field, value] of Object.entries(section)) if (value === undefined) delete (section as Record<string, unknown>)[field];
  }
  return parseExperiment(base);
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)))) {
      throw new Error(`${what}[${i}]: ${a} differs from ${e} by more than ${tolerance}`);
    }
  }
}
