/** The dashboard's pure rooms: the model host messages build, and the number and colour helpers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardModel } from '../../webview-ui/dashboard/state';
import { compactNumber, formatNumber, percent, percentTick } from '../../webview-ui/dashboard/format';
import { Palette, withAlpha } from '../../webview-ui/dashboard/palette';
import type { DashboardRun } from '../../src/protocol/hostDashboard';
import type { EvaluationPoint } from '../../src/engine/diagnostics/metrics';

const point = (step: number, layers = 2): EvaluationPoint => ({ step, epoch: 0, trainLoss: 1, testLoss: 1, testAccuracy: 0.5, elapsedSec: 0, layers: Array.from({ length: layers }, () => ({ weightNorm: 1, orthonormality: 1, activationNorm: 1, participationRatio: 1, errorNorm: 1, ojaErrorRatio: null, stability: 0 })) });
const run = (key: string, oja: string, points: EvaluationPoint[] = []): DashboardRun => ({ key, name: 'exp', label: '', state: 'running', step: 0, totalSteps: 10, fields: { 'rule.oja': oja, seed: '1' }, points });

describe('dashboard model', () => {
  it('a snapshot replaces everything; updates keep the points; points append', () => {
    const model = new DashboardModel();
    assert.equal(model.apply({ type: 'host/snapshot', maxPoints: 500, runs: [run('a', '0', [point(0)]), run('b', '0.001')] }), true);
    assert.equal(model.maxPoints, 500);
    const { points: _, ...rest } = run('a', '0');
    model.apply({ type: 'host/runUpdated', run: { ...rest, state: 'completed', step: 10 } });
    model.apply({ type: 'host/points', key: 'b', points: [point(0), point(5)] });
    model.apply({ type: 'host/points', key: 'nobody', points: [point(0)] });
    assert.deepEqual(model.ordered().map((r) => [r.key, r.state, r.points.length]), [['a', 'completed', 1], ['b', 'running', 2]]);
    model.apply({ type: 'host/snapshot', maxPoints: 500, runs: [run('c', '0')] });
    assert.deepEqual(model.ordered().map((r) => r.key), ['c']);
  });

  it('a re-keyed run keeps its place in the order (and so its colour)', () => {
    const model = new DashboardModel();
    model.apply({ type: 'host/snapshot', maxPoints: 500, runs: [run('job-1', '0'), run('job-2', '0.001'), run('job-3', '0.01')] });
    model.apply({ type: 'host/rekey', from: 'job-2', to: '/runs/two' });
    assert.deepEqual(model.ordered().map((r) => r.key), ['job-1', '/runs/two', 'job-3']);
    assert.equal(model.has('job-2'), false);
  });

  it('drops what is not a host message', () => {
    const model = new DashboardModel();
    assert.equal(model.apply(undefined), false);
    assert.equal(model.apply({ type: 'host/other' } as never), false);
  });

  it('names runs by what differs, counts layers, and averages over the seed unless told otherwise', () => {
    const model = new DashboardModel();
    model.apply({ type: 'host/snapshot', maxPoints: 500, runs: [run('a', '0', [point(0, 3)]), run('b', '0.001', [point(0, 5)])] });
    assert.deepEqual([...model.legendNames().values()], ['oja=0', 'oja=0.001']);
    assert.equal(model.layerCount(), 5);
    assert.equal(model.groupOver(), 'seed');
    model.options.groupOver = 'rule.oja';
    assert.equal(model.groupOver(), 'rule.oja');
  });
});

describe('dashboard formats and palette', () => {
  it('numbers', () => {
    assert.equal(formatNumber(0.123456), '0.1235');
    assert.equal(formatNumber(12345), '1.235e+4');
    assert.equal(formatNumber(0.0001), '1.000e-4');
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(percent(0.91234), '91.23%');
    assert.equal(percentTick(0.5), '50%');
    assert.equal(compactNumber(12_500), '12.5K');
    assert.equal(compactNumber(3e16), '3e+16');
    assert.equal(compactNumber(999), null);
  });

  it('colours cycle through the theme, then dash, then dot', () => {
    const palette = new Palette(['#111111', '#222222']);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => palette.colour(i)), ['#111111', '#222222', '#111111', '#222222', '#111111']);
    assert.deepEqual([0, 1, 2, 4, 6].map((i) => palette.dash(i)), [[], [], [6, 3], [2, 3], []]);
    assert.equal(withAlpha('#ff8000', 0.2), 'rgba(255, 128, 0, 0.2)');
    assert.equal(withAlpha('rgb(1, 2, 3)', 0.5), 'rgba(1, 2, 3, 0.5)');
    assert.equal(withAlpha('red', 0.5), 'red');
  });
});
