/**
 * A sweep through the worker pool, as `run` and the editor execute it: the same members on one
 * worker and on a worker per core, each timed from submitting the members until the last has
 * finished (worker start-up included, as a user waits for it). Per-member throughput is what a
 * sweep buys; this is how a sweep here gains from more hardware, where lockstep cannot.
 */
import { join } from 'node:path';
import { parseExperiment } from '../engine/config/validate';
import { WorkerPool } from '../host/workerPool';
import { RunManager } from '../host/runManager';
import { commandLineWorkers } from '../host/workerCount';

export interface SweepThroughput {
  members: number;
  stepsEach: number;
  workers: number;
  /** Seconds for the whole sweep, one value per repeat. */
  oneWorker: number[];
  allWorkers: number[];
}

async function timeSweep(outDir: string, workers: number, members: number, stepsEach: number): Promise<number> {
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), maxWorkers: workers });
  const manager = new RunManager(pool, () => outDir);
  try {
    const t0 = performance.now();
    const runs = Array.from({ length: members }, (_, k) =>
      manager.startMember(parseExperiment({ name: 'bench sweep', seed: k + 1, rule: { oja: 0.001 }, training: { steps: stepsEach, evalEvery: 1000 } }), `seed=${k + 1}`, outDir),
    );
    const ended = await Promise.all(runs.map((run) => manager.settled(run)));
    const failed = ended.find((run) => run.state !== 'completed');
    if (failed) throw new Error(`bench sweep member ended as ${failed.state}: ${failed.reason ?? ''}`);
    return (performance.now() - t0) / 1000;
  } finally {
    manager.dispose();
    pool.dispose();
  }
}

export async function measureSweepThroughput(outDir: string, members: number, stepsEach: number, repeats: number): Promise<SweepThroughput | null> {
  const workers = commandLineWorkers(members);
  if (workers < 2) return null;
  const timing: SweepThroughput = { members, stepsEach, workers, oneWorker: [], allWorkers: [] };
  for (let r = 0; r < repeats; r++) {
    timing.oneWorker.push(await timeSweep(outDir, 1, members, stepsEach));
    timing.allWorkers.push(await timeSweep(outDir, workers, members, stepsEach));
  }
  return timing;
}
