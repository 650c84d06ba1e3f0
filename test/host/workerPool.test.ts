/** The worker pool with real worker processes: warm reruns, queueing, a killed worker, stop, idle shutdown. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkerPool, type JobEvent } from '../../src/host/workerPool';
import { parseExperiment } from '../../src/engine/config/validate';
import { readPoints, readSummary } from '../../src/runFiles/runStore';
import type { RunJobSpec } from '../../src/protocol/hostWorker';

const WORKER = resolve(__dirname, '..', '..', 'dist', 'worker.js');
let out: string;
const pools: WorkerPool[] = [];

before(() => {
  assert.ok(existsSync(WORKER), 'run `npm run build` first');
  out = mkdtempSync(join(tmpdir(), 'pool-'));
});
after(() => pools.forEach((p) => p.dispose()));

function job(steps: number, overrides: Record<string, unknown> = {}): RunJobSpec {
  const config = parseExperiment({
    name: 'pool',
    data: { source: 'synthetic-gaussian', trainSize: 200, testSize: 50 },
    model: { layers: [8, 6, 3] },
    rule: { oja: 0.01 },
    training: { steps, evalEvery: Math.max(1, Math.floor(steps / 4)), probeSize: 20 },
    ...overrides,
  });
  return { config, label: '', outDir: out, baseDir: out, saveWeights: false, backend: 'auto', executor: 'auto' };
}

function makePool(maxWorkers: number, workerScript = WORKER, stopTimeoutMs = 5000, idleShutdownMs?: number) {
  const pool = new WorkerPool({ workerScript, maxWorkers, stopTimeoutMs, ...(idleShutdownMs !== undefined ? { idleShutdownMs } : {}) });
  pools.push(pool);
  const events: JobEvent[] = [];
  pool.onEvent((e) => events.push(e));
  const waitFor = (predicate: (e: JobEvent) => boolean, timeoutMs = 60_000) =>
    new Promise<JobEvent>((resolvePromise, reject) => {
      const found = events.find(predicate);
      if (found) return resolvePromise(found);
      const timer = setTimeout(() => reject(new Error(`timed out; events: ${events.map((e) => `${e.type}:${e.jobId}`).join(' ')}`)), timeoutMs);
      const sub = pool.onEvent((e) => {
        if (predicate(e)) {
          clearTimeout(timer);
          sub.dispose();
          resolvePromise(e);
        }
      });
    });
  return { pool, events, waitFor };
}

const is = (type: JobEvent['type'], jobId: string) => (e: JobEvent) => e.type === type && e.jobId === jobId;

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const longJob = () => job(50_000_000, { training: { steps: 50_000_000, evalEvery: 5000, probeSize: 20 } });

/** Starts `ids` as long runs, one per worker, then stops them all and waits until they have ended. */
async function burst(pool: WorkerPool, waitFor: ReturnType<typeof makePool>['waitFor'], ids: string[]): Promise<void> {
  for (const id of ids) pool.submit(id, longJob());
  for (const id of ids) await waitFor(is('started', id));
  assert.equal(pool.workerPids().length, ids.length);
  for (const id of ids) pool.stop(id);
  for (const id of ids) await waitFor(is('finished', id));
}

