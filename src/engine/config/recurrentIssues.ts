/**
 * What a recurrent network (model.kind "rnn") accepts and what only it accepts: its shape, its data,
 * and the feed-forward options it does not have, each named with the field and what to use instead.
 */
import type { ExperimentConfig } from './schema';
import { SEQUENCE_SOURCES } from './schema';
import { showValue, type ConfigIssue } from './issues';
import { EXTRA_TERMS } from '../../shared/terms';
import { MEMORY_CAPACITY_DEFAULTS, memoryCapacityDelays } from '../recurrent/sequenceData';

export function isRecurrent(config: Pick<ExperimentConfig, 'model'>): boolean {
  return config.model.kind === 'rnn';
}

export function recurrentIssues(config: ExperimentConfig): ConfigIssue[] {
  const sequences = (SEQUENCE_SOURCES as readonly string[]).includes(config.data.source);
  const issues: ConfigIssue[] = [];
  const source = config.data.source;
  const sourcesOf: Record<'symbols' | 'delay' | 'length' | 'ridge', string[]> = {
    symbols: ['delayed-recall', 'copy'],
    delay: ['delayed-recall', 'copy', 'memory-capacity'],
    length: ['copy', 'memory-capacity'],
    ridge: ['memory-capacity'],
  };
  for (const [field, sources] of Object.entries(sourcesOf)) {
    if (config.data[field as keyof typeof sourcesOf] !== undefined && !sources.includes(source)) {
      const named = sources.length > 1 ? `${sources.slice(0, -1).join(', ')} or ${sources.at(-1)!}` : sources[0]!;
      issues.push({ path: `data.${field}`, message: `is a ${named} setting; data.source is "${source}"` });
    }
  }
  if (source === 'memory-capacity') issues.push(...memoryCapacityIssues(config));
  if (!isRecurrent(config)) {
    if (sequences) issues.push({ path: 'data.source', message: `"${config.data.source}" is a sequence task; it needs model.kind "rnn"` });
    if (typeof config.rule.oja === 'object' && !Array.isArray(config.rule.oja)) {
      issues.push({ path: 'rule.oja', message: `${showValue(config.rule.oja)}: θ per matrix (in, rec, out) is for model.kind "rnn"; give a number, or one per weight layer` });
    }
    if (config.model.init.recurrent) issues.push({ path: 'model.init.recurrent', message: 'is for model.kind "rnn" (W_rec)' });
    if (config.training.bptt !== undefined) issues.push({ path: 'training.bptt', message: 'is for model.kind "rnn" (backpropagation through time)' });
    return issues;
  }
  if (config.data.source === 'sequential-mnist') {
    const files = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
    if (files.some((f) => config.data[f]) && !files.every((f) => config.data[f])) {
      for (const f of files.filter((f) => !config.data[f])) issues.push({ path: `data.${f}`, message: 'is required when any IDX file is given (else the bundled digits are read)' });
    }
  }
  const layers = config.model.layers;
  if (layers.length !== 3) issues.push({ path: 'model.layers', message: `${showValue(layers)}: an rnn is [inputs per step, hidden units, outputs], 3 numbers` });
  if (!sequences) issues.push({ path: 'data.source', message: `"${config.data.source}" has no sequences; an rnn trains on ${SEQUENCE_SOURCES.map((s) => `"${s}"`).join(', ')}` });
  if (Array.isArray(config.rule.oja)) {
    issues.push({ path: 'rule.oja', message: `${showValue(config.rule.oja)}: for an rnn, give one number or { "in": …, "rec": …, "out": … }` });
  }
  const feedForwardOnly: Array<[boolean, string, string]> = [
    [config.training.batchSize !== 1, 'training.batchSize', `${config.training.batchSize}: an rnn learns online, one sequence per update (1)`],
    [config.rule.optimizer !== 'sgd', 'rule.optimizer', `"${config.rule.optimizer}" is not available for an rnn; use "sgd"`],
    [config.model.bias, 'model.bias', 'true is not available for an rnn (its matrices have no biases)'],
    [config.model.normalization !== 'none', 'model.normalization', `"${config.model.normalization}" is not available for an rnn; use "none"`],
    [config.model.init.from !== undefined, 'model.init.from', 'weights files are for feed-forward networks; an rnn starts from model.init'],
    [config.training.episodes !== undefined, 'training.episodes', 'few-shot episodes are for feed-forward networks'],
    [config.meta !== undefined, 'meta', 'meta-learning is for feed-forward networks'],
  ];
  for (const [bad, path, message] of feedForwardOnly) if (bad) issues.push({ path, message });
  for (const term of EXTRA_TERMS) {
    const value = config.rule.terms[term];
    if (value !== undefined && value !== 0) issues.push({ path: `rule.terms.${term}`, message: `${showValue(value)}: an rnn's rule is the error term and Oja's (rule.oja); other local terms are for feed-forward networks` });
  }
  return issues;
}

/** Memory capacity recalls u_{t−k} for k ≥ 1, after a washout of the longest delay that must leave steps to score. */
function memoryCapacityIssues(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // The delays as the task reads them (K is 1 … K: none for K = 0).
  const delays = memoryCapacityDelays(config);
  if (delays.length === 0 || delays.some((k) => k < 1)) {
    issues.push({ path: 'data.delay', message: `${showValue(config.data.delay)}: memory capacity recalls past inputs, so every delay is at least 1` });
  }
  const steps = config.data.length ?? MEMORY_CAPACITY_DEFAULTS.length;
  const longest = Math.max(0, ...delays);
  if (steps <= longest) issues.push({ path: 'data.length', message: `${steps} steps leave none after the washout of ${longest} (the longest delay); use at least ${longest + 1}` });
  return issues;
}
