/** `plasticity-lab run FILE`: runs an experiment (every member of its sweep, in turn). */
import { dirname, resolve } from 'node:path';
import { expandSweep } from '../engine/config/sweep';
import { runExperiment } from '../engine/run/runExperiment';
import type { RunSummary } from '../engine/run/summary';
import type { BackendPreference } from '../engine/backend';
import type { ExecutorName } from '../engine/executors/executor';
import { loadExperimentFile } from './experimentFile';
import { createProgress } from './progress';
import { comparisonTable, seedAggregateTable } from './report';

export interface RunOptions {
  out: string;
  set: string[];
  steps?: number;
  saveWeights: boolean;
  json: boolean;
  backend: BackendPreference;
  executor: 'auto' | ExecutorName;
}

export const EXIT = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

export async function runCommand(file: string, options: RunOptions): Promise<number> {
  const config = loadExperimentFile(file, { set: options.set, ...(options.steps !== undefined ? { steps: options.steps } : {}) });
  const members = expandSweep(config);
  const outDir = resolve(options.out);
  const progress = createProgress();
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const summaries: RunSummary[] = [];
  try {
    for (const member of members) {
      if (stop.signal.aborted) break;
      const title = `${config.name}${member.label ? ` [${member.label}]` : ''} (${member.index + 1}/${members.length})`;
      const outcome = await runExperiment({
        config: member.config,
        label: member.label,
        outDir,
        baseDir: dirname(resolve(file)),
        backend: options.backend,
        executor: options.executor,
        saveWeights: options.saveWeights,
        signal: stop.signal,
        onStart: ({ totalSteps }) => progress.start(title, totalSteps),
        onPoint: (point) => progress.update(point.step, { accuracy: point.testAccuracy }),
        onStep: (step) => {
          if ((step & 63) === 0) progress.update(step, {});
        },
      });
      const { summary } = outcome;
      summaries.push(summary);
      const accuracy = summary.final ? `${(100 * summary.final.testAccuracy).toFixed(2)}%` : '—';
      progress.stop(`${title}: ${summary.status}${summary.reason ? ` (${summary.reason})` : ''}, test accuracy ${accuracy} → ${outcome.runDir}`);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            runDir: outcome.runDir,
            runId: summary.runId,
            label: summary.label,
            status: summary.status,
            ...(summary.reason ? { reason: summary.reason } : {}),
            ...(summary.divergedAtStep !== undefined ? { divergedAtStep: summary.divergedAtStep } : {}),
            steps: summary.steps,
            final: summary.final,
          })}\n`,
        );
      }
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
  const report = options.json ? process.stderr : process.stdout;
  report.write(`${comparisonTable(summaries)}\n`);
  const aggregate = seedAggregateTable(summaries);
  if (aggregate) report.write(`${aggregate}\n`);
  if (stop.signal.aborted) return EXIT.interrupted;
  return summaries.every((s) => s.status === 'completed') ? EXIT.ok : EXIT.runFailed;
}