describe('worker pool', () => {
  it('serves a rerun from the same warm worker', async () => {
    const { pool, waitFor } = makePool(1);
    pool.submit('a', job(50));
    const first = (await waitFor(is('started', 'a'))) as Extract<JobEvent, { type: 'started' }>;
    const done = (await waitFor(is('finished', 'a'))) as Extract<JobEvent, { type: 'finished' }>;
    assert.equal(done.summary.status, 'completed');
    pool.submit('b', job(50));
    const second = (await waitFor(is('started', 'b'))) as Extract<JobEvent, { type: 'started' }>;
    await waitFor(is('finished', 'b'));
    assert.equal(second.workerPid, first.workerPid, 'same process');
    assert.equal(first.warm, false);
    assert.equal(second.warm, true);
    assert.equal(pool.workerPids().length, 1);
  });

  it('queues jobs beyond maxWorkers and runs each exactly once', async () => {
    const { pool, events, waitFor } = makePool(2);
    let running = 0;
    let peak = 0;
    pool.onEvent((e) => {
      if (e.type === 'started') peak = Math.max(peak, ++running);
      if (e.type === 'finished') running--;
    });
    pool.submit('long1', longJob());
    pool.submit('long2', longJob());
    for (const id of ['q3', 'q4', 'q5']) pool.submit(id, job(300));
    // Both workers busy at once; the rest wait in the queue.
    await waitFor(is('started', 'long1'));
    await waitFor(is('started', 'long2'));
    assert.deepEqual(pool.queuedJobs, ['q3', 'q4', 'q5']);
    assert.equal(new Set(events.filter((e) => e.type === 'started').map((e) => (e as { workerPid: number }).workerPid)).size, 2);
    pool.stop('long1');
    pool.stop('long2');
    for (const id of ['long1', 'long2', 'q3', 'q4', 'q5']) await waitFor(is('finished', id));
    assert.equal(peak, 2, 'never more than maxWorkers at once');
    assert.ok(pool.workerPids().length <= 2);
    assert.deepEqual(events.filter((e) => e.type === 'started').map((e) => e.jobId).sort(), ['long1', 'long2', 'q3', 'q4', 'q5']);
  });

  it('a stop ends the run as stopped, with its points', async () => {
    const { pool, waitFor } = makePool(1);
    pool.submit('long', job(50_000_000, { training: { steps: 50_000_000, evalEvery: 2000, probeSize: 20 } }));
    await waitFor((e) => e.type === 'point' && e.jobId === 'long' && e.point.step >= 4000);
    pool.stop('long');
    const done = (await waitFor(is('finished', 'long'))) as Extract<JobEvent, { type: 'finished' }>;
    assert.equal(done.summary.status, 'stopped');
    assert.ok(done.summary.steps >= 4000);
  });

  it('a stop of a queued job cancels it', async () => {
    const { pool, waitFor } = makePool(1);
    pool.submit('first', job(200));
    pool.submit('second', job(200));
    pool.stop('second');
    await waitFor(is('cancelled', 'second'));
    await waitFor(is('finished', 'first'));
    assert.deepEqual(pool.queuedJobs, []);
  });

  it('a killed worker fails its run with the reason, keeps its points, and is replaced', async () => {
    const { pool, waitFor } = makePool(1);
    pool.submit('doomed', job(50_000_000, { training: { steps: 50_000_000, evalEvery: 2000, probeSize: 20 } }));
    const started = (await waitFor(is('started', 'doomed'))) as Extract<JobEvent, { type: 'started' }>;
    await waitFor((e) => e.type === 'point' && e.jobId === 'doomed' && e.point.step >= 2000);
    process.kill(started.workerPid, 'SIGKILL');
    const ended = (await waitFor(is('ended', 'doomed'))) as Extract<JobEvent, { type: 'ended' }>;
    assert.equal(ended.status, 'failed');
    assert.match(ended.reason, /the worker process ended unexpectedly \(signal SIGKILL\)/);
    assert.equal(ended.runDir, started.runDir);
    assert.ok(readPoints(started.runDir).length >= 2, 'points recorded before the crash stay');
    pool.submit('after', job(20));
    const next = (await waitFor(is('started', 'after'))) as Extract<JobEvent, { type: 'started' }>;
    assert.notEqual(next.workerPid, started.workerPid);
    await waitFor(is('finished', 'after'));
  });

  it('workers that die before they are ready fail the waiting jobs after three tries, with the reason', async () => {
    const { pool, events, waitFor } = makePool(2, resolve(__dirname, '..', 'fixtures', 'brokenWorker.js'));
    for (const id of ['b1', 'b2', 'b3']) pool.submit(id, job(10));
    for (const id of ['b1', 'b2', 'b3']) {
      const ended = (await waitFor(is('ended', id), 15_000)) as Extract<JobEvent, { type: 'ended' }>;
      assert.equal(ended.status, 'failed');
      assert.match(ended.reason, /no worker could start \(3 tries, the last ended with exit code 1\): Error: cannot load the tensor backend/);
    }
    await until(() => pool.workerPids().length === 0, 'no worker is left');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(pool.workerPids(), [], 'and none is started again');
    assert.equal(events.filter((e) => e.type === 'started').length, 0);
  });

  it('a worker that ignores stop is killed after the timeout; its run counts as stopped', async () => {
    const { pool, waitFor } = makePool(1, resolve(__dirname, '..', 'fixtures', 'stubbornWorker.js'), 300);
    pool.submit('stubborn', job(10));
    await waitFor(is('started', 'stubborn'));
    const t0 = performance.now();
    pool.stop('stubborn');
    const ended = (await waitFor(is('ended', 'stubborn'))) as Extract<JobEvent, { type: 'ended' }>;
    assert.equal(ended.status, 'stopped');
    assert.match(ended.reason, /did not stop in time and was ended \(signal SIGKILL\)/);
    assert.ok(performance.now() - t0 >= 290);
  });

  it('bad input comes back as issues, and no run folder is made', async () => {
    const { pool, waitFor } = makePool(1);
    pool.submit('bad', job(10, { data: { source: 'mnist' }, model: { layers: [100, 10] } }));
    const rejected = (await waitFor(is('rejected', 'bad'))) as Extract<JobEvent, { type: 'rejected' }>;
    assert.deepEqual(rejected.issues.map((i) => i.path), ['model.layers.0']);
    assert.equal(readSummary(join(out, 'nothing')), null);
  });
});

describe('worker pool, idle workers', () => {
  it('after a burst, workers beyond the first shut down once idle; the one left stays warm', async () => {
    const { pool, waitFor } = makePool(3, WORKER, 5000, 300);
    await burst(pool, waitFor, ['b1', 'b2', 'b3']);
    await until(() => pool.workerPids().length === 1, 'two of the three idle workers have shut down');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(pool.workerPids().length, 1, 'the last worker is kept');
    pool.submit('next', job(20));
    const next = (await waitFor(is('started', 'next'))) as Extract<JobEvent, { type: 'started' }>;
    assert.equal(next.warm, true);
    assert.equal(next.workerPid, pool.workerPids()[0]);
  });

  it('lowering maxWorkers shuts idle workers down at once', async () => {
    const { pool, waitFor } = makePool(2);
    await burst(pool, waitFor, ['c1', 'c2']);
    pool.setMaxWorkers(1);
    await until(() => pool.workerPids().length === 1, 'one worker is left', 5000);
  });
});

describe('worker pool, jobs not yet begun', () => {
  it('a job whose worker dies before it begins runs again on a new worker', async () => {
    const { pool, waitFor } = makePool(1);
    pool.warmUp();
    // Kill the worker the moment it says it is ready, with the job already on its way.
    pool.submit('retried', job(30));
    const [pid] = pool.workerPids();
    process.kill(pid!, 'SIGKILL');
    const done = (await waitFor(is('finished', 'retried'))) as Extract<JobEvent, { type: 'finished' }>;
    assert.equal(done.summary.status, 'completed');
    assert.notEqual(pool.workerPids()[0], pid);
  });
});
