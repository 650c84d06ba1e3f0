/**
 * Rerun latency through the worker protocol, as the editor sees it: a cold worker (spawn, backend
 * and bundled-data load), then request → first streamed point on a warm worker, repeated.
 */
import { join } from 'node:path';
import { parseExperiment } from '../engine/config/validate';
import { WorkerPool } from '../host/workerPool';
import { RunManager, type TrackedRun } from '../host/runManager';
import { isActive } from '../protocol/runState';

export interface RerunLatency {
  coldStartMs: number;
  firstPointColdMs: number;
  firstPointWarmMs: number[];
}

function firstPoint(manager: RunManager, run: TrackedRun): Promise<number> {
  return new Promise((resolve, reject) => {
    const sub = manager.onDidChange((change) => {
      if (change.run !== run) return;
      if (change.kind === 'point') {
        sub.dispose();
        resolve(run.firstPointMs!);
      } else if (!isActive(run.state)) {
        sub.dispose();
        reject(new Error(`bench run ended as ${run.state}: ${run.reason ?? ''}`));
      }
    });
  });
}

export async function measureRerunLatency(outDir: string, repeats: number): Promise<RerunLatency> {
  // The online-learning network on the bundled digits, a short run: what a rerun from the form starts.
  const config = parseExperiment({ name: 'bench rerun', rule: { oja: 0.001 }, training: { steps: 200, evalEvery: 100 } });
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), maxWorkers: 1 });
  const manager = new RunManager(pool, () => outDir);
  try {
    const spawned = performance.now();
    const cold = manager.startMember(config, '', outDir);
    const firstPointColdMs = await firstPoint(manager, cold);
    const coldStartMs = performance.now() - spawned - firstPointColdMs;
    await manager.settled(cold);
    const firstPointWarmMs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const warm = manager.startMember(config, '', outDir);
      firstPointWarmMs.push(await firstPoint(manager, warm));
      await manager.settled(warm);
    }
    return { coldStartMs, firstPointColdMs, firstPointWarmMs };
  } finally {
    manager.dispose();
    pool.dispose();
  }
}
