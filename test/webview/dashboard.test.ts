/// <reference lib="dom" />
/** The dashboard bundle in headless Chromium, driven as the host drives it. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DashboardRun } from '../../src/protocol/hostDashboard';
import type { EvaluationPoint } from '../../src/engine/diagnostics/metrics';
import { DARK, LIGHT, fromHost, launch, openApp, pageErrors, posted } from './harness';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

function points(count: number, every = 100, start = 0): EvaluationPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const step = start + i * every;
    return {
      step,
      epoch: step / 8000,
      trainLoss: step === 0 ? null : 2 / (1 + step / 1000),
      testLoss: 2.3 / (1 + step / 1000),
      testAccuracy: Math.min(0.95, 0.1 + step / 10000),
      elapsedSec: step / 1000,
      layers: [0, 1].map((l) => ({ weightNorm: 10 + l + step / 1e4, orthonormality: 5, activationNorm: 3, participationRatio: 7, errorNorm: 0.4, ojaErrorRatio: 0.5, stability: 0.01 })),
    };
  });
}

function run(key: string, oja: number, extra: Partial<DashboardRun> = {}): DashboardRun {
  return {
    key,
    name: 'online learning',
    label: '',
    state: 'completed',
    step: 1000,
    totalSteps: 1000,
    fields: { 'rule.oja': JSON.stringify(oja), 'rule.learningRate': '0.01', seed: '1' },
    points: points(11),
    ...extra,
  };
}

const figure = (page: Page, id: string) => page.locator(`#chart-${id}`);
async function counts(page: Page, id: string): Promise<{ series: number; points: number }> {
  return figure(page, id).evaluate((el) => ({ series: Number((el as HTMLElement).dataset.series), points: Number((el as HTMLElement).dataset.points) }));
}

describe('dashboard webview', () => {
  it('asks for a snapshot when it loads, then draws it with a legend naming what differs', async () => {
    const page = await openApp(browser, 'dashboard');
    assert.deepEqual(await posted(page), [{ type: 'dashboard/ready' }]);
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/a', 0), run('/runs/b', 0.001)] });
    await page.waitForSelector('tr[data-key="/runs/b"]');
    assert.deepEqual(await page.locator('.legend-name').allTextContents(), ['oja=0', 'oja=0.001']);
    assert.deepEqual(await counts(page, 'testAccuracy'), { series: 2, points: 22 });
    assert.deepEqual(await counts(page, 'trainLoss'), { series: 2, points: 20 }, 'the first point has no train loss yet');
    assert.deepEqual(await counts(page, 'weightNorm'), { series: 2, points: 22 });
    assert.equal(await figure(page, 'alignmentAngle').isHidden(), true, 'no FA runs, no angle chart');
    assert.equal(await figure(page, 'memoryCurve').isHidden(), true, 'no recurrent runs, no memory curve');
    assert.equal(await figure(page, 'share-sanger').isHidden(), true, 'no rule.terms, no share charts');
    assert.equal(await figure(page, 'movingAccuracy').isHidden(), true, 'no episodes, no moving average');
    assert.equal(await figure(page, 'testAccuracy').getAttribute('data-x-title'), 'step');
    assert.equal(await figure(page, 'sweepSummary').isVisible(), true, 'two values of one swept field');
    // The compare table: what differs, and the final numbers.
    const diff = await page.locator('table.diff tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent)));
    assert.deepEqual(diff, [
      ['run', 'rule.oja', 'status', 'final test accuracy', 'final test loss'],
      ['oja=0', '0', 'completed', '20.00%', '1.1500'],
      ['oja=0.001', '0.001', 'completed', '20.00%', '1.1500'],
    ]);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it("draws each term's share of the update for runs with rule.terms, and only the terms' charts they have", async () => {
    const page = await openApp(browser, 'dashboard');
    const withShares = points(5).map((p) => ({ ...p, layers: p.layers.map((layer) => ({ ...layer, termShares: { error: 0.6, oja: 0.1, sanger: 0.3, hebbian: 0, decay: 0, ojaSingle: 0, errorHebbian: 0 } })) }));
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/terms', 0.001, { points: withShares }), run('/runs/plain', 0)] });
    await page.waitForSelector('tr[data-key="/runs/plain"]');
    assert.equal(await figure(page, 'share-sanger').isVisible(), true);
    assert.deepEqual(await counts(page, 'share-sanger'), { series: 2, points: 5 }, 'the run without terms draws nothing there');
    assert.equal(await figure(page, 'share-error').isVisible(), true);
    assert.match((await figure(page, 'share-sanger').textContent()) ?? '', /Share of the update: sanger/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('draws few-shot runs against the episode: query metrics, their moving average, the mean over episodes as the final number, no per-layer section', async () => {
    const page = await openApp(browser, 'dashboard');
    const episodes = (shift: number): EvaluationPoint[] =>
      Array.from({ length: 30 }, (_, i) => ({
        step: i + 1,
        epoch: i + 1,
        trainLoss: 1.2,
        testLoss: 1 - shift,
        testAccuracy: (i % 2 === 0 ? 0.4 : 0.6) + shift,
        elapsedSec: i / 10,
        layers: [],
        episode: { classes: [0, 3, 5, 7, 9], movingAccuracy: 0.5 + shift, movingLoss: 1 - shift },
      }));
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/bp', 0, { points: episodes(0), step: 30, totalSteps: 30, stepsPerSec: 120 }), run('/runs/oja', 0.001, { points: episodes(0.1), step: 30, totalSteps: 30 })] });
    await page.waitForSelector('tr[data-key="/runs/oja"]');
    assert.equal(await figure(page, 'testAccuracy').locator('figcaption').textContent(), 'Query accuracy');
    assert.equal(await page.locator('tr[data-key="/runs/bp"] td').nth(5).textContent(), '120 episodes/s');
    assert.equal(await figure(page, 'movingAccuracy').isVisible(), true);
    assert.deepEqual(await counts(page, 'movingAccuracy'), { series: 2, points: 60 });
    assert.equal(await page.locator('h2', { hasText: 'Per-layer diagnostics' }).isHidden(), true);
    assert.equal(await figure(page, 'weightNorm').isHidden(), true);
    assert.equal(await figure(page, 'testAccuracy').getAttribute('data-x-title'), 'episode');
    // The final numbers are means over the episodes (alternating 40% and 60%: 50%), not the last episode's 60%.
    const diff = await page.locator('table.diff tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent)));
    assert.deepEqual(diff.slice(1).map((row) => row.slice(-2)), [['50.00%', '1.0000'], ['60.00%', '0.9000']]);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it("draws a meta-learning run's learned coefficients, one chart each, only for the coefficients it learns", async () => {
    const page = await openApp(browser, 'dashboard');
    const metaPoints: EvaluationPoint[] = Array.from({ length: 12 }, (_, i) => ({
      step: i + 1,
      epoch: i + 1,
      trainLoss: 1.5,
      testLoss: 1.2,
      testAccuracy: 0.5,
      elapsedSec: i,
      layers: [],
      episode: { classes: [0, 1, 2, 3, 4], movingAccuracy: 0.5, movingLoss: 1.2 },
      coefficients: { error: 0.01 + i * 0.001, errorHebbian: -0.01 * i },
    }));
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/meta', 0, { points: metaPoints, step: 12, totalSteps: 600 })] });
    await page.waitForSelector('tr[data-key="/runs/meta"]');
    assert.equal(await figure(page, 'coefficient-error').isVisible(), true);
    assert.deepEqual(await counts(page, 'coefficient-errorHebbian'), { series: 1, points: 12 });
    assert.equal(await figure(page, 'coefficient-sanger').isHidden(), true, 'not learned, not drawn');
    assert.equal(await figure(page, 'coefficient-error').getAttribute('data-x-title'), 'meta-episode');
    assert.match((await figure(page, 'coefficient-error').locator('canvas').getAttribute('aria-label'))!, /Latest: .*0\.021/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it("draws recurrent runs' memory curves against the delay, moving with each streamed point, and W_rec's diagnostics against the step", async () => {
    const page = await openApp(browser, 'dashboard');
    const recurrentPoint = (step: number, accuracy: number[]): EvaluationPoint => ({
      step, epoch: step / 1000, trainLoss: step === 0 ? null : 1, testLoss: 1, testAccuracy: accuracy[0]!, elapsedSec: step / 100, layers: [],
      memory: { delays: [5, 10, 20, 40], accuracy, loss: accuracy.map((a) => 1 - a) },
      recurrent: { recurrentNorm: 10 + step / 1000, spectralRadius: 1.1, hiddenNorms: [1, 1.5, 2], participationRatio: 5, stability: 0.01 },
    });
    const curve = (seed: string, scale: number) =>
      run(`/runs/rnn-${seed}`, 0.01, { fields: { 'rule.oja': '0.01', seed }, points: [recurrentPoint(0, [0.2, 0.2, 0.2, 0.2]), recurrentPoint(500, [0.9 * scale, 0.7 * scale, 0.5 * scale, 0.3 * scale])] });
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [curve('1', 1), curve('2', 0.9)] });
    await page.waitForSelector('tr[data-key="/runs/rnn-2"]');
    assert.equal(await figure(page, 'memoryCurve').isVisible(), true);
    assert.deepEqual(await counts(page, 'memoryCurve'), { series: 2, points: 8 }, 'a line per run, a point per delay');
    assert.equal(await figure(page, 'memoryCurve').getAttribute('data-x-title'), 'delay (steps)');
    assert.deepEqual(await counts(page, 'hiddenNorms'), { series: 2, points: 6 });
    assert.deepEqual(await counts(page, 'spectralRadius'), { series: 2, points: 4 }, 'against the step');
    assert.equal(await figure(page, 'memoryCapacity').isHidden(), true, 'no memory-capacity run, no MC chart');
    assert.equal(await figure(page, 'weightNorm').isHidden(), true, 'no per-layer diagnostics for recurrent runs');
    // The latest point moves the curve: its last value (delay 40) is now 0.6.
    await fromHost(page, { type: 'host/points', key: '/runs/rnn-1', points: [recurrentPoint(1000, [0.95, 0.9, 0.8, 0.6])] });
    await page.waitForFunction(() => (document.querySelector('#chart-memoryCurve canvas')?.getAttribute('aria-label') ?? '').includes(': 0.6000'));
    // Over seeds: one mean line, each delay the mean of the two runs' latest (0.6 and 0.27 at delay 40).
    await page.locator('#over-seeds').check();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#chart-memoryCurve')?.dataset.series === '1');
    assert.match((await figure(page, 'memoryCurve').locator('canvas').getAttribute('aria-label'))!, /mean of 2\): 0\.4350/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('draws a copy run\'s memory curve against the position copied', async () => {
    const page = await openApp(browser, 'dashboard');
    const copyPoint: EvaluationPoint = {
      step: 100, epoch: 0.1, trainLoss: 1, testLoss: 1, testAccuracy: 0.7, elapsedSec: 1, layers: [],
      memory: { axis: 'position', delays: [1, 2, 3], accuracy: [0.9, 0.7, 0.5], loss: [0.1, 0.3, 0.5] },
      recurrent: { recurrentNorm: 3, spectralRadius: 1, hiddenNorms: [1, 1], participationRatio: 2, stability: 0 },
    };
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/copy', 0, { points: [copyPoint] })] });
    await page.waitForSelector('tr[data-key="/runs/copy"]');
    assert.equal(await figure(page, 'memoryCurve').getAttribute('data-x-title'), 'position');
    assert.equal(await figure(page, 'memoryCurve').locator('figcaption').textContent(), 'Memory curve: test accuracy against the position copied (latest point)');
    assert.deepEqual(await counts(page, 'memoryCurve'), { series: 1, points: 3 });
    await page.close();
  });

  it("draws a memory-capacity run's r²_k against the delay k (on 0 … 1, not as a percentage) and its MC against the step; the run table says MC", async () => {
    const page = await openApp(browser, 'dashboard');
    const capacityPoint = (step: number, r2: number[]): EvaluationPoint => ({
      step, epoch: step / 1000, trainLoss: 1, testLoss: 1, testAccuracy: r2.reduce((a, b) => a + b, 0) / r2.length, elapsedSec: 1, layers: [],
      memory: { delays: [1, 2, 3, 4], accuracy: r2, loss: r2.map((r) => 1 - r), metric: 'r2', capacity: r2.reduce((a, b) => a + b, 0) },
      recurrent: { recurrentNorm: 3, spectralRadius: 0.9, hiddenNorms: [1, 1], participationRatio: 2, stability: 0 },
    });
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/mc', 0, { points: [capacityPoint(0, [0.9, 0.6, 0.3, 0.1]), capacityPoint(500, [1, 0.9, 0.7, 0.4])] })] });
    await page.waitForSelector('tr[data-key="/runs/mc"]');
    assert.equal(await figure(page, 'memoryCurve').getAttribute('data-x-title'), 'delay k (steps)');
    assert.match((await figure(page, 'memoryCurve').locator('figcaption').textContent())!, /^Memory curve: r² of a ridge readout of u_\{t−k\} against the delay k/);
    assert.deepEqual(await counts(page, 'memoryCurve'), { series: 1, points: 4 });
    assert.equal(await figure(page, 'memoryCapacity').isVisible(), true);
    assert.deepEqual(await counts(page, 'memoryCapacity'), { series: 1, points: 2 }, 'MC at each point');
    assert.match((await figure(page, 'memoryCapacity').locator('canvas').getAttribute('aria-label'))!, /Latest: .*: 3\.000$/);
    assert.equal(await page.locator('tr[data-key="/runs/mc"] td').nth(4).textContent(), 'MC 3.00');
    // A sweep of memory-capacity runs is summarised by MC, not by accuracy (MC / K).
    const member = (key: string, oja: number, seed: number, r2: number[]) => run(key, oja, { fields: { 'rule.oja.rec': String(oja), seed: String(seed) }, points: [capacityPoint(0, r2)] });
    await fromHost(page, {
      type: 'host/snapshot', maxPoints: 2000,
      runs: [member('/mc/a', 0, 1, [1, 0.5, 0, 0]), member('/mc/b', 0, 2, [1, 0.5, 0.5, 0]), member('/mc/c', 0.1, 1, [1, 1, 0.5, 0.5]), member('/mc/d', 0.1, 2, [1, 1, 0.5, 0.5])],
    });
    await page.waitForSelector('tr[data-key="/mc/d"]');
    assert.equal(await figure(page, 'sweepSummary').locator('figcaption').textContent(), 'Sweep summary: memory capacity MC (mean ± sd over seeds)');
    assert.match((await figure(page, 'sweepSummary').locator('canvas').getAttribute('aria-label'))!, /rule\.oja\.rec=0: 1\.75 ± 0\.35 over 2; rule\.oja\.rec=0\.1: 3\.00 ± 0\.00 over 2$/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('appends streamed points and follows state changes', async () => {
    const page = await openApp(browser, 'dashboard');
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('job-1', 0.001, { state: 'queued', points: [], step: 0, totalSteps: 0 })] });
    await fromHost(page, { type: 'host/rekey', from: 'job-1', to: '/runs/live' });
    const { points: _, ...meta } = run('/runs/live', 0.001, { state: 'running', step: 0, totalSteps: 8000 });
    await fromHost(page, { type: 'host/runUpdated', run: meta });
    for (const p of points(3, 500)) await fromHost(page, { type: 'host/points', key: '/runs/live', points: [p] });
    await page.waitForFunction(() => document.querySelector('#chart-testAccuracy')?.getAttribute('data-points') === '3');
    assert.equal(await page.locator('tr[data-key="/runs/live"]').getAttribute('data-state'), 'running');
    assert.equal(await page.locator('button', { hasText: 'Stop' }).isEnabled(), true);
    // Updates keep the same row and buttons (a click must not land on a replaced node).
    await page.evaluate(() => ((window as unknown as { stopButton: Element }).stopButton = document.querySelector('tr[data-key="/runs/live"] button')!));
    for (const p of points(3, 500, 1500)) await fromHost(page, { type: 'host/points', key: '/runs/live', points: [p] });
    await fromHost(page, { type: 'host/runUpdated', run: { ...meta, step: 2600 } });
    await page.waitForFunction(() => document.querySelector('#chart-testAccuracy')?.getAttribute('data-points') === '6');
    assert.equal(await page.evaluate(() => (window as unknown as { stopButton: Element }).stopButton === document.querySelector('tr[data-key="/runs/live"] button')), true);
    assert.equal(await page.locator('button', { hasText: 'Rerun' }).isEnabled(), false);
    await page.locator('button', { hasText: 'Stop' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'dashboard/stop', key: '/runs/live' });
    await fromHost(page, { type: 'host/runUpdated', run: { ...meta, state: 'diverged', reason: 'non-finite values (NaN or Infinity) at step 1234' } });
    await page.waitForSelector('tr[data-state="diverged"]');
    assert.match(await page.locator('.status').textContent() ?? '', /diverged \(non-finite values .* at step 1234\)/);
    await page.locator('button', { hasText: 'Rerun' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'dashboard/rerun', key: '/runs/live' });
    await page.close();
  });

  it('draws one mean line and ±sd band per group of seeds', async () => {
    const page = await openApp(browser, 'dashboard');
    const seeded = (key: string, oja: number, seed: number, shift: number): DashboardRun => ({
      ...run(key, oja),
      fields: { 'rule.oja': JSON.stringify(oja), seed: String(seed) },
      points: points(11).map((p) => ({ ...p, testAccuracy: p.testAccuracy + shift })),
    });
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [seeded('/r/a', 0, 1, 0), seeded('/r/b', 0, 2, 0.02), seeded('/r/c', 0.001, 1, 0.1), seeded('/r/d', 0.001, 2, 0.1)] });
    await page.waitForSelector('tr[data-key="/r/d"]');
    assert.deepEqual(await counts(page, 'testAccuracy'), { series: 4, points: 44 });
    await page.locator('#over-seeds').check();
    // 2 groups × (lower edge, upper edge, mean), 11 steps each.
    await page.waitForFunction(() => document.querySelector('#chart-testAccuracy')?.getAttribute('data-series') === '6');
    assert.deepEqual(await counts(page, 'testAccuracy'), { series: 6, points: 66 });
    // Sweep summary: one point per θ, the mean with ±1 sd error bars, read out in the canvas's label.
    assert.equal(await figure(page, 'sweepSummary').isVisible(), true);
    assert.deepEqual(await counts(page, 'sweepSummary'), { series: 1, points: 2 });
    assert.match(
      (await page.locator('#chart-sweepSummary canvas').getAttribute('aria-label')) ?? '',
      /rule\.oja=0: 21\.00% ± 1\.41 over 2; rule\.oja=0\.001: 30\.00% ± 0\.00 over 2$/,
    );
    const swatches = await page.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    assert.equal(swatches[0], swatches[1], 'seeds of one group share its colour');
    assert.equal(swatches[2], swatches[3]);
    assert.notEqual(swatches[0], swatches[2]);
    // Min–max instead of ± sd: the band's edges move to the members' extremes. The canvas's
    // accessible label lists each series' latest value.
    const latest = async () => {
      const label = (await page.locator('#chart-testAccuracy canvas').getAttribute('aria-label')) ?? '';
      return Object.fromEntries(label.replace(/^.*?Latest: /, '').split('; ').map((part) => [part.slice(0, part.lastIndexOf(': ')), Number(part.slice(part.lastIndexOf(': ') + 2))]));
    };
    const last = points(11).at(-1)!.testAccuracy;
    const sd = await latest();
    // Group θ=0: seeds at +0 and +0.02: mean last + 0.01, sample sd 0.02/√2.
    assert.ok(Math.abs(sd['oja=0 (mean of 2) + sd']! - (last + 0.01 + 0.02 / Math.SQRT2)) < 1e-3, JSON.stringify(sd));
    await page.locator('#spread').selectOption('minmax');
    await page.waitForFunction(() => document.querySelector('#chart-testAccuracy canvas')?.getAttribute('aria-label')?.includes('max: '));
    const minMax = await latest();
    assert.ok(Math.abs(minMax['oja=0 (mean of 2) min']! - last) < 1e-3, JSON.stringify(minMax));
    assert.ok(Math.abs(minMax['oja=0 (mean of 2) max']! - (last + 0.02)) < 1e-3, JSON.stringify(minMax));
    // Averaging over θ instead of the seed: a group per seed.
    await page.locator('#group-over').selectOption('rule.oja');
    await page.waitForFunction(() => document.querySelector('#chart-testAccuracy canvas')?.getAttribute('aria-label')?.includes('seed=1 (mean of 2)'));
    await page.close();
  });

  it('shows final accuracy against each parameter when two are swept', async () => {
    const page = await openApp(browser, 'dashboard');
    const member = (key: string, eta: number, oja: number, seed: number): DashboardRun => ({
      ...run(key, oja),
      fields: { 'rule.learningRate': String(eta), 'rule.oja': String(oja), seed: String(seed) },
    });
    const grid = [0.01, 0.1].flatMap((eta) => [0, 0.001].flatMap((oja) => [1, 2].map((seed) => member(`/g/${eta}-${oja}-${seed}`, eta, oja, seed))));
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: grid });
    await page.waitForSelector('#chart-scatter-rule\\.oja');
    // One chart per swept field; a series per value of the other field; a point per run.
    assert.deepEqual(await counts(page, 'scatter-rule\\.learningRate'), { series: 2, points: 8 });
    assert.deepEqual(await counts(page, 'scatter-rule\\.oja'), { series: 2, points: 8 });
    assert.equal(await figure(page, 'sweepSummary').isHidden(), true, 'the one-field summary gives way');
    assert.match(await page.locator('#chart-scatter-rule\\.oja figcaption').textContent() ?? '', /against rule\.oja/);
    // Down to one swept field: the scatter charts go.
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: grid.filter((r) => r.fields['rule.learningRate'] === '0.01') });
    await page.waitForFunction(() => document.querySelector('#parameter-scatter')?.hasAttribute('hidden'));
    assert.equal(await page.locator('#parameter-scatter figure').count(), 0);
    await page.close();
  });

  it('spaces the Oja coefficients 0, 0.0003, 0.001, 0.003 evenly, labelled by value, with the mean per value', async () => {
    const page = await openApp(browser, 'dashboard');
    const thetas = [0.003, 0, 0.0003, 0.001];
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: thetas.map((oja) => run(`/t/${oja}`, oja)) });
    await page.waitForFunction(() => document.querySelector('#chart-sweepSummary')?.getAttribute('data-x-ticks'));
    assert.equal(await figure(page, 'sweepSummary').getAttribute('data-x-ticks'), '0 0.0003 0.001 0.003');
    // Drawn again (another view option), the axis keeps its labels.
    await page.locator('#over-seeds').check();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    assert.equal(await figure(page, 'sweepSummary').getAttribute('data-x-ticks'), '0 0.0003 0.001 0.003');
    assert.match(await figure(page, 'sweepSummary').locator('canvas').getAttribute('aria-label') ?? '', /rule\.oja=0: 20\.00% ± 0\.00 over 1; rule\.oja=0\.0003: /);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('summarises a swept field that is not a number (the feedback kind) over its values, in grid order', async () => {
    const page = await openApp(browser, 'dashboard');
    const member = (feedback: string, seed: number): DashboardRun => ({
      ...run(`/f/${feedback}-${seed}`, 0),
      fields: { 'rule.feedback': JSON.stringify(feedback), seed: String(seed) },
    });
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [member('feedback-alignment', 1), member('backprop', 1), member('feedback-alignment', 2), member('backprop', 2)] });
    await page.waitForFunction(() => document.querySelector('#chart-sweepSummary')?.getAttribute('data-x-ticks'));
    assert.equal(await figure(page, 'sweepSummary').getAttribute('data-x-ticks'), 'feedback-alignment backprop');
    assert.deepEqual(await counts(page, 'sweepSummary'), { series: 1, points: 2 });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('keeps long series within the point budget', async () => {
    const page = await openApp(browser, 'dashboard');
    await fromHost(page, { type: 'host/snapshot', maxPoints: 300, runs: [run('/runs/long', 0, { points: points(10_000, 10) })] });
    await page.waitForSelector('tr[data-key="/runs/long"]');
    const { points: drawn } = await counts(page, 'testLoss');
    assert.ok(drawn > 100 && drawn <= 300, `${drawn} points drawn`);
    await page.close();
  });

  it('takes its colours from the theme and follows a theme change', async () => {
    const page = await openApp(browser, 'dashboard');
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/a', 0), run('/runs/b', 0.001)] });
    await page.waitForSelector('tr[data-key="/runs/b"] .swatch');
    const swatches = () => page.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    assert.deepEqual(await swatches(), ['rgb(55, 148, 255)', 'rgb(209, 134, 22)']);
    await page.evaluate((vars) => {
      for (const [k, v] of Object.entries(vars)) document.body.style.setProperty(k, v);
      document.body.className = 'vscode-light';
    }, LIGHT);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.swatch')!).backgroundColor === 'rgb(26, 133, 255)');
    assert.deepEqual(await swatches(), ['rgb(26, 133, 255)', 'rgb(194, 125, 26)']);
    await page.close();
  });

  it('a diverged run shows no final accuracy and is left out of the sweep summary\'s mean', async () => {
    const page = await openApp(browser, 'dashboard');
    const seeded = (key: string, oja: number, seed: number, accuracy: number, extra: Partial<DashboardRun> = {}): DashboardRun => ({
      ...run(key, oja, extra),
      fields: { 'rule.oja': JSON.stringify(oja), seed: String(seed) },
      points: points(3).map((p) => ({ ...p, testAccuracy: accuracy })),
    });
    await fromHost(page, {
      type: 'host/snapshot',
      maxPoints: 2000,
      runs: [seeded('/r/a', 0, 1, 0.5), seeded('/r/b', 0, 2, 0.7), seeded('/r/c', 0.001, 1, 0.9), seeded('/r/d', 0.001, 2, 0.1, { state: 'diverged', reason: 'non-finite values (NaN or Infinity) at step 150' })],
    });
    await page.waitForSelector('tr[data-key="/r/d"]');
    assert.equal(await page.locator('tr[data-key="/r/d"] td').nth(4).textContent(), '—');
    assert.match(
      (await page.locator('#chart-sweepSummary canvas').getAttribute('aria-label')) ?? '',
      /rule\.oja=0: 60\.00% ± 14\.14 over 2; rule\.oja=0\.001: 90\.00% ± 0\.00 over 1$/,
    );
    await page.close();
  });

  it('draws a theme colour given with alpha (charts.orange in Dark Modern) opaque, and a pale one darker on a light theme', async () => {
    const page = await openApp(browser, 'dashboard', undefined, { ...DARK, '--vscode-editor-background': '#1f1f1f', '--vscode-charts-orange': 'rgba(234, 92, 0, 0.33)' });
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/a', 0), run('/runs/b', 0.001)] });
    await page.waitForSelector('tr[data-key="/runs/b"] .swatch');
    const swatches = () => page.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    assert.equal((await swatches())[1], 'rgb(234, 92, 0)');
    await page.evaluate(() => {
      document.body.style.setProperty('--vscode-editor-background', '#ffffff');
      document.body.style.setProperty('--vscode-charts-orange', '#f5e0a0');
      document.body.className = 'vscode-light';
    });
    await page.waitForFunction(() => getComputedStyle(document.querySelectorAll('.swatch')[1]!).backgroundColor !== 'rgb(234, 92, 0)');
    const [r, g, b] = (await swatches())[1]!.match(/\d+/g)!.map(Number);
    assert.ok(r! < 0xf5 && g! < 0xe0 && b! < 0xa0, `darkened: ${r}, ${g}, ${b}`);
    await page.close();
  });

  it('remembers its view options across reloads, and removes a run on request', async () => {
    const page = await openApp(browser, 'dashboard');
    await fromHost(page, { type: 'host/snapshot', maxPoints: 2000, runs: [run('/runs/a', 0)] });
    await page.waitForSelector('tr[data-key="/runs/a"]');
    await page.locator('#log-scale').check();
    const state = await page.evaluate(() => (window as unknown as { savedState: { options: { logScale: boolean } } }).savedState);
    assert.equal(state.options.logScale, true);
    const again = await openApp(browser, 'dashboard', state);
    assert.equal(await again.locator('#log-scale').isChecked(), true);
    await again.close();
    await page.locator('button[aria-label^="Remove"]').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'dashboard/remove', key: '/runs/a' });
    await page.close();
  });
});
