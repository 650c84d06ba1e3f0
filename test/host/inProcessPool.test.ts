/** The command line's in-process pool behind the same run manager as the worker processes' pool. */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessPool } from '../../src/worker/inProcessPool';
import { RunManager } from '../../src/host/runManager';
import type { JobEvent } from '../../src/host/jobEvents';
import { parseExperiment } from '../../src/engine/config/validate';
import { expandSweep } from '../../src/engine/config/sweep';
import { readPoints, readSummary } from '../../src/runFiles/runStore';

let runsDir: string;
let pool: InProcessPool;
let manager: RunManager;
const events: JobEvent[] = [];

beforeEach(() => {
  runsDir = mkdtempSync(join(tmpdir(), 'in-process-'));
  pool = new InProcessPool();
  manager = new RunManager(pool, () => runsDir, () => ({ backend: 'cpu', executor: 'online-js' }));
  events.length = 0;
  pool.onEvent((e) => events.push(e));
});
afterEach(() => {
  manager.dispose();
  pool.dispose();
});

const experiment = (extra: Record<string, unknown> = {}) =>
  parseExperiment({
    name: 'in process',
    data: { source: 'synthetic-gaussian', trainSize: 200, testSize: 50 },
    model: { layers: [8, 6, 3] },
    training: { steps: 60, evalEvery: 20, probeSize: 20 },
    ...extra,
  });

describe('in-process pool', () => {
  it('runs a sweep one member at a time, in grid order, with the job\'s backend and executor', async () => {
    const config = experiment({ sweep: { seed: [1, 2, 3] } });
    const runs = manager.start(config, runsDir);
    await Promise.all(runs.map((r) => manager.settled(r)));
    assert.deepEqual(runs.map((r) => r.state), ['completed', 'completed', 'completed']);
    assert.deepEqual(runs.map((r) => r.label), expandSweep(config).map((m) => m.label));
    const started = events.filter((e): e is Extract<JobEvent, { type: 'started' }> => e.type === 'started');
    assert.deepEqual(started.map((e) => e.jobId), runs.map((r) => r.jobId), 'members start in grid order');
    assert.deepEqual(started.map((e) => e.workerPid), [process.pid, process.pid, process.pid]);
    assert.deepEqual(started.map((e) => e.warm), [false, true, true]);
    // One after another: each member finishes before the next starts.
    const order = events.filter((e) => e.type === 'started' || e.type === 'finished').map((e) => `${e.type}:${e.jobId}`);
    assert.deepEqual(order, runs.flatMap((r) => [`started:${r.jobId}`, `finished:${r.jobId}`]));
    for (const run of runs) {
      const summary = readSummary(run.runDir!)!;
      assert.equal(summary.backend, 'cpu');
      assert.equal(summary.executor, 'online-js');
      assert.equal(readPoints(run.runDir!).length, 4);
      assert.deepEqual(run.points.map((p) => p.step), [0, 20, 40, 60]);
    }
  });

  it('a stop ends the running member as stopped and cancels the queued ones', async () => {
    const runs = manager.start(experiment({ training: { steps: 50_000_000, evalEvery: 1000, probeSize: 20 }, sweep: { seed: [1, 2, 3] } }), runsDir);
    await new Promise<void>((resolve) => {
      const sub = manager.onDidChange((c) => {
        if (c.kind === 'point' && c.point.step >= 1000) {
          sub.dispose();
          resolve();
        }
      });
    });
    manager.stopAll();
    await Promise.all(runs.map((r) => manager.settled(r)));
    assert.deepEqual(runs.map((r) => r.state), ['stopped', 'cancelled', 'cancelled']);
    assert.equal(readSummary(runs[0]!.runDir!)!.status, 'stopped');
  });

  it('bad input is a rejected member, and the members after it still run', async () => {
    const runs = manager.start(experiment({ data: { source: 'mnist', trainSize: 20 }, model: { layers: [8, 10] }, sweep: { 'model.layers': [[8, 10], [784, 10]] }, training: { steps: 2, evalEvery: 1, probeSize: 20 } }), runsDir);
    await Promise.all(runs.map((r) => manager.settled(r)));
    assert.deepEqual(runs.map((r) => r.state), ['rejected', 'completed']);
    assert.match(runs[0]!.reason!, /model\.layers\.0: 8 does not match the 784 input values per sample/);
  });
});
