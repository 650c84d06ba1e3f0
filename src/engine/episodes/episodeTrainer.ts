/**
 * Few-shot episodes (training.episodes): each draws M classes, K training and Q query samples per
 * class, trains a network (fresh from the run's seed stream, unless reinit is off) online on the
 * M·K samples in one pass, and records query accuracy and loss as one point. Everything random
 * comes from the run's one generator, in a fixed order: classes, training samples, query samples,
 * the network, the training order.
 */
import type { EpisodesConfig, ExperimentConfig } from '../config/schema';
import type { Dataset, Split } from '../data/dataset';
import type { Random } from '../random';
import { initialParams, type NetworkParams } from '../model/params';
import type { ExecutorName } from '../executors/executor';
import { chooseExecutor, createExecutor, prepareRun, type TrainOptions, type TrainResult } from '../trainer';
import { EventLoopTurns, nextOrder } from '../stepLoop';
import { episodeClasses, samplesByClass } from './classPool';
import { QueryEvaluator } from './queryEvaluation';
import { EpisodeRun } from './episodeRun';

/** perClass samples of each class, drawn without replacement, copied out; labels relabelled to 0…M−1 if asked. */
export function episodeSplit(source: Split, byClass: number[][], classes: number[], perClass: number, random: Random, relabel: boolean): Split {
  const inputSize = source.inputs.length / Math.max(1, source.count);
  const count = classes.length * perClass;
  const inputs = new Float32Array(count * inputSize);
  const labels = new Uint8Array(count);
  let k = 0;
  classes.forEach((c, position) => {
    for (const index of random.sample(byClass[c]!, perClass)) {
      inputs.set(source.inputs.subarray(index * inputSize, (index + 1) * inputSize), k * inputSize);
      labels[k++] = relabel ? position : c;
    }
  });
  return { count, inputs, labels };
}

export interface Episode {
  classes: number[];
  support: Split;
  query: Split;
}

/** An episode's classes, then its training (support) and query samples, from the run's generator. */
export function drawEpisode(random: Random, pool: number[], episodes: EpisodesConfig, dataset: Dataset, trainByClass: number[][], testByClass: number[][]): Episode {
  const classes = random.sample(pool, episodes.ways);
  const support = episodeSplit(dataset.train, trainByClass, classes, episodes.shots, random, episodes.relabel);
  const query = episodeSplit(dataset.test, testByClass, classes, episodes.queries, random, episodes.relabel);
  return { classes, support, query };
}

/** Draws a run's episodes from its data: the class pool and each class's samples, indexed once. */
export function episodeSampler(config: ExperimentConfig, dataset: Dataset): (random: Random) => Episode {
  const pool = episodeClasses(config, dataset.numClasses);
  const trainByClass = samplesByClass(dataset.train, dataset.numClasses);
  const testByClass = samplesByClass(dataset.test, dataset.numClasses);
  return (random) => drawEpisode(random, pool, config.training.episodes!, dataset, trainByClass, testByClass);
}

/** One pass over the support samples in `order`, on a fresh executor; the trained parameters and the summed loss. */
export function trainOnEpisode(
  executorName: ExecutorName, config: ExperimentConfig, params: NetworkParams, feedback: Float32Array[] | null, support: Split, order: Uint32Array,
): { params: NetworkParams; loss: { sum: number; count: number }; diverged: boolean } {
  const executor = createExecutor(executorName, config, params, feedback, support);
  try {
    const batch = config.training.batchSize;
    for (let position = 0; position < order.length && executor.divergedAtStep === null; position += batch) {
      executor.step(order.subarray(position, Math.min(order.length, position + batch)));
    }
    return { params: executor.params(), loss: executor.takeLoss(), diverged: executor.divergedAtStep !== null };
  } finally {
    executor.dispose();
  }
}

export async function trainEpisodes(config: ExperimentConfig, options: TrainOptions): Promise<TrainResult> {
  const episodes = config.training.episodes!;
  const nextEpisode = episodeSampler(config, options.dataset);
  const initialWeights = options.initialWeights ?? null;
  const { random, params: firstParams, feedback } = prepareRun(config, initialWeights);
  const executorName = chooseExecutor(config, options.executor);
  const queries = new QueryEvaluator(config);
  const run = new EpisodeRun('episode', episodes.count, episodes.movingAverage);
  const turns = new EventLoopTurns();
  let params = firstParams;
  try {
    for (let e = 1; e <= episodes.count && !run.stopped(options.signal); e++) {
      const t0 = performance.now();
      const { classes, support, query } = nextEpisode(random);
      if (e > 1 && episodes.reinit) params = initialParams(config, random, initialWeights);
      const order = new Uint32Array(support.count);
      nextOrder(order, config.data.shuffle, random);
      const trained = trainOnEpisode(executorName, config, params, feedback, support, order);
      params = trained.params;
      const t1 = performance.now();
      run.trainMs += t1 - t0;
      const result = trained.diverged ? null : queries.evaluate(params, query);
      run.evalMs += performance.now() - t1;
      if (!result || !Number.isFinite(result.loss) || !Number.isFinite(trained.loss.sum)) {
        run.diverged(e);
        break;
      }
      const point = run.record(e, classes, trained.loss.count > 0 ? trained.loss.sum / trained.loss.count : null, result);
      options.onPoint?.(point);
      options.onStep?.(e, episodes.count);
      await turns.take();
    }
  } catch (error) {
    run.failed(error);
  }
  return run.result({ params, executor: executorName, backend: options.backend });
}
