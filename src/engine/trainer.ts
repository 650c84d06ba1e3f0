/**
 * Trains one experiment (no sweep): builds the network from the run's one seeded generator,
 * steps the executor, evaluates every `evalEvery` steps and at the end, and ends the run as
 * completed, stopped, diverged (non-finite values: a result, not a crash) or failed.
 */
import type { ExperimentConfig } from './config/schema';
import { ConfigError } from './config/issues';
import type { Dataset, Split } from './data/dataset';
import { Random } from './random';
import { drawMatrices, initialParams, type NetworkParams } from './model/params';
import type { ExecutorName, StepNorms, TrainingExecutor } from './executors/executor';
import { OnlineExecutor } from './executors/online';
import { TfjsExecutor } from './executors/tfjs';
import { WasmOnlineExecutor, wasmOnlineAvailable } from './executors/wasmOnline';
import { Evaluator } from './diagnostics/evaluator';
import { isFinitePoint, type EvaluationPoint } from './diagnostics/metrics';
import type { BackendName } from './backend';
import type { TrainingOutcome } from '../runFiles/summary';
import { trainEpisodes } from './episodes/episodeTrainer';
import { trainMeta, type MetaOptions } from './meta/metaTrainer';
import { runStepLoop, type StepLoopOutcome } from './stepLoop';
import { trainRecurrent } from './recurrent/recurrentTrainer';
import { isRecurrent } from './config/recurrentIssues';

export interface TrainOptions {
  dataset: Dataset;
  backend: BackendName;
  /** Initial parameters from a weights file (init.from), already checked against the model. */
  initialWeights?: NetworkParams | null;
  /** 'auto': the online executor at batch size 1 (SIMD where it can), TensorFlow.js otherwise. */
  executor?: 'auto' | ExecutorName;
  signal?: AbortSignal;
  onPoint?(point: EvaluationPoint): void;
  /** Called every step; cheap callers only (the CLI throttles its bar). */
  onStep?(step: number, totalSteps: number): void;
}

export interface TrainResult extends TrainingOutcome {
  params: NetworkParams | null;
  executor: ExecutorName;
  backend: BackendName;
}

/** Updates a run makes; for few-shot runs, its episodes (the unit its points and progress count in). */
export function totalSteps(config: ExperimentConfig, trainCount: number): number {
  const { steps, epochs, batchSize, episodes } = config.training;
  if (config.meta?.learn) return config.meta.episodes;
  if (episodes) return episodes.count;
  return steps ?? (epochs ?? 1) * Math.ceil(trainCount / batchSize);
}

export function chooseExecutor(config: ExperimentConfig, preference: 'auto' | ExecutorName = 'auto'): ExecutorName {
  if ((preference === 'online' || preference === 'online-js') && config.training.batchSize !== 1) {
    throw new ConfigError([{ path: 'training.batchSize', message: `${config.training.batchSize} is not allowed with the online executor, which trains one sample at a time; use 1, or the tfjs executor` }]);
  }
  if (preference === 'online' || (preference === 'auto' && config.training.batchSize === 1)) {
    // Falls back to the TypeScript path where the SIMD kernels are missing.
    return wasmOnlineAvailable(config) ? 'online' : 'online-js';
  }
  return preference === 'auto' ? 'tfjs' : preference;
}

export function createExecutor(
  name: ExecutorName, config: ExperimentConfig, params: NetworkParams, feedback: Float32Array[] | null, train: Split,
): TrainingExecutor {
  if (name === 'online') return new WasmOnlineExecutor(config, params, feedback, train);
  if (name === 'online-js') return new OnlineExecutor(config, params, feedback, train);
  return new TfjsExecutor(config, params, feedback, train);
}

/** Everything random, drawn in a fixed order from the run's one generator. */
export function prepareRun(config: ExperimentConfig, initialWeights: NetworkParams | null = null) {
  const random = new Random(config.seed);
  const params = initialParams(config, random, initialWeights);
  const feedback = config.rule.feedback === 'feedback-alignment' ? drawMatrices(config.model, random) : null;
  return { random, params, feedback };
}

