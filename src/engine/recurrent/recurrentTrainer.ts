/**
 * Training a recurrent network (model.kind "rnn"): one sequence per update, in the order the run's
 * generator shuffles them each epoch, evaluated every training.evalEvery updates (and at the end) on
 * the test sequences: loss, accuracy, the memory curve and the recurrent diagnostics. A trainer
 * beside trainer.ts, with the same stop, divergence and progress behaviour.
 */
import type { ExperimentConfig } from '../config/schema';
import type { EvaluationPoint } from '../diagnostics/metrics';
import { Random } from '../random';
import { runOutcome, totalSteps, type TrainOptions, type TrainResult } from '../trainer';
import { runStepLoop } from '../stepLoop';
import { trainOnSequence } from './recurrentNet';
import { DEFAULT_RIDGE, evaluateMemory } from './memoryEvaluation';
import { initialRecurrentWeights, recurrentFeedback, recurrentRuleOf } from './recurrentSetup';
import { sequenceAt, type SequenceSplit } from './sequences';
import { WasmRecurrent, wasmRecurrentSupports } from './wasmRecurrent';
import type { ExecutorName } from '../executors/executor';
import type { RecurrentRule, RecurrentWeights } from './recurrentNet';

/** The update a run uses: the SIMD one where it runs the rule (and is not asked for the reference), else the float64 reference. */
function recurrentStepper(weights: RecurrentWeights, rule: RecurrentRule, train: SequenceSplit, preference: TrainOptions['executor']) {
  if (preference !== 'online-js' && wasmRecurrentSupports(rule)) {
    let longest = 0;
    for (let s = 0; s < train.count; s++) longest = Math.max(longest, train.offsets[s + 1]! - train.offsets[s]!);
    const fast = new WasmRecurrent(weights, rule, longest);
    return { executor: 'online' as ExecutorName, step: (s: number) => fast.step(sequenceAt(train, s)), weights: () => fast.weights() };
  }
  return { executor: 'online-js' as ExecutorName, step: (s: number) => trainOnSequence(weights, rule, sequenceAt(train, s)), weights: () => weights };
}

export async function trainRecurrent(config: ExperimentConfig, options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const sequences = options.dataset.sequences;
  if (!sequences) throw new Error(`${options.dataset.description} has no sequences for a recurrent network`);
  const random = new Random(config.seed);
  const weights = initialRecurrentWeights(config, random);
  const rule = recurrentRuleOf(config, recurrentFeedback(config, random));
  const stepper = recurrentStepper(weights, rule, sequences.train, options.executor);
  const total = totalSteps(config, sequences.train.count);
  const points: EvaluationPoint[] = [];
  let evalMs = 0;
  let lossSum = 0;
  let lossCount = 0;

  const evaluate = (step: number): boolean => {
    const t0 = performance.now();
    const evaluation = evaluateMemory(stepper.weights(), rule, sequences.test, config.data.ridge ?? DEFAULT_RIDGE);
    const point: EvaluationPoint = {
      step,
      epoch: step / sequences.train.count,
      trainLoss: lossCount > 0 ? lossSum / lossCount : null,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      elapsedSec: (performance.now() - started) / 1000,
      layers: [],
      memory: evaluation.curve,
      recurrent: evaluation.diagnostics,
    };
    lossSum = 0;
    lossCount = 0;
    evalMs += performance.now() - t0;
    points.push(point);
    options.onPoint?.(point);
    return Number.isFinite(point.testLoss);
  };

  const loop = await runStepLoop({
    total,
    evalEvery: config.training.evalEvery,
    batch: 1,
    count: sequences.train.count,
    shuffle: config.data.shuffle,
    random,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    update: (indices, step) => {
      const outcome = stepper.step(indices[0]!);
      lossSum += outcome.loss;
      lossCount += outcome.targets;
      return Number.isFinite(outcome.loss) ? null : step;
    },
    evaluate,
  });
  return { ...runOutcome(loop, total, points, started, evalMs), params: null, executor: stepper.executor, backend: options.backend };
}
