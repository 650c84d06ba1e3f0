/**
 * One meta-episode as issue 16 specifies it (and bench/pytorch_meta.py writes it in PyTorch): the
 * paper's 784-170-130-100-70-10 network, a 5-way episode of K = 50 (250 online steps) and 10 queries
 * per class, feedback alignment + errorHebbian + Oja, and the exact gradient with respect to the
 * three coefficients. Seconds per meta-episode, one value per repeat.
 */
import { parseExperiment } from '../engine/config/validate';
import type { Dataset } from '../engine/data/dataset';
import type { BackendName } from '../engine/backend';
import { train } from '../engine/trainer';

export async function measureMetaEpisode(dataset: Dataset, backend: BackendName, repeats: number): Promise<number[]> {
  const config = parseExperiment({
    name: 'bench meta-episode',
    seed: 1,
    rule: { feedback: 'feedback-alignment', learningRate: 0.01, oja: 0.001, terms: { errorHebbian: 0.001 } },
    training: { episodes: { ways: 5, shots: 50, queries: 10 } },
    meta: { learn: ['error', 'errorHebbian', 'oja'], episodes: 1, learningRate: 0.001 },
  });
  const seconds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const result = await train({ ...config, seed: 1 + r }, { dataset, backend });
    if (result.status !== 'completed') throw new Error(`bench meta-episode ended as ${result.status}: ${result.reason ?? ''}`);
    seconds.push(result.wallSec);
  }
  return seconds;
}
