/**
 * A training worker: a child process that loads the tensor backend and the bundled digits once,
 * then runs jobs one at a time as the host sends them, streaming points back over IPC.
 */
import { initBackend, type BackendPreference } from '../engine/backend';
import { loadDataset } from '../engine/data/load';
import { parseExperiment } from '../engine/config/validate';
import { ConfigError } from '../engine/config/issues';
import { IdxError } from '../engine/data/idx';
import { runExperiment } from '../engine/run/runExperiment';
import { isHostToWorker, type HostToWorker, type RunJobSpec, type WorkerToHost } from '../protocol/hostWorker';
import { isExecutorName, type ExecutorName } from '../engine/executors/executor';

const PROGRESS_EVERY_MS = 100;
const stops = new Map<string, AbortController>();
const queue: Array<{ jobId: string; job: RunJobSpec }> = [];
let busy = false;

function send(message: WorkerToHost): void {
  process.send?.(message);
}

/** PLASTICITY_EXECUTOR (set by `plasticity-lab run --workers K --executor …`), else auto. */
function executorPreference(): 'auto' | ExecutorName {
  const name = process.env.PLASTICITY_EXECUTOR;
  return isExecutorName(name) ? name : 'auto';
}

async function runJob(jobId: string, job: RunJobSpec): Promise<void> {
  const controller = new AbortController();
  stops.set(jobId, controller);
  let lastProgress = 0;
  try {
    const receivedAt = Date.now();
    const { summary } = await runExperiment({
      config: job.config,
      label: job.label,
      outDir: job.outDir,
      baseDir: job.baseDir,
      saveWeights: job.saveWeights,
      executor: executorPreference(),
      signal: controller.signal,
      onStart: ({ runId, runDir, totalSteps }) => send({ type: 'worker/started', jobId, runId, runDir, totalSteps, receivedAt }),
      onPoint: (point) => send({ type: 'worker/point', jobId, point, sentAt: Date.now() }),
      onStep: (step, totalSteps) => {
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now;
          send({ type: 'worker/progress', jobId, step, totalSteps });
        }
      },
    });
    send({ type: 'worker/finished', jobId, summary });
  } catch (error) {
    if (error instanceof ConfigError) send({ type: 'worker/rejected', jobId, issues: error.issues });
    else if (error instanceof IdxError) send({ type: 'worker/rejected', jobId, issues: [{ path: 'data', message: error.message }] });
    else send({ type: 'worker/failed', jobId, message: (error as Error).message });
  } finally {
    stops.delete(jobId);
  }
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const next = queue.shift()!;
    await runJob(next.jobId, next.job);
  }
  busy = false;
}

function onMessage(message: HostToWorker): void {
  switch (message.type) {
    case 'host/start':
      queue.push({ jobId: message.jobId, job: message.job });
      void drain();
      break;
    case 'host/stop': {
      const queued = queue.findIndex((q) => q.jobId === message.jobId);
      if (queued >= 0) queue.splice(queued, 1);
      stops.get(message.jobId)?.abort();
      break;
    }
    case 'host/shutdown':
      for (const controller of stops.values()) controller.abort();
      process.disconnect?.();
      break;
  }
}

async function start(): Promise<void> {
  const started = performance.now();
  const backend = await initBackend((process.env.PLASTICITY_BACKEND as BackendPreference | undefined) ?? 'auto');
  // Warm the bundled digits so the first run does not pay for them.
  loadDataset(parseExperiment({ model: { layers: [784, 10] } }), { baseDir: process.cwd() });
  process.on('message', (message) => {
    if (isHostToWorker(message)) onMessage(message);
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'worker/ready', backend, loadMs: performance.now() - started });
}

void start();
