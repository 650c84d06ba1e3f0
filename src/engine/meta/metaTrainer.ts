/**
 * Meta-learning the rule (meta.learn): each meta-episode draws an episode (training.episodes, from
 * the run's generator), trains a fresh network on its M·K samples with the current coefficients
 * while carrying their derivatives (InnerLoop), and steps the learned coefficients down the exact
 * gradient of the query loss (plus meta.l1 · |c|) with Adam. One point per meta-episode: the query
 * loss and accuracy, their moving averages, and every coefficient after its step.
 */
import type { ExperimentConfig } from '../config/schema';
import { initialParams } from '../model/params';
import type { EvaluationPoint } from '../diagnostics/metrics';
import type { EndedState } from '../../protocol/runState';
import { describeFileError } from '../../runFiles/fileErrors';
import { EventLoopTurns, nextOrder, prepareRun, type TrainOptions, type TrainResult } from '../trainer';
import { Random } from '../random';
import { LEARNED_RULE_FORMAT, type AdamState, type LearnedRuleDocument } from './learnedRule';
import { episodeClasses, samplesByClass } from '../episodes/classPool';
import { drawEpisode } from '../episodes/episodeTrainer';
import { InnerLoop, type Learnable } from './innerLoop';
import { innerRuleOf } from './coefficients';
import { evaluateLearnedRule, type MetaEvaluation } from './evaluation';

/** Adam on a few scalars. */
class ScalarAdam {
  private readonly m: number[];
  private readonly v: number[];
  private t: number;

  constructor(
    size: number,
    private readonly rate: number,
    from?: AdamState,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = from ? [...from.m] : new Array<number>(size).fill(0);
    this.v = from ? [...from.v] : new Array<number>(size).fill(0);
    this.t = from?.t ?? 0;
  }

  state(): AdamState {
    return { m: [...this.m], v: [...this.v], t: this.t };
  }

  step(values: number[], gradient: number[]): number[] {
    this.t++;
    return values.map((value, k) => {
      const g = gradient[k]!;
      this.m[k] = this.beta1 * this.m[k]! + (1 - this.beta1) * g;
      this.v[k] = this.beta2 * this.v[k]! + (1 - this.beta2) * g * g;
      const mHat = this.m[k]! / (1 - this.beta1 ** this.t);
      const vHat = this.v[k]! / (1 - this.beta2 ** this.t);
      return value - (this.rate * mHat) / (Math.sqrt(vHat) + this.epsilon);
    });
  }
}

/** Each learned coefficient's starting value: the rule's. */
export function startingCoefficients(config: ExperimentConfig, learned: readonly Learnable[]): number[] {
  return learned.map((name) => (name === 'error' ? config.rule.learningRate : name === 'oja' ? (config.rule.oja as number) : ((config.rule.terms as Record<string, number>)[name] ?? 0)));
}

export interface MetaOptions extends TrainOptions {
  /** Called after every meta-episode with the rule and state as they stand (the run folder keeps them). */
  onMetaState?(state: LearnedRuleDocument): void;
  /** Go on from a stopped run: its last state and the points it recorded up to it. */
  resume?: { state: LearnedRuleDocument; points: EvaluationPoint[] };
}

