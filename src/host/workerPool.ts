/**
 * A pool of warm training workers (child processes). Jobs beyond `maxWorkers` wait in a queue;
 * a worker that dies is replaced and its job reported failed; a stop is cooperative, with a hard
 * kill when the worker does not answer within `stopTimeoutMs`. Workers beyond the first that sit idle
 * for `idleShutdownMs` shut down, so a finished sweep does not keep a process per core in memory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { parseWorkerMessage, type HostToWorker, type RunJobSpec, type WorkerToHost } from '../protocol/hostWorker';
import { endsJob, jobEventOf, type JobEvent, type JobInFlight } from './jobEvents';
import { JobQueue } from './jobQueue';

export type { JobEvent };

/** Workers in a row that may die before they are ready before the waiting jobs fail. */
const MAX_FAILED_STARTS = 3;

export interface PoolOptions {
  workerScript: string;
  maxWorkers: number;
  stopTimeoutMs?: number;
  /** Idle time after which a worker other than the last one shuts down (default a minute). */
  idleShutdownMs?: number;
  /** The Node runtime to fork with (VS Code desktop: its Electron with ELECTRON_RUN_AS_NODE). */
  execPath?: string;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  job: (JobInFlight & { spec: RunJobSpec; attempts: number; stopTimer?: NodeJS.Timeout; stopRequested: boolean }) | null;
  served: number;
  idleTimer?: NodeJS.Timeout;
  /** Told to shut down; gets no more jobs and leaves the pool when its process exits. */
  retiring: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue = new JobQueue();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private disposed = false;
  private maxWorkers: number;
  /** Workers in a row that exited before they were ready. */
  private failedStarts = 0;

  constructor(private readonly options: PoolOptions) {
    this.maxWorkers = Math.max(1, options.maxWorkers);
  }

