/**
 * A pool of one worker that is this process: jobs run one after another here, with the same job
 * runner and the same events as the worker processes' pool, so `plasticity-lab run --workers 1` and
 * `--workers K` differ only in which pool they hand the run manager.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { JobPool } from '../host/runManager';
import { jobEventOf, type JobEvent, type JobInFlight } from '../host/jobEvents';
import type { RunJobSpec } from '../protocol/hostWorker';
import { runJob } from './jobRunner';
import { JobQueue } from '../host/jobQueue';

export class InProcessPool implements JobPool {
  private readonly queue = new JobQueue();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private running: { jobId: string; stop: AbortController } | null = null;
  private served = 0;
  private draining = false;
  private disposed = false;

  onEvent(listener: (event: JobEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  submit(jobId: string, job: RunJobSpec): void {
    this.queue.push({ jobId, job });
    this.emit({ type: 'queued', jobId, position: this.queue.size });
    void this.drain();
  }

  stop(jobId: string): void {
    if (this.queue.remove(jobId)) {
      this.emit({ type: 'cancelled', jobId });
    } else if (this.running?.jobId === jobId) {
      this.running.stop.abort();
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const jobId of this.queue.clear()) this.emit({ type: 'cancelled', jobId });
    this.running?.stop.abort();
    this.listeners.clear();
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      // A turn of the event loop before each job: a Ctrl-C between short members is heard at once.
      for (;;) {
        await nextTurn();
        const next = this.disposed ? undefined : this.queue.shift();
        if (!next) break;
        const { jobId, job } = next;
        const inFlight: JobInFlight = { jobId, sentAt: performance.now() };
        const worker = { pid: process.pid, warm: this.served > 0 };
        this.running = { jobId, stop: new AbortController() };
        await runJob(jobId, job, this.running.stop.signal, (message) => this.emit(jobEventOf(message, inFlight, worker)));
        this.running = null;
        this.served++;
      }
    } finally {
      this.draining = false;
    }
  }
}
