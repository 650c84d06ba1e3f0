/**
 * Training a recurrent network (model.kind "rnn"): one sequence per update, in the order the run's
 * generator shuffles them each epoch, evaluated every training.evalEvery updates (and at the end) on
 * the test sequences: loss, accuracy, the memory curve and the recurrent diagnostics. A trainer
 * beside trainer.ts, with the same stop, divergence and progress behaviour.
 */
import type { ExperimentConfig } from '../config/schema';
import type { EvaluationPoint } from '../diagnostics/metrics';
import type { EndedState } from '../../protocol/runState';
import { describeFileError } from '../../runFiles/fileErrors';
import { Random } from '../random';
import { EventLoopTurns, nextOrder, totalSteps, type TrainOptions, type TrainResult } from '../trainer';
import { trainOnSequence } from './recurrentNet';
import { evaluateMemory } from './memoryEvaluation';
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
  let trainMs = 0;
  let evalMs = 0;
  let step = 0;
  let lossSum = 0;
  let lossCount = 0;
  let status: EndedState = 'completed';
  let reason: string | undefined;
  let divergedAtStep: number | undefined;

  const evaluate = (): EvaluationPoint => {
    const t0 = performance.now();
    const evaluation = evaluateMemory(stepper.weights(), rule, sequences.test);
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
    return point;
  };

  try {
    evaluate();
    const order = new Uint32Array(sequences.train.count);
    let position = order.length;
    const turns = new EventLoopTurns();
    let segmentStart = performance.now();
    while (step < total) {
      if (options.signal?.aborted) {
        status = 'stopped';
        break;
      }
      if (position >= order.length) {
        nextOrder(order, config.data.shuffle, random);
        position = 0;
      }
      const outcome = stepper.step(order[position++]!);
      step++;
      lossSum += outcome.loss;
      lossCount += outcome.targets;
      options.onStep?.(step, total);
      if (!Number.isFinite(outcome.loss)) {
        divergedAtStep = step;
        break;
      }
      if (step % config.training.evalEvery === 0 || step === total) {
        trainMs += performance.now() - segmentStart;
        const point = evaluate();
        segmentStart = performance.now();
        if (!Number.isFinite(point.testLoss)) {
          divergedAtStep = step;
          break;
        }
      }
      await turns.take();
    }
    trainMs += performance.now() - segmentStart;
    if (divergedAtStep !== undefined) {
      status = 'diverged';
      reason = `non-finite values (NaN or Infinity) at step ${divergedAtStep}`;
    } else if (status === 'stopped') {
      reason = `stopped at step ${step} of ${total}`;
      if (points[points.length - 1]!.step !== step) evaluate();
    }
  } catch (error) {
    status = 'failed';
    reason = describeFileError(error)?.line ?? (error as Error).message;
  }
  return {
    status,
    ...(reason !== undefined ? { reason } : {}),
    steps: step,
    totalSteps: total,
    ...(divergedAtStep !== undefined ? { divergedAtStep } : {}),
    points,
    params: null,
    executor: stepper.executor,
    backend: options.backend,
    trainSec: trainMs / 1000,
    evalSec: evalMs / 1000,
    wallSec: (performance.now() - started) / 1000,
  };
}
