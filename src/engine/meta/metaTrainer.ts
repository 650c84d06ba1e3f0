/**
 * Meta-learning the rule (meta.learn): each meta-episode draws an episode (training.episodes, from
 * the run's generator), trains a fresh network on its M·K samples with the current coefficients
 * while carrying their derivatives (InnerLoop), and steps the learned coefficients down the exact
 * gradient of the query loss (plus meta.l1 · |c|) with Adam. One point per meta-episode: the query
 * loss and accuracy, their moving averages, and every coefficient after its step.
 */
import type { ExperimentConfig } from '../config/schema';
import { initialParams, ruleCoefficient } from '../model/params';
import { ADAM_DEFAULTS, AdamMoments } from '../model/adam';
import type { EvaluationPoint } from '../diagnostics/metrics';
import { EpisodeRun } from '../episodes/episodeRun';
import { prepareRun, type TrainOptions, type TrainResult } from '../trainer';
import { EventLoopTurns, nextOrder } from '../stepLoop';
import { Random } from '../random';
import { LEARNED_RULE_FORMAT, type AdamState, type LearnedRuleDocument } from './learnedRule';
import { episodeSampler } from '../episodes/episodeTrainer';
import { InnerLoop, type InnerRule, type InnerStep, type Learnable } from './innerLoop';
import { WasmInnerLoop, wasmInnerLoopSupports } from './wasmInnerLoop';
import type { ExecutorName } from '../executors/executor';
import { innerRuleOf } from './coefficients';
import { evaluateLearnedRule, type MetaEvaluation } from './evaluation';

/** Adam on the learned coefficients, its moments and step count kept so a run can resume. */
class CoefficientAdam {
  private readonly moments: AdamMoments;
  private t: number;

  constructor(
    size: number,
    private readonly rate: number,
    from?: AdamState,
  ) {
    this.moments = new AdamMoments(size, 'float64');
    if (from) {
      this.moments.m.set(from.m);
      this.moments.v.set(from.v);
    }
    this.t = from?.t ?? 0;
  }

  state(): AdamState {
    return { m: [...this.moments.m], v: [...this.moments.v], t: this.t };
  }

  step(values: number[], gradient: number[]): number[] {
    const next = Float64Array.from(values);
    this.moments.step(next, gradient, this.rate, ++this.t, ADAM_DEFAULTS);
    return [...next];
  }
}

/**
 * Each meta-episode's inner loop: the SIMD one where it runs the rule (one for the whole run, started
 * afresh each time), the float64 reference where it does not (Sanger's term, no kernels) or when the
 * online-js executor is asked for.
 */
function innerLoops(config: ExperimentConfig, rule: InnerRule, preference: TrainOptions['executor']): { executor: ExecutorName; start(weights: ArrayLike<number>[], rule: InnerRule): InnerStep } {
  const layers = config.model.layers;
  if (preference !== 'online-js' && wasmInnerLoopSupports(rule)) {
    let loop: WasmInnerLoop | null = null;
    return {
      executor: 'online',
      start(weights, next) {
        if (loop) loop.begin(weights, next);
        else loop = new WasmInnerLoop(layers, weights, next);
        return loop;
      },
    };
  }
  return { executor: 'online-js', start: (weights, next) => new InnerLoop(layers, weights, next) };
}

/** Each learned coefficient's starting value: the rule's. */
export function startingCoefficients(config: ExperimentConfig, learned: readonly Learnable[]): number[] {
  // Validation made each a single number in the rule.
  return learned.map((name) => ruleCoefficient(config.rule, name) as number);
}

export interface MetaOptions extends TrainOptions {
  /** Called after every meta-episode with the rule and state as they stand (the run folder keeps them). */
  onMetaState?(state: LearnedRuleDocument): void;
  /** Go on from a stopped run: its last state and the points it recorded up to it. */
  resume?: { state: LearnedRuleDocument; points: EvaluationPoint[] };
}

export async function trainMeta(config: ExperimentConfig, options: MetaOptions): Promise<TrainResult> {
  const meta = config.meta!;
  const learned = meta.learn! as Learnable[];
  const episodes = config.training.episodes!;
  const { dataset } = options;
  const nextEpisode = episodeSampler(config, dataset);
  const initialWeights = options.initialWeights ?? null;
  const { random: fresh, feedback: drawn } = prepareRun(config, initialWeights);
  // In float64 once: every meta-episode's rule shares them.
  const feedback = drawn ? drawn.map((f) => Float64Array.from(f)) : null;
  const resumed = options.resume?.state;
  const random = resumed ? Random.fromState(resumed.random) : fresh;
  const adam = new CoefficientAdam(learned.length, meta.learningRate, resumed?.adam);
  const run = new EpisodeRun('meta-episode', meta.episodes, episodes.movingAverage, options.resume?.points);
  const turns = new EventLoopTurns();
  const inputSize = dataset.inputSize;
  let values = resumed ? learned.map((name) => resumed.coefficients[name]!) : startingCoefficients(config, learned);
  let evaluation: MetaEvaluation[] | undefined;
  const loops = innerLoops(config, innerRuleOf(config, feedback, learned, values), options.executor);
  const named = () => Object.fromEntries(learned.map((name, k) => [name, values[k]!])) as Partial<Record<Learnable, number>>;

  try {
    for (let e = run.done + 1; e <= meta.episodes && !run.stopped(options.signal); e++) {
      const t0 = performance.now();
      const { classes, support, query } = nextEpisode(random);
      // Every meta-episode starts from a fresh network.
      const params = initialParams(config, random, initialWeights);
      const order = new Uint32Array(support.count);
      nextOrder(order, config.data.shuffle, random);
      const loop = loops.start(params.map((p) => p.weights), innerRuleOf(config, feedback, learned, values));
      let supportLoss = 0;
      for (const index of order) supportLoss += loop.step(support.inputs.subarray(index * inputSize, (index + 1) * inputSize), support.labels[index]!);
      const result = loop.query(query.inputs, query.labels, query.count);
      run.trainMs += performance.now() - t0;
      if (!Number.isFinite(result.loss) || !Number.isFinite(supportLoss) || !result.gradient.every(Number.isFinite)) {
        run.diverged(e);
        break;
      }
      values = adam.step(values, result.gradient.map((g, k) => g + meta.l1 * Math.sign(values[k]!)));
      const point = run.record(e, classes, supportLoss / support.count, result, { coefficients: named() });
      options.onPoint?.(point);
      options.onMetaState?.({ format: LEARNED_RULE_FORMAT, metaEpisodes: e, coefficients: named(), adam: adam.state(), random: random.state() });
      options.onStep?.(e, meta.episodes);
      await turns.take();
    }
    if (run.completed && meta.evaluate) {
      const t1 = performance.now();
      evaluation = await evaluateLearnedRule(config, named(), { dataset, backend: options.backend, ...(options.signal ? { signal: options.signal } : {}) });
      run.evalMs += performance.now() - t1;
    }
  } catch (error) {
    run.failed(error);
  }
  return run.result({ params: null, executor: loops.executor, backend: options.backend, ...(evaluation ? { metaEvaluation: evaluation } : {}) });
}
