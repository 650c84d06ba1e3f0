/**
 * A sweep's members at batch size 1, one after another versus in lockstep (every member advanced
 * one step before any takes the next, all networks in one WebAssembly memory), timed side by side
 * in each repeat. Per-member cost is what matters for a sweep.
 */
import type { Dataset } from '../engine/data/dataset';
import { parseExperiment } from '../engine/config/validate';
import { prepareRun } from '../engine/trainer';
import { WasmNetwork } from '../engine/executors/wasmNetwork';
import { Arena, kernelModule } from '../engine/executors/wasm/kernels';

export interface LockstepTiming {
  members: number;
  steps: number;
  /** ms per member-step, one value per repeat. */
  sequential: number[];
  lockstep: number[];
}

export function measureLockstep(dataset: Dataset, layers: number[], members: number, steps: number, repeats: number): LockstepTiming | null {
  const module = kernelModule();
  if (!module) return null;
  // A θ × seed grid, as a sweep would make: every member has its own weights and sample order.
  const configs = Array.from({ length: members }, (_, k) =>
    parseExperiment({ name: 'bench', seed: 1 + (k >> 2), model: { layers }, rule: { learningRate: 0.01, oja: [0, 0.0003, 0.001, 0.003][k & 3] }, training: { batchSize: 1, steps } }),
  );
  const prepared = configs.map((config) => ({ config, ...prepareRun(config) }));
  const orders = prepared.map(({ random }) => random.permutation(dataset.train.count));
  const size = dataset.inputSize;
  const sample = (k: number, s: number) => {
    const index = orders[k]![s % dataset.train.count]!;
    return [dataset.train.inputs.subarray(index * size, (index + 1) * size), dataset.train.labels[index]!] as const;
  };
  const build = (arena: () => Arena) => prepared.map(({ config, params, feedback }) => new WasmNetwork(arena(), config, params, feedback));
  const timing: LockstepTiming = { members, steps, sequential: [], lockstep: [] };
  for (let r = 0; r < repeats; r++) {
    const alone = build(() => new Arena(module));
    let t0 = performance.now();
    alone.forEach((network, k) => {
      for (let s = 0; s < steps; s++) network.step(...sample(k, s));
    });
    timing.sequential.push((performance.now() - t0) / (steps * members));

    const shared = new Arena(module);
    const together = build(() => shared);
    t0 = performance.now();
    for (let s = 0; s < steps; s++) together.forEach((network, k) => network.step(...sample(k, s)));
    timing.lockstep.push((performance.now() - t0) / (steps * members));
  }
  return timing;
}
