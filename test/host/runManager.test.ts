/** The run manager over a real pool: sweeps become runs, reruns, crashes and abandoned folders. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkerPool } from '../../src/host/workerPool';
import { RunManager, type RunChange, type TrackedRun } from '../../src/host/runManager';
import { parseExperiment } from '../../src/engine/config/validate';
import { readPoints, readSummary } from '../../src/runFiles/runStore';

const WORKER = resolve(__dirname, '..', '..', 'dist', 'worker.js');
let runsDir: string;
let pool: WorkerPool;
let manager: RunManager;
const changes: RunChange[] = [];

before(() => {
  runsDir = mkdtempSync(join(tmpdir(), 'manager-'));
  pool = new WorkerPool({ workerScript: WORKER, maxWorkers: 2 });
  manager = new RunManager(pool, () => runsDir);
  manager.onDidChange((c) => changes.push(c));
});
after(() => {
  manager.dispose();
  pool.dispose();
});

const experiment = (extra: Record<string, unknown> = {}) =>
  parseExperiment({
    name: 'managed',
    data: { source: 'synthetic-gaussian', trainSize: 200, testSize: 50 },
    model: { layers: [8, 6, 3] },
    training: { steps: 100, evalEvery: 25, probeSize: 20 },
    ...extra,
  });

function settled(run: TrackedRun, timeoutMs = 60_000): Promise<TrackedRun> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run ${run.jobId} still ${run.state}`)), timeoutMs).unref());
  return Promise.race([manager.settled(run), timeout]);
}

describe('run manager', () => {
  it('runs each sweep member as its own run, streaming points into memory and onto disk', async () => {
    const runs = manager.start(experiment({ sweep: { 'rule.oja': [0, 0.01] } }), runsDir);
    assert.deepEqual(runs.map((r) => r.label), ['oja=0', 'oja=0.01']);
    await Promise.all(runs.map((r) => settled(r)));
    for (const run of runs) {
      assert.equal(run.state, 'completed');
      assert.deepEqual(run.points.map((p) => p.step), [0, 25, 50, 75, 100]);
      assert.deepEqual(readPoints(run.runDir!), run.points, 'the disk has the same points');
      assert.ok(run.firstPointMs! > 0);
    }
    assert.ok(changes.some((c) => c.kind === 'point'));
  });

  it('rerun starts the same config as a new run in a new folder', async () => {
    const [original] = manager.start(experiment({ seed: 5 }), runsDir);
    await settled(original!);
    const [again] = manager.rerun(original!.runDir!, runsDir);
    await settled(again!);
    assert.notEqual(again!.runDir, original!.runDir);
    assert.deepEqual(again!.config, original!.config);
    assert.deepEqual(again!.points.map((p) => p.testLoss), original!.points.map((p) => p.testLoss), 'same config, same seed, same numbers');
  });

  it('resume goes on with a stopped meta-learning run in its own folder, on a worker, to the end', async () => {
    const meta = parseExperiment({
      name: 'meta managed',
      data: { source: 'synthetic-gaussian', trainSize: 200, testSize: 100 },
      model: { layers: [8, 6, 4] },
      training: { episodes: { ways: 2, shots: 3, queries: 3, classes: 'train' } },
      meta: { trainClasses: [0, 1], testClasses: [2, 3], learn: ['error'], episodes: 4000 },
    });
    const [first] = manager.start(meta, runsDir);
    await new Promise<void>((done) => {
      const watch = manager.onDidChange((c) => {
        if (c.kind === 'point' && c.run === first && c.point.step >= 3) {
          watch.dispose();
          manager.stop(first!.jobId);
          done();
        }
      });
    });
    await settled(first!);
    assert.equal(first!.state, 'stopped');
    const stoppedAt = readPoints(first!.runDir!).length;
    assert.ok(stoppedAt >= 3 && stoppedAt < 4000);
    const resumed = manager.resume(first!.runDir!, runsDir);
    assert.equal(resumed.points.length, stoppedAt, 'the recorded points come along');
    await settled(resumed, 120_000);
    assert.equal(resumed.state, 'completed');
    assert.equal(resumed.runDir, first!.runDir, 'in the same folder');
    assert.deepEqual(readPoints(resumed.runDir!).map((p) => p.step), Array.from({ length: 4000 }, (_, i) => i + 1));
    assert.equal(readSummary(resumed.runDir!)!.status, 'completed');
    // A run that is not meta-learning is refused by the worker, naming why.
    const [plain] = manager.start(experiment({ seed: 9 }), runsDir);
    await settled(plain!);
    const refused = manager.resume(plain!.runDir!, runsDir);
    await settled(refused);
    assert.equal(refused.state, 'rejected');
    assert.match(refused.issues!.map((i) => i.message).join(), /only a meta-learning run \(meta\.learn\) can be resumed/);
  });

  it("a crashed worker's run folder is closed as failed, keeping its points", async () => {
    const [run] = manager.start(experiment({ training: { steps: 50_000_000, evalEvery: 2000, probeSize: 20 } }), runsDir);
    await new Promise<void>((r) => {
      const sub = manager.onDidChange((c) => {
        if (c.run === run && c.kind === 'point' && c.point.step >= 2000) {
          sub.dispose();
          r();
        }
      });
    });
    for (const pid of pool.workerPids()) process.kill(pid, 'SIGKILL');
    await settled(run!);
    assert.equal(run!.state, 'failed');
    const summary = readSummary(run!.runDir!)!;
    assert.equal(summary.status, 'failed');
    assert.match(summary.reason!, /ended unexpectedly/);
    assert.ok(summary.final!.step >= 2000);
  });

  it('closes folders left "running" by an earlier window', () => {
    const stale = join(runsDir, 'stale-run');
    mkdirSync(stale);
    writeFileSync(join(stale, 'summary.json'), JSON.stringify({ status: 'running', label: '', timing: { startedAt: '2026-01-01T00:00:00Z' } }));
    writeFileSync(join(stale, 'metrics.jsonl'), '{"step":0,"trainLoss":null,"testLoss":2.3,"testAccuracy":0.1,"layers":[]}\n{"step":5');
    assert.equal(manager.recoverAbandoned(), 1);
    const summary = readSummary(stale)!;
    assert.equal(summary.status, 'failed');
    assert.match(summary.reason!, /interrupted/);
    assert.equal(summary.final!.step, 0, 'the cut-off last line is ignored');
  });

  it('bad input becomes a rejected run with the issues', async () => {
    const [run] = manager.start(experiment({ data: { source: 'mnist' }, model: { layers: [100, 10] } }), runsDir);
    await settled(run!);
    assert.equal(run!.state, 'rejected');
    assert.match(run!.reason!, /model\.layers\.0: 100 does not match/);
  });
});
