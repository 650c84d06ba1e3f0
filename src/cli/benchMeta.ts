/**
 * One meta-episode as issue 16 specifies it (and bench/pytorch_meta.py writes it in PyTorch): the
 * paper's 784-170-130-100-70-10 network, a 5-way episode of K = 50 (250 online steps) and 10 queries
 * per class, feedback alignment + errorHebbian + Oja, and the exact gradient with respect to the
 * three coefficients. Timed inside one meta-training run, as a user's run spends them: seconds per
 * meta-episode (from one point to the next, the first left out as warm-up), on the SIMD inner loop
 * and on the float64 reference.
 */
import { parseExperiment } from '../engine/config/validate';
import type { Dataset } from '../engine/data/dataset';
import type { BackendName } from '../engine/backend';
import { train } from '../engine/trainer';
import type { ExecutorName } from '../engine/executors/executor';
import { metaKernelBuild } from '../engine/meta/metaKernels';

export interface MetaEpisodeTimes {
  /** Which SIMD kernel build ran (fused multiply-add where the runtime has relaxed SIMD). */
  simdBuild: 'fused' | 'plain' | null;
  simd: number[];
  reference: number[];
}

async function secondsPerMetaEpisode(dataset: Dataset, backend: BackendName, executor: ExecutorName, count: number): Promise<number[]> {
  const config = parseExperiment({
    name: 'bench meta-episode',
    seed: 1,
    rule: { feedback: 'feedback-alignment', learningRate: 0.01, oja: 0.001, terms: { errorHebbian: 0.001 } },
    training: { episodes: { ways: 5, shots: 50, queries: 10 } },
    meta: { learn: ['error', 'errorHebbian', 'oja'], episodes: count + 1, learningRate: 0.001 },
  });
  const result = await train(config, { dataset, backend, executor });
  if (result.status !== 'completed') throw new Error(`bench meta-episode ended as ${result.status}: ${result.reason ?? ''}`);
  const ends = result.points.map((p) => p.elapsedSec);
  return ends.slice(1).map((end, e) => end - ends[e]!);
}

/** `repeats` meta-episodes on the SIMD loop, and (each takes seconds) at most three on the float64 one. */
export async function measureMetaEpisode(dataset: Dataset, backend: BackendName, repeats: number): Promise<MetaEpisodeTimes> {
  const simdBuild = metaKernelBuild('fused') ? 'fused' : metaKernelBuild('plain') ? 'plain' : null;
  return {
    simdBuild,
    simd: simdBuild ? await secondsPerMetaEpisode(dataset, backend, 'online', Math.max(repeats, 5)) : [],
    reference: await secondsPerMetaEpisode(dataset, backend, 'online-js', Math.min(repeats, 3)),
  };
}
