/**
 * Runs one resolved experiment into its own run folder. Bad input (data that does not fit the
 * model, unreadable files) is thrown before any folder is made; anything after that ends as a
 * run whose summary says what happened.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ExperimentConfig } from '../config/schema';
import { loadDataset } from '../data/load';
import { readWeightsFile, weightsDocument } from '../model/weightsFile';
import type { NetworkParams } from '../model/params';
import { initBackend, tfjsVersion, type BackendPreference } from '../backend';
import { ConfigError } from '../config/issues';
import { episodeDataIssues } from '../episodes/classPool';
import { clampNotes, estimateMemory, memoryIssues } from '../memoryEstimate';
import { train, chooseExecutor, totalSteps, type TrainResult } from '../trainer';
import type { ExecutorName } from '../executors/executor';
import type { EvaluationPoint } from '../diagnostics/metrics';
import { createRunFolder, RunFolder, runIdFor } from '../../runFiles/runFolder';
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
  const { config, baseDir } = request;
  const label = request.label ?? '';
  const backend = await initBackend(request.backend ?? 'auto');
  const dataset = loadDataset(config, { baseDir });
  const from = config.model.init.from;
  const initialWeights: NetworkParams | null = from ? readWeightsFile(isAbsolute(from) ? from : resolve(baseDir, from), config.model) : null;
  const executor = chooseExecutor(config, request.executor);
  const counts = { trainCount: dataset.train.count, testCount: dataset.test.count, inputSize: dataset.inputSize };
  const refused = [...memoryIssues(estimateMemory(config, counts, executor, backend)), ...episodeDataIssues(config, dataset)];
  if (refused.length > 0) throw new ConfigError(refused);
  const notes = clampNotes(config, { ...counts, description: dataset.description });

  const { runId, runDir } = createRunFolder(request.outDir, runIdFor(config.name, label));
  const folder = new RunFolder(runDir);
  folder.writeConfig(config);
  const total = totalSteps(config, dataset.train.count);
  const start: RunSummary = {
    format: SUMMARY_FORMAT,
    runId,
    name: config.name,
    label,
    status: 'running',
    steps: 0,
    totalSteps: total,
    final: null,
    best: null,
    weightNorms: [],
    dataset: { description: dataset.description, trainCount: dataset.train.count, testCount: dataset.test.count },
    backend,
    executor,
    timing: { startedAt: new Date().toISOString(), endedAt: null, wallSec: 0, trainSec: 0, evalSec: 0, stepsPerSec: 0, evaluations: 0 },
    versions: versions(tfjsVersion()),
    owner: thisProcess(),
    ...(notes.length > 0 ? { notes } : {}),
  };
  folder.writeSummary(start);
  request.onStart?.({ runId, runDir, totalSteps: total });

  const result = await train(config, {
    dataset,
    backend,
    initialWeights,
    executor,
    ...(request.signal ? { signal: request.signal } : {}),
    onPoint(point) {
      folder.appendPoint(point);
      request.onPoint?.(point);
    },
    ...(request.onStep ? { onStep: request.onStep } : {}),
  });
  if (request.saveWeights && result.params) folder.writeWeights(weightsDocument(result.params));
  const summary = finishedSummary(start, result);
  folder.writeSummary(summary);
  return { runId, runDir, summary, result };
}