export async function trainMeta(config: ExperimentConfig, options: MetaOptions): Promise<TrainResult> {
  const started = performance.now();
  const meta = config.meta!;
  const learned = meta.learn! as Learnable[];
  const episodes = config.training.episodes!;
  const { dataset } = options;
  const pool = episodeClasses(config, dataset.numClasses);
  const trainByClass = samplesByClass(dataset.train, dataset.numClasses);
  const testByClass = samplesByClass(dataset.test, dataset.numClasses);
  const initialWeights = options.initialWeights ?? null;
  const { random: fresh, feedback } = prepareRun(config, initialWeights);
  const resumed = options.resume?.state;
  const random = resumed ? Random.fromState(resumed.random) : fresh;
  const adam = new ScalarAdam(learned.length, meta.learningRate, resumed?.adam);
  const turns = new EventLoopTurns();
  const points: EvaluationPoint[] = [...(options.resume?.points ?? [])];
  const accuracies = points.map((p) => p.testAccuracy);
  const losses = points.map((p) => p.testLoss);
  const inputSize = dataset.inputSize;
  let values = resumed ? learned.map((name) => resumed.coefficients[name]!) : startingCoefficients(config, learned);
  let trainMs = 0;
  let evalMs = 0;
  let evaluation: MetaEvaluation[] | undefined;
  let done = resumed?.metaEpisodes ?? 0;
  let status: EndedState = 'completed';
  let reason: string | undefined;
  let divergedAtStep: number | undefined;
  const named = () => Object.fromEntries(learned.map((name, k) => [name, values[k]!])) as Partial<Record<Learnable, number>>;
  const trailing = (list: number[]) => list.slice(-episodes.movingAverage).reduce((sum, v, _, tail) => sum + v / tail.length, 0);

  try {
    for (let e = done + 1; e <= meta.episodes; e++) {
      if (options.signal?.aborted) {
        status = 'stopped';
        reason = `stopped after meta-episode ${done} of ${meta.episodes}`;
        break;
      }
      const t0 = performance.now();
      const { classes, support, query } = drawEpisode(random, pool, episodes, dataset, trainByClass, testByClass);
      // Every meta-episode starts from a fresh network (the first from prepareRun's draw order).
      const params = initialParams(config, random, initialWeights);
      const order = new Uint32Array(support.count);
      nextOrder(order, config.data.shuffle, random);
      const loop = new InnerLoop(config.model.layers, params.map((p) => p.weights), innerRuleOf(config, feedback, learned, values));
      let supportLoss = 0;
      for (const index of order) supportLoss += loop.step(support.inputs.subarray(index * inputSize, (index + 1) * inputSize), support.labels[index]!);
      const result = loop.query(query.inputs, query.labels, query.count);
      trainMs += performance.now() - t0;
      if (!Number.isFinite(result.loss) || !Number.isFinite(supportLoss) || !result.gradient.every(Number.isFinite)) {
        divergedAtStep = e;
        break;
      }
      values = adam.step(values, result.gradient.map((g, k) => g + meta.l1 * Math.sign(values[k]!)));
      accuracies.push(result.accuracy);
      losses.push(result.loss);
      const point: EvaluationPoint = {
        step: e,
        epoch: e,
        trainLoss: supportLoss / support.count,
        testLoss: result.loss,
        testAccuracy: result.accuracy,
        elapsedSec: (performance.now() - started) / 1000,
        layers: [],
        episode: { classes, movingAccuracy: trailing(accuracies), movingLoss: trailing(losses) },
        coefficients: named(),
      };
      points.push(point);
      done = e;
      options.onPoint?.(point);
      options.onMetaState?.({ format: LEARNED_RULE_FORMAT, metaEpisodes: e, coefficients: named(), adam: adam.state(), random: random.state() });
      options.onStep?.(e, meta.episodes);
      await turns.take();
    }
    if (divergedAtStep !== undefined) {
      status = 'diverged';
      reason = `non-finite values (NaN or Infinity) in meta-episode ${divergedAtStep}`;
    }
    if (status === 'completed' && meta.evaluate) {
      const t1 = performance.now();
      evaluation = await evaluateLearnedRule(config, named(), { dataset, backend: options.backend, ...(options.signal ? { signal: options.signal } : {}) });
      evalMs += performance.now() - t1;
    }
  } catch (error) {
    status = 'failed';
    reason = describeFileError(error)?.line ?? (error as Error).message;
  }
  return {
    status,
    ...(reason !== undefined ? { reason } : {}),
    steps: done,
    totalSteps: meta.episodes,
    ...(divergedAtStep !== undefined ? { divergedAtStep } : {}),
    points,
    params: null,
    executor: 'online-js',
    backend: options.backend,
    trainSec: trainMs / 1000,
    evalSec: evalMs / 1000,
    ...(evaluation ? { metaEvaluation: evaluation } : {}),
    wallSec: (performance.now() - started) / 1000,
  };
}
