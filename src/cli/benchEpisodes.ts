/**
 * Few-shot episodes as the data-scarce preset runs them (784-170-130-100-70-10, 5-way, 10 queries
 * per class, a fresh network each episode): milliseconds per episode for K = 1 and K = 50, with
 * backprop + Oja and with feedback alignment + errorHebbian + Oja, on the SIMD executor and on the
 * TypeScript one side by side. Median of repeats.
 */
import { parseExperiment } from '../engine/config/validate';
import type { Dataset } from '../engine/data/dataset';
import type { BackendName } from '../engine/backend';
import type { ExecutorName } from '../engine/executors/executor';
import { train } from '../engine/trainer';

export interface EpisodeRow {
  rule: string;
  shots: number;
  executor: ExecutorName;
  episodes: number;
  /** Milliseconds per episode, one value per repeat. */
  msPerEpisode: number[];
}

const RULES = {
  'BP+Oja': { learningRate: 0.01, oja: 0.01 },
  'FA+errorHebbian+Oja': { feedback: 'feedback-alignment', learningRate: 0.03, oja: 0.01, terms: { errorHebbian: 0.001 } },
} as const;

export async function measureEpisodes(dataset: Dataset, backend: BackendName, episodes: number, repeats: number): Promise<EpisodeRow[]> {
  const rows: EpisodeRow[] = [];
  for (const [name, rule] of Object.entries(RULES)) {
    for (const shots of [1, 50]) {
      for (const executor of ['online', 'online-js'] as const) {
        // The TypeScript executor is ~15× slower per step: fewer episodes keep the bench short.
        const count = Math.max(2, executor === 'online' ? episodes : Math.round(episodes / 10));
        const config = parseExperiment({ name: 'bench episodes', seed: 1, rule, training: { episodes: { ways: 5, shots, queries: 10, count } } });
        const row: EpisodeRow = { rule: name, shots, executor, episodes: count, msPerEpisode: [] };
        for (let r = 0; r < repeats; r++) {
          const result = await train(config, { dataset, backend, executor });
          if (result.status !== 'completed') throw new Error(`bench episodes ended as ${result.status}: ${result.reason ?? ''}`);
          row.msPerEpisode.push((1000 * result.wallSec) / count);
        }
        rows.push(row);
      }
    }
  }
  return rows;
}
