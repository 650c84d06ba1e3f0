/** The protocols: every receiving end accepts well-formed messages and drops anything else. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage, parseWorkerMessage, type RunJobSpec } from '../../src/protocol/hostWorker';
import { parseExperiment } from '../../src/engine/config/validate';
import { RUN_STATES, ENDED_STATES, isActive, isRunState } from '../../src/protocol/runState';
import { parseDashboardMessage } from '../../src/protocol/hostDashboard';
import { parseFormMessage } from '../../src/protocol/hostForm';

const point = { step: 10, epoch: 0.5, trainLoss: 0.7, testLoss: 0.8, testAccuracy: 0.6, elapsedSec: 1.2, layers: [{ weightNorm: 1 }] };
const summary = { format: 'plasticity-lab/summary@1', runId: 'r-1', name: 'n', label: '', status: 'completed', steps: 10, totalSteps: 10, timing: {} };
const job: RunJobSpec = { config: parseExperiment({}), label: '', outDir: '/tmp/o', baseDir: '/tmp', saveWeights: false, backend: 'wasm', executor: 'online' };

describe('worker messages', () => {
  const good = [
    { type: 'worker/ready', backend: 'wasm', loadMs: 300 },
    { type: 'worker/started', jobId: 'j', runId: 'r', runDir: '/tmp/r', totalSteps: 100, receivedAt: 1 },
    { type: 'worker/point', jobId: 'j', point, sentAt: 1 },
    // JSON over IPC turns NaN and Infinity into null: a diverged point still arrives.
    { type: 'worker/point', jobId: 'j', point: { ...point, trainLoss: null, testLoss: null, testAccuracy: null }, sentAt: 1 },
    { type: 'worker/point', jobId: 'j', point: { ...point, memory: { delays: [5, 10], accuracy: [0.9, null], loss: [0.3, 0.6] }, recurrent: { spectralRadius: 1.1 } }, sentAt: 1 },
    { type: 'worker/progress', jobId: 'j', step: 5, totalSteps: 100 },
    { type: 'worker/finished', jobId: 'j', summary },
    { type: 'worker/rejected', jobId: 'j', issues: [{ path: 'model.layers.0', message: 'does not fit' }] },
    { type: 'worker/failed', jobId: 'j', message: 'boom' },
  ];
  for (const message of good) {
    it(`accepts ${message.type}${message.type === 'worker/point' && message.point?.testLoss === null ? ' with null metrics' : ''}`, () => {
      assert.deepEqual(parseWorkerMessage(message), message);
    });
  }

  const bad: Array<[string, unknown]> = [
    ['no type', { jobId: 'j' }],
    ['an unknown type', { type: 'worker/explode', jobId: 'j' }],
    ['a host message', { type: 'host/stop', jobId: 'j' }],
    ['a prototype key as type', { type: 'toString', jobId: 'j' }],
    ['a point without a step', { type: 'worker/point', jobId: 'j', point: { ...point, step: undefined }, sentAt: 1 }],
    ['a point with a string metric', { type: 'worker/point', jobId: 'j', point: { ...point, testLoss: '0.8' }, sentAt: 1 }],
    ['a memory curve with fewer accuracies than delays', { type: 'worker/point', jobId: 'j', point: { ...point, memory: { delays: [5, 10], accuracy: [0.9], loss: [0.3, 0.6] } }, sentAt: 1 }],
    ['a memory curve on an unknown axis', { type: 'worker/point', jobId: 'j', point: { ...point, memory: { axis: 'time', delays: [5], accuracy: [0.9], loss: [0.3] } }, sentAt: 1 }],
    ['a memory curve with a string delay', { type: 'worker/point', jobId: 'j', point: { ...point, memory: { delays: ['5'], accuracy: [0.9], loss: [0.3] } }, sentAt: 1 }],
    ['a negative step', { type: 'worker/progress', jobId: 'j', step: -1, totalSteps: 100 }],
    ['an empty job id', { type: 'worker/progress', jobId: '', step: 1, totalSteps: 100 }],
    ['a summary whose status is not an ended state', { type: 'worker/finished', jobId: 'j', summary: { ...summary, status: 'queued' } }],
    ['issues that are not a list', { type: 'worker/rejected', jobId: 'j', issues: 'bad' }],
    ['a started message without its run folder', { type: 'worker/started', jobId: 'j', runId: 'r', totalSteps: 1, receivedAt: 1 }],
    ['null', null],
    ['a string', 'worker/ready'],
  ];
  for (const [name, message] of bad) {
    it(`drops ${name}`, () => assert.equal(parseWorkerMessage(message), null));
  }
});

describe('host messages', () => {
  it('accepts a start with the backend and executor in the job', () => {
    const message = { type: 'host/start', jobId: 'j', job, sentAt: 1 };
    assert.deepEqual(parseHostMessage(message), message);
  });
  it('drops a start whose job names no backend, or an unknown executor', () => {
    const { backend: _, ...withoutBackend } = job;
    assert.equal(parseHostMessage({ type: 'host/start', jobId: 'j', job: withoutBackend, sentAt: 1 }), null);
    assert.equal(parseHostMessage({ type: 'host/start', jobId: 'j', job: { ...job, executor: 'gpu' }, sentAt: 1 }), null);
    const resume = { type: 'host/start', jobId: 'j', job: { ...job, resumeDir: '/runs/meta-1' }, sentAt: 1 };
    assert.deepEqual(parseHostMessage(resume), resume, 'a resume names the run folder');
    assert.equal(parseHostMessage({ type: 'host/start', jobId: 'j', job: { ...job, resumeDir: '' }, sentAt: 1 }), null);
    assert.equal(parseHostMessage({ type: 'host/start', jobId: 'j', job: { ...job, resumeDir: 7 }, sentAt: 1 }), null);
  });
  it('accepts stop and shutdown, drops worker messages', () => {
    assert.deepEqual(parseHostMessage({ type: 'host/stop', jobId: 'j' }), { type: 'host/stop', jobId: 'j' });
    assert.deepEqual(parseHostMessage({ type: 'host/shutdown' }), { type: 'host/shutdown' });
    assert.equal(parseHostMessage({ type: 'worker/ready', backend: 'wasm', loadMs: 1 }), null);
  });
});

describe('run states', () => {
  it('one list: every ended state is a run state, and only queued and running are active', () => {
    assert.ok(ENDED_STATES.every(isRunState));
    assert.deepEqual(RUN_STATES.filter(isActive), ['queued', 'running']);
    assert.equal(isRunState('running'), true);
    assert.equal(isRunState('paused'), false);
  });
});

describe('webview messages', () => {
  it('the dashboard may ask for a snapshot and act on runs by key; anything else is dropped', () => {
    assert.deepEqual(parseDashboardMessage({ type: 'dashboard/ready' }), { type: 'dashboard/ready' });
    for (const type of ['dashboard/stop', 'dashboard/rerun', 'dashboard/remove'] as const) {
      assert.deepEqual(parseDashboardMessage({ type, key: '/runs/a', extra: 1 }), { type, key: '/runs/a' }, 'unknown fields are not passed on');
      assert.equal(parseDashboardMessage({ type, key: '' }), null);
      assert.equal(parseDashboardMessage({ type, key: 'x'.repeat(5000) }), null);
      assert.equal(parseDashboardMessage({ type, key: 7 }), null);
    }
    assert.equal(parseDashboardMessage({ type: 'dashboard/deleteEverything' }), null);
    assert.equal(parseDashboardMessage('dashboard/ready'), null);
    assert.equal(parseDashboardMessage(null), null);
  });

  it('the form may validate, run, stop and save drafts that are objects of sane size', () => {
    const draft = { rule: { oja: 0.001 } };
    assert.deepEqual(parseFormMessage({ type: 'form/validate', requestId: 3, draft }), { type: 'form/validate', requestId: 3, draft });
    assert.deepEqual(parseFormMessage({ type: 'form/run', draft, replace: true }), { type: 'form/run', draft, replace: true });
    assert.deepEqual(parseFormMessage({ type: 'form/save', draft }), { type: 'form/save', draft });
    assert.deepEqual(parseFormMessage({ type: 'form/stop' }), { type: 'form/stop' });
    assert.equal(parseFormMessage({ type: 'form/validate', requestId: 1.5, draft }), null);
    assert.equal(parseFormMessage({ type: 'form/run', draft: [draft], replace: true }), null);
    assert.equal(parseFormMessage({ type: 'form/run', draft, replace: 'yes' }), null);
    assert.equal(parseFormMessage({ type: 'form/save', draft: { big: 'x'.repeat(100_000) } }), null);
    assert.equal(parseFormMessage({ type: 'host/init' }), null);
  });
});
