/**
 * Runs one resolved experiment into its own run folder. Bad input (data that does not fit the
 * model, unreadable files) is thrown before any folder is made; anything after that ends as a
 * run whose summary says what happened.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { ExperimentConfig } from '../config/schema';
import { loadDataset } from '../data/load';
import { readWeightsFile, weightsDocument } from '../model/weightsFile';
import type { NetworkParams } from '../model/params';
import { initBackend, tfjsVersion, type BackendPreference } from '../backend';
import { ConfigError } from '../config/issues';
import { episodeDataIssues } from '../episodes/classPool';
import { readLearnedRule, withLearnedRule } from '../meta/learnedRule';
import type { MetaOptions } from '../meta/metaTrainer';
import { evaluationDataIssues } from '../meta/evaluation';
import { clampNotes, estimateMemory, memoryIssues } from '../memoryEstimate';
import { train, chooseExecutor, totalSteps, type TrainResult } from '../trainer';
import type { ExecutorName } from '../executors/executor';
import type { EvaluationPoint } from '../diagnostics/metrics';
import { createRunFolder, RUN_FILES, RunFolder, runIdFor } from '../../runFiles/runFolder';
import { readConfig, readPoints, readSettledSummary } from '../../runFiles/runStore';
import { finishedSummary, SUMMARY_FORMAT, thisProcess, versions, type RunSummary } from '../../runFiles/summary';

export interface RunRequest {
  config: ExperimentConfig;
  /** Sweep member label ("" for a plain run). */
  label?: string;
  /** Folder the run folders go into. */
  outDir: string;
  /** Folder relative paths in the config resolve against. */
  baseDir: string;
  backend?: BackendPreference;
  executor?: 'auto' | ExecutorName;
  saveWeights?: boolean;
  signal?: AbortSignal;
  onStart?(info: { runId: string; runDir: string; totalSteps: number }): void;
  onPoint?(point: EvaluationPoint): void;
  onStep?(step: number, totalSteps: number): void;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  summary: RunSummary;
  result: TrainResult;
}

export async function runExperiment(request: RunRequest): Promise<RunOutcome> {
  const { baseDir } = request;
  // A learned rule (rule.terms.from) is read before anything: the run records the coefficients it used.
  const from = request.config.rule.terms.from;
  const config = from ? withLearnedRule(request.config, isAbsolute(from) ? from : resolve(baseDir, from)) : request.config;
  const label = request.label ?? '';
  const prepared = await prepare(config, request);
  const { runId, runDir } = createRunFolder(request.outDir, runIdFor(config.name, label));
  const folder = new RunFolder(runDir);
  folder.writeConfig(config);
  const start: RunSummary = {
    format: SUMMARY_FORMAT,
    runId,
    name: config.name,
    label,
    status: 'running',
    steps: 0,
    totalSteps: prepared.total,
    final: null,
    best: null,
    weightNorms: [],
    dataset: { description: prepared.dataset.description, trainCount: prepared.dataset.train.count, testCount: prepared.dataset.test.count },
    backend: prepared.backend,
    executor: prepared.executor,
    timing: { startedAt: new Date().toISOString(), endedAt: null, wallSec: 0, trainSec: 0, evalSec: 0, stepsPerSec: 0, evaluations: 0 },
    versions: versions(tfjsVersion()),
    owner: thisProcess(),
    ...(prepared.notes.length > 0 ? { notes: prepared.notes } : {}),
  };
  return trainInto(folder, runId, config, start, prepared, request);
}

export interface ResumeRequest extends Pick<RunRequest, 'backend' | 'signal' | 'onStart' | 'onPoint' | 'onStep'> {
  runDir: string;
  /** Folder relative paths in the run's config resolve against (the experiment file's folder). */
  baseDir: string;
}

/**
 * Goes on with a stopped meta-learning run in its own folder, exactly where its learned-rule.json
 * says it was: the same coefficients, meta-optimizer state and generator, so the rest of its
 * meta-episodes are those it would have run. Points recorded after that state are dropped.
 */
