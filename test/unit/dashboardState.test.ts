/** The dashboard's pure rooms: the model host messages build, and the number and colour helpers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardModel } from '../../webview-ui/dashboard/state';
import { compactNumber, formatNumber, percent, percentTick } from '../../webview-ui/dashboard/format';
import { MIN_SERIES_CONTRAST, Palette, contrastRatio, parseColour, readableSeries, withAlpha } from '../../webview-ui/dashboard/palette';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('series colours over the built-in themes', () => {
  const { themes } = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'builtInThemeCharts.json'), 'utf8')) as { themes: Record<string, { background: string; series: string[] }> };

  for (const [name, theme] of Object.entries(themes)) {
    it(`${name}: every series is opaque and at least 3:1 against the editor background`, () => {
      const readable = readableSeries(theme.series, theme.background);
      assert.equal(readable.length, theme.series.length);
      for (const colour of readable) {
        assert.match(colour, /^#[0-9a-f]{6}$/, 'opaque');
        assert.ok(contrastRatio(parseColour(colour)!, parseColour(theme.background)!) >= MIN_SERIES_CONTRAST, `${colour} on ${theme.background}`);
      }
    });
  }

  it('the faint orange of Dark Modern was the problem, and only what needs it moves', () => {
    const { background, series } = themes['Dark Modern']!;
    const readable = readableSeries(series, background);
    assert.equal(readable[0], '#59a4f9', 'a colour that already reads well is kept as it is');
    assert.equal(readable[1], '#ea5c00', 'the alpha is dropped; the opaque orange reads at 3:1 already');
    // Light theme, a yellow under 3:1 is darkened just enough.
    const [yellow] = readableSeries(['#E0B97F'], '#FFFFFF');
    assert.ok(contrastRatio(parseColour(yellow!)!, parseColour('#FFFFFF')!) < 3.3, 'moved no further than needed');
  });

  it('contrast ratios match WCAG', () => {
    assert.equal(contrastRatio(parseColour('#000')!, parseColour('#fff')!), 21);
    assert.equal(contrastRatio(parseColour('rgb(255, 255, 255)')!, parseColour('#ffffffff')!), 1);
    assert.ok(Math.abs(contrastRatio(parseColour('#767676')!, parseColour('#FFFFFF')!) - 4.54) < 0.01);
  });
});
