/**
 * A training worker: a child process that loads the tensor backend and the bundled digits once,
 * then runs jobs one at a time as the host sends them, streaming points back over IPC.
 */
import { initBackend } from '../engine/backend';
import { loadDataset } from '../engine/data/load';
import { parseExperiment } from '../engine/config/validate';
import { parseHostMessage, type HostToWorker, type RunJobSpec, type WorkerToHost } from '../protocol/hostWorker';
import { runJob } from './jobRunner';

const stops = new Map<string, AbortController>();
const queue: Array<{ jobId: string; job: RunJobSpec }> = [];
let busy = false;

function send(message: WorkerToHost): void {
  process.send?.(message);
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const { jobId, job } = queue.shift()!;
    const controller = new AbortController();
    stops.set(jobId, controller);
    try {
      await runJob(jobId, job, controller.signal, send);
    } finally {
      stops.delete(jobId);
    }
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
  // Warm the default backend and the bundled digits so the first run pays for neither; a job that
  // asks for another backend switches to it when it starts.
  const backend = await initBackend('auto');
  loadDataset(parseExperiment({ model: { layers: [784, 10] } }), { baseDir: process.cwd() });
  process.on('message', (raw) => {
    const message = parseHostMessage(raw);
    if (message) onMessage(message);
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'worker/ready', backend, loadMs: performance.now() - started });
}

void start();