export async function resumeRun(request: ResumeRequest): Promise<RunOutcome> {
  const { runDir } = request;
  const refuse = (message: string) => new ConfigError([{ path: '', message: `${runDir}: ${message}` }]);
  const config = readConfig(runDir);
  if (!config) throw refuse('not a run folder (no config.json)');
  if (!config.meta?.learn) throw refuse('only a meta-learning run (meta.learn) can be resumed; run the experiment again instead');
  const state = readLearnedRule(join(runDir, RUN_FILES.learnedRule));
  if (!state?.adam || !state.random) throw refuse('it stopped before its first meta-episode ended (no learned-rule.json); run the experiment again');
  const previous = readSettledSummary(runDir);
  if (previous?.status === 'running') throw refuse(`it is still running (process ${previous.owner?.pid ?? '?'})`);
  if (state.metaEpisodes >= config.meta.episodes) throw refuse(`all ${config.meta.episodes} meta-episodes are done`);
  const prepared = await prepare(config, { ...request, executor: 'auto' });
  const folder = new RunFolder(runDir);
  const points = readPoints(runDir).filter((p) => p.step <= state.metaEpisodes);
  folder.rewritePoints(points);
  const runId = previous?.runId ?? runDir;
  const start: RunSummary = {
    ...previous!,
    status: 'running',
    totalSteps: prepared.total,
    backend: prepared.backend,
    timing: { ...previous!.timing, endedAt: null },
    owner: thisProcess(),
  };
  return trainInto(folder, runId, config, start, prepared, request, { state, points });
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** The data, backend and executor of a run, with everything that stops it refused before any folder is touched. */
async function prepare(config: ExperimentConfig, request: Pick<RunRequest, 'backend' | 'executor' | 'baseDir'>) {
  const backend = await initBackend(request.backend ?? 'auto');
  const dataset = loadDataset(config, { baseDir: request.baseDir });
  const weightsFile = config.model.init.from;
  const initialWeights: NetworkParams | null = weightsFile ? readWeightsFile(isAbsolute(weightsFile) ? weightsFile : resolve(request.baseDir, weightsFile), config.model) : null;
  const executor = chooseExecutor(config, request.executor);
  const counts = { trainCount: dataset.train.count, testCount: dataset.test.count, inputSize: dataset.inputSize };
  const refused = [...memoryIssues(estimateMemory(config, counts, executor, backend)), ...episodeDataIssues(config, dataset), ...evaluationDataIssues(config, dataset)];
  if (refused.length > 0) throw new ConfigError(refused);
  const notes = clampNotes(config, { ...counts, description: dataset.description });
  return { backend, dataset, initialWeights, executor, notes, total: totalSteps(config, dataset.train.count) };
}

/** Trains into `folder`: points as they come, the learned rule of a meta run after each meta-episode, the summary at the end. */
async function trainInto(
  folder: RunFolder, runId: string, config: ExperimentConfig, start: RunSummary, prepared: Prepared,
  request: Pick<RunRequest, 'signal' | 'onStart' | 'onPoint' | 'onStep' | 'saveWeights'>, resume?: MetaOptions['resume'],
): Promise<RunOutcome> {
  const { runDir } = folder;
  folder.writeSummary(start);
  request.onStart?.({ runId, runDir, totalSteps: prepared.total });
  const result = await train(config, {
    dataset: prepared.dataset,
    backend: prepared.backend,
    initialWeights: prepared.initialWeights,
    executor: prepared.executor,
    ...(request.signal ? { signal: request.signal } : {}),
    onPoint(point) {
      folder.appendPoint(point);
      request.onPoint?.(point);
    },
    ...(request.onStep ? { onStep: request.onStep } : {}),
    onMetaState: (state) => folder.writeLearnedRule(state),
    ...(resume ? { resume } : {}),
  });
  if (request.saveWeights && result.params) folder.writeWeights(weightsDocument(result.params));
  const summary = finishedSummary(start, result);
  folder.writeSummary(summary);
  return { runId, runDir, summary, result };
}
