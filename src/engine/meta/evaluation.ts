/**
 * After meta-training (meta.evaluate): the learned rule on fresh episodes at each K, as a plain
 * few-shot run of it would train (the fast executors), from the run's seed: runs with one seed are
 * judged on the same episodes, so rules compare pairwise.
 */
import type { ExperimentConfig } from '../config/schema';
import type { BackendName } from '../backend';
import type { Dataset } from '../data/dataset';
import { meanAndSd } from '../../shared/aggregate';
import { trainEpisodes } from '../episodes/episodeTrainer';
import { episodeDataIssues } from '../episodes/classPool';
import { ConfigError } from '../config/issues';
import type { Learnable } from './innerLoop';
import { withCoefficients } from '../model/params';

export interface MetaEvaluation {
  shots: number;
  /** Episodes evaluated: all asked for, or those before a diverged one. */
  episodes: number;
  /** The episode at which training diverged (the means are then over the episodes before it). */
  divergedAtEpisode?: number;
  accuracy: { mean: number; sd: number };
  loss: { mean: number; sd: number };
}

/** A plain few-shot experiment of the learned rule at K = shots, on the evaluation classes. */
export function evaluationConfig(config: ExperimentConfig, coefficients: Partial<Record<Learnable, number>>, shots: number): ExperimentConfig {
  const evaluate = config.meta!.evaluate!;
  const rule = withCoefficients(config.rule, coefficients);
  const { learn: _learn, evaluate: _evaluate, ...split } = config.meta!;
  return { ...config, rule, meta: split, training: { ...config.training, episodes: { ...config.training.episodes!, shots, count: evaluate.episodes, classes: evaluate.classes } } };
}

/** What stops the data from supplying the evaluation episodes, named as meta.evaluate fields. */
export function evaluationDataIssues(config: ExperimentConfig, dataset: Dataset) {
  const evaluate = config.meta?.evaluate;
  if (!config.meta?.learn || !evaluate) return [];
  const most = evaluationConfig(config, {}, Math.max(...evaluate.shots));
  return episodeDataIssues(most, dataset).map((issue) => ({ ...issue, path: issue.path.replace('training.episodes.shots', 'meta.evaluate.shots').replace('training.episodes.classes', 'meta.evaluate.classes') }));
}

export async function evaluateLearnedRule(
  config: ExperimentConfig, coefficients: Partial<Record<Learnable, number>>, options: { dataset: Dataset; backend: BackendName; signal?: AbortSignal },
): Promise<MetaEvaluation[]> {
  const results: MetaEvaluation[] = [];
  for (const shots of config.meta!.evaluate!.shots) {
    if (options.signal?.aborted) break;
    const result = await trainEpisodes(evaluationConfig(config, coefficients, shots), { dataset: options.dataset, backend: options.backend, ...(options.signal ? { signal: options.signal } : {}) });
    if (result.status === 'failed') throw new ConfigError([{ path: 'meta.evaluate', message: result.reason ?? 'the evaluation failed' }]);
    results.push({
      shots,
      episodes: result.points.length,
      ...(result.divergedAtStep !== undefined ? { divergedAtEpisode: result.divergedAtStep } : {}),
      accuracy: meanAndSd(result.points.map((p) => p.testAccuracy)),
      loss: meanAndSd(result.points.map((p) => p.testLoss)),
    });
  }
  return results;
}