  onEvent(listener: (event: JobEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts a worker ahead of the first job, so that job does not wait for a cold start. */
  warmUp(): void {
    if (this.slots.length === 0) this.spawn();
  }

  submit(jobId: string, job: RunJobSpec): void {
    this.queue.push({ jobId, job });
    this.emit({ type: 'queued', jobId, position: this.queue.size });
    this.dispatch();
  }

  stop(jobId: string): void {
    if (this.queue.remove(jobId)) {
      this.emit({ type: 'cancelled', jobId });
      return;
    }
    const slot = this.slots.find((s) => s.job?.jobId === jobId);
    if (!slot?.job || slot.job.stopRequested) return;
    slot.job.stopRequested = true;
    this.post(slot, { type: 'host/stop', jobId });
    slot.job.stopTimer = setTimeout(() => slot.child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 5000);
  }

  setMaxWorkers(count: number): void {
    this.maxWorkers = Math.max(1, count);
    this.dispatch();
  }

  get queuedJobs(): string[] {
    return this.queue.ids();
  }

  workerPids(): number[] {
    return this.slots.map((s) => s.child.pid ?? -1);
  }

  dispose(): void {
    this.disposed = true;
    for (const jobId of this.queue.clear()) this.emit({ type: 'cancelled', jobId });
    for (const slot of this.slots) {
      if (slot.job?.stopTimer) clearTimeout(slot.job.stopTimer);
      clearTimeout(slot.idleTimer);
      this.post(slot, { type: 'host/shutdown' });
      setTimeout(() => slot.child.kill('SIGKILL'), 2000).unref();
    }
    this.listeners.clear();
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Sends if the channel is open; `onFailure` runs when the worker is already gone. */
  private post(slot: Slot, message: HostToWorker, onFailure?: () => void): void {
    if (!slot.child.connected) {
      onFailure?.();
      return;
    }
    slot.child.send(message, (error) => {
      if (error) onFailure?.();
    });
  }

  private spawn(): Slot {
    const child = fork(this.options.workerScript, [], {
      execPath: this.options.execPath ?? process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, ready: false, job: null, served: 0, retiring: false };
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('message', (raw) => {
      // Validated on arrival: a malformed message is dropped, never half-used.
      const message = parseWorkerMessage(raw);
      if (message) this.onWorkerMessage(slot, message);
    });
    child.on('error', () => {
      // Send failures are handled where they happen; the exit handler settles the slot.
    });
    child.on('exit', (code, signal) => this.onWorkerExit(slot, code, signal, stderr));
    this.slots.push(slot);
    return slot;
  }

  /** Workers not on their way out. */
  private live(): Slot[] {
    return this.slots.filter((s) => !s.retiring);
  }

  private dispatch(): void {
    if (this.disposed) return;
    for (const slot of this.live()) {
      if (!slot.ready || slot.job) continue;
      // Over the limit (it was lowered while this worker was busy): it goes rather than take a job.
      if (this.live().length > this.maxWorkers) this.retire(slot);
      else if (this.queue.size > 0) this.assign(slot);
      else if (!slot.idleTimer) this.retireWhenIdle(slot);
    }
    if (this.queue.size === 0) return;
    const starting = this.live().filter((s) => !s.ready).length;
    const canSpawn = this.maxWorkers - this.live().length;
    const needed = this.queue.size - starting;
    for (let i = 0; i < Math.min(canSpawn, needed); i++) this.spawn();
  }

  private retireWhenIdle(slot: Slot): void {
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (!slot.job && this.live().length > 1) this.retire(slot);
    }, this.options.idleShutdownMs ?? 60_000);
    slot.idleTimer.unref();
  }

  private retire(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    slot.retiring = true;
    this.post(slot, { type: 'host/shutdown' });
    setTimeout(() => slot.child.kill('SIGKILL'), 2000).unref();
  }

  private assign(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    const next = this.queue.shift()!;
    slot.job = { jobId: next.jobId, spec: next.job, attempts: next.attempts ?? 0, stopRequested: false, sentAt: performance.now() };
    this.post(slot, { type: 'host/start', jobId: next.jobId, job: next.job, sentAt: Date.now() }, () => {
      // The worker died before it got the job (its exit is still on the way): the job goes back first in line.
      if (slot.job?.jobId === next.jobId) slot.job = null;
      slot.ready = false;
      this.queue.unshift(next);
    });
  }

  private onWorkerMessage(slot: Slot, message: WorkerToHost): void {
    if (message.type === 'worker/ready') {
      slot.ready = true;
      this.failedStarts = 0;
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.jobId !== message.jobId) return;
    const event = jobEventOf(message, job, { pid: slot.child.pid ?? -1, warm: slot.served > 0 });
    if (endsJob(message)) this.release(slot);
    this.emit(event);
    if (!slot.job) this.dispatch();
  }

  private release(slot: Slot): void {
    if (slot.job?.stopTimer) clearTimeout(slot.job.stopTimer);
    slot.job = null;
    slot.served++;
  }

  private onWorkerExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    clearTimeout(slot.idleTimer);
    this.slots.splice(this.slots.indexOf(slot), 1);
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const lastLine = stderr.trim().split('\n').pop();
    if (!slot.ready && !slot.retiring && !this.disposed && ++this.failedStarts >= MAX_FAILED_STARTS) {
      // Workers keep dying before they are ready (a broken install): respawning would loop forever.
      this.failedStarts = 0;
      const reason = `no worker could start (${MAX_FAILED_STARTS} tries, the last ended with ${how})${lastLine ? `: ${lastLine}` : ''}`;
      const waiting = [...(slot.job ? [slot.job.jobId] : []), ...this.queue.clear()];
      for (const jobId of waiting) this.emit({ type: 'ended', jobId, status: 'failed', reason });
      // Workers still starting would only fail the same way: end them rather than wait.
      for (const other of this.slots) if (!other.ready) other.child.kill('SIGKILL');
      return;
    }
    const job = slot.job;
    if (job && !job.runDir && !job.stopRequested && job.attempts < 1) {
      // It died before the job began (no run folder yet): nothing was lost, so the job goes again, once.
      this.queue.unshift({ jobId: job.jobId, job: job.spec, attempts: job.attempts + 1 });
    } else if (job) {
      if (job.stopTimer) clearTimeout(job.stopTimer);
      const event: JobEvent = job.stopRequested
        ? { type: 'ended', jobId: job.jobId, status: 'stopped', reason: `stopped: the worker did not stop in time and was ended (${how})` }
        : { type: 'ended', jobId: job.jobId, status: 'failed', reason: `the worker process ended unexpectedly (${how})${lastLine ? `: ${lastLine}` : ''}` };
      this.emit(job.runDir ? { ...event, runDir: job.runDir } : event);
    }
    if (!this.disposed) this.dispatch();
  }
}
