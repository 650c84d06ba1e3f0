/** What every command that trains shares: the pool it runs on, and Ctrl-C. */
import { join } from 'node:path';
import { WorkerPool } from '../host/workerPool';
import type { RunManager } from '../host/runManager';
import { InProcessPool } from '../worker/inProcessPool';

/** One worker: this process, one member after another; more: that many warm worker processes. */
export function commandPool(workers: number): WorkerPool | InProcessPool {
  return workers > 1 ? new WorkerPool({ workerScript: join(__dirname, 'worker.js'), maxWorkers: workers }) : new InProcessPool();
}

/**
 * Ctrl-C (or SIGTERM) stops every run the manager has going, and aborts `signal` for work that
 * would start more; the command then exits 130.
 */
export function stopOnInterrupt(manager: Pick<RunManager, 'stopAll'>): { readonly interrupted: boolean; readonly signal: AbortSignal; dispose(): void } {
  const state = { interrupted: false };
  const controller = new AbortController();
  const onInterrupt = () => {
    state.interrupted = true;
    manager.stopAll();
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  return {
    get interrupted() {
      return state.interrupted;
    },
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    },
  };
}