export async function train(config: ExperimentConfig, options: TrainOptions & Pick<MetaOptions, 'onMetaState' | 'resume'>): Promise<TrainResult> {
  if (isRecurrent(config)) return trainRecurrent(config, options);
  if (config.meta?.learn) return trainMeta(config, options);
  if (config.training.episodes) return trainEpisodes(config, options);
  const started = performance.now();
  const { dataset } = options;
  const { random, params, feedback } = prepareRun(config, options.initialWeights ?? null);
  const executorName = chooseExecutor(config, options.executor);
  const total = totalSteps(config, dataset.train.count);
  const executor = createExecutor(executorName, config, params, feedback, dataset.train);
  const evaluator = new Evaluator(config, dataset.test, feedback);
  const points: EvaluationPoint[] = [];
  let evalMs = 0;
  let loop: StepLoopOutcome = { status: 'completed', steps: 0, trainMs: 0 };

  const evaluate = (step: number): boolean => {
    const t0 = performance.now();
    const loss = executor.takeLoss();
    const evaluation = evaluator.evaluate(executor.params());
    // Oja's share of the steps actually taken since the previous point (none before the first step).
    const norms = executor.takeStepNorms();
    evaluation.layers.forEach((layer, l) => {
      const error = norms.error[l]!;
      layer.ojaErrorRatio = step > 0 && config.rule.errorTerm && error > 0 ? norms.oja[l]! / error : null;
      if (norms.terms && step > 0) layer.termShares = termShares(norms, l);
    });
    const point: EvaluationPoint = {
      step,
      epoch: (step * config.training.batchSize) / dataset.train.count,
      trainLoss: loss.count > 0 ? loss.sum / loss.count : null,
      ...evaluation,
      elapsedSec: (performance.now() - started) / 1000,
    };
    evalMs += performance.now() - t0;
    points.push(point);
    options.onPoint?.(point);
    return isFinitePoint(point);
  };

  try {
    loop = await runStepLoop({
      total,
      evalEvery: config.training.evalEvery,
      batch: config.training.batchSize,
      count: dataset.train.count,
      shuffle: config.data.shuffle,
      random,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
      update: (indices) => {
        executor.step(indices);
        return executor.divergedAtStep;
      },
      evaluate,
    });
    return finish();
  } finally {
    executor.dispose();
    evaluator.dispose();
  }

  function finish(): TrainResult {
    let finalParams: NetworkParams | null = null;
    try {
      finalParams = executor.params();
    } catch {
      finalParams = null;
    }
    return { ...runOutcome(loop, total, points, started, evalMs), params: finalParams, executor: executorName, backend: options.backend };
  }
}

/** A step loop's end as a run's outcome (its status, counts, points and timing). */
export function runOutcome(loop: StepLoopOutcome, total: number, points: EvaluationPoint[], started: number, evalMs: number): Omit<TrainResult, 'params' | 'executor' | 'backend'> {
  return {
    status: loop.status,
    ...(loop.reason !== undefined ? { reason: loop.reason } : {}),
    steps: loop.steps,
    totalSteps: total,
    ...(loop.divergedAtStep !== undefined ? { divergedAtStep: loop.divergedAtStep } : {}),
    points,
    trainSec: loop.trainMs / 1000,
    evalSec: evalMs / 1000,
    wallSec: (performance.now() - started) / 1000,
  };
}

/** Each term's share of layer l's update: its summed step norms over every term's (error, oja, then rule.terms). */
function termShares(norms: StepNorms, l: number): Record<string, number> {
  const each: Record<string, number> = { error: norms.error[l]!, oja: norms.oja[l]! };
  for (const [term, byLayer] of Object.entries(norms.terms ?? {})) each[term] = byLayer[l]!;
  const total = Object.values(each).reduce((sum, v) => sum + v, 0);
  return Object.fromEntries(Object.entries(each).map(([term, v]) => [term, total > 0 ? v / total : 0]));
}
