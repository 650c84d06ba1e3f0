/**
 * Runs one job and reports it as worker messages: the same code serves a worker process (which
 * sends them over IPC) and the command line's in-process pool (which hands them straight on).
 */
import { resumeRun, runExperiment, type ResumeRequest } from '../engine/run/runExperiment';
import { badInputIssues } from '../engine/badInput';
import { describeFileError } from '../runFiles/fileErrors';
import type { JobMessage, RunJobSpec } from '../protocol/hostWorker';

/** Progress messages at most this often: enough for a live bar, little IPC. */
const PROGRESS_EVERY_MS = 100;

export async function runJob(jobId: string, job: RunJobSpec, signal: AbortSignal, send: (message: JobMessage) => void): Promise<void> {
  let lastProgress = 0;
  let runDir: string | undefined;
  try {
    const receivedAt = Date.now();
    const common: Pick<ResumeRequest, 'baseDir' | 'backend' | 'signal' | 'onStart' | 'onPoint' | 'onStep'> = {
      baseDir: job.baseDir,
      backend: job.backend,
      signal,
      onStart: (started) => {
        runDir = started.runDir;
        send({ type: 'worker/started', jobId, runId: started.runId, runDir: started.runDir, totalSteps: started.totalSteps, receivedAt });
      },
      onPoint: (point) => send({ type: 'worker/point', jobId, point, sentAt: Date.now() }),
      onStep: (step, totalSteps) => {
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now;
          send({ type: 'worker/progress', jobId, step, totalSteps });
        }
      },
    };
    const { summary } = job.resumeDir
      ? await resumeRun({ ...common, runDir: job.resumeDir })
      : await runExperiment({ ...common, config: job.config, label: job.label, outDir: job.outDir, saveWeights: job.saveWeights, executor: job.executor });
    send({ type: 'worker/finished', jobId, summary });
  } catch (error) {
    const issues = badInputIssues(error);
    // A file-system failure names its path and cause (a write to an open file names neither).
    const message = describeFileError(error, runDir ?? job.outDir)?.line ?? (error as Error).message;
    send(issues ? { type: 'worker/rejected', jobId, issues } : { type: 'worker/failed', jobId, message });
  }
}
