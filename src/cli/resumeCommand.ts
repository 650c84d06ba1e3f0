/**
 * `plasticity-lab run <runDir> --resume`: a stopped meta-learning run goes on in its own folder,
 * in this process, with a progress bar; Ctrl-C stops it again (keeping everything).
 */
import { resolve } from 'node:path';
import { resumeRun } from '../engine/run/runExperiment';
import { readConfig } from '../runFiles/runStore';
import type { BackendPreference } from '../engine/backend';
import { createSweepProgress, progressUnit } from './progress';
import { comparisonTable } from './report';
import { EXIT, finishedLine, jsonLine } from './runCommand';

export async function resumeCommand(runDir: string, options: { json: boolean; backend: BackendPreference }): Promise<number> {
  const folder = resolve(runDir);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const progress = createSweepProgress();
  const config = readConfig(folder);
  const title = `${config?.name ?? folder} (resumed)`;
  try {
    const { summary } = await resumeRun({
      runDir: folder,
      // Relative paths in the run's config (IDX files, a weights file) were relative to its experiment
      // file, which the run folder does not name: they resolve against the current folder.
      baseDir: process.cwd(),
      backend: options.backend,
      signal: controller.signal,
      onStart: ({ totalSteps }) => progress.start(folder, title, totalSteps, config ? progressUnit(config) : 'meta-episodes'),
      onPoint: (point) => progress.update(folder, point.step, { accuracy: point.episode?.movingAccuracy ?? point.testAccuracy }),
    });
    progress.stop(folder, finishedLine(title, summary, folder));
    progress.close();
    if (options.json) process.stdout.write(jsonLine(summary, folder));
    (options.json ? process.stderr : process.stdout).write(`${comparisonTable([summary])}\n`);
    return summary.status === 'completed' ? EXIT.ok : summary.status === 'stopped' ? EXIT.interrupted : EXIT.runFailed;
  } finally {
    progress.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
