/// <reference lib="dom" />
/** report.html in headless Chromium: it renders, every claim's chart is drawn, nothing is fetched, no errors. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launch } from './harness';
import { reportHtml } from '../../src/reproduce/reportHtml';
import { buildReport } from '../../src/reproduce/report';
import { evaluateClaim, type ArmRun } from '../../src/reproduce/evaluate';
import { claims } from '../../src/reproduce/claims';
import { evaluateTrick, tricks } from '../../src/reproduce/tricks';
import { armRun } from '../helpers/armRuns';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

const run = (seed: number, accuracy: number | null) => armRun(seed, accuracy);

describe('report.html', () => {
  it('renders every claim with its verdict and a chart of its seeds, offline and without errors', async () => {
    const specs = claims('quick').filter((c) => ['online-learning', 'initialisation-3', 'depth'].includes(c.id));
    const runs = new Map<string, ArmRun[]>([
      ['online-bp', [run(1, 0.92), run(2, 0.92), run(3, 0.9)]],
      ['online-oja', [run(1, 0.88), run(2, 0.82), run(3, 0.82)]],
      ['gain-3-bp', [run(1, 0.8), run(2, 0.7), run(3, 0.88)]],
      ['gain-3-oja', [run(1, null), run(2, null), run(3, null)]],
      ['depth-2-bp', [run(1, 0.9), run(2, 0.91), run(3, 0.9)]],
      ['depth-2-oja', [run(1, 0.85), run(2, 0.86), run(3, 0.84)]],
      ['depth-14-bp', [run(1, 0.11), run(2, 0.1), run(3, 0.11)]],
      ['depth-14-oja', [run(1, 0.64), run(2, 0.66), run(3, 0.6)]],
      ['depth-14-layer-norm', [run(1, 0.5), run(2, 0.52), run(3, 0.54)]],
      ['depth-14-bp-tuned', [run(1, 0.11), run(2, 0.1), run(3, 0.11)]],
      ['depth-14-oja-tuned', [run(1, 0.64), run(2, 0.66), run(3, 0.6)]],
      ['large-eta-bp', [run(1, 0.3), run(2, 0.25), run(3, 0.2)]],
      ['large-eta-bp-batch16', [run(1, 0.92), run(2, 0.92), run(3, 0.92)]],
      ['large-eta-oja', [run(1, 0.25), run(2, null), run(3, 0.2)]],
    ]);
    const trickRows = tricks().filter((t) => ['mini-batches', 'normalisation'].includes(t.id)).map((t) => evaluateTrick(t, runs));
    const report = buildReport({ mode: 'quick', data: 'the bundled MNIST digits', seeds: [1, 2, 3], steps: null, startedAt: new Date(), claims: specs.map((c) => evaluateClaim(c, runs)), tricks: trickRows, arms: [] });
    const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.html');
    writeFileSync(file, reportHtml(report));

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`fetched ${r.url()}`));
    await page.goto(pathToFileURL(file).href);
    assert.deepEqual(await page.locator('section.claim h2 .verdict').allTextContents(), ['contradicted', 'supported', 'contradicted']);
    assert.equal(await page.locator('section.claim svg').count(), 3, 'a chart per claim');
    // A dot per seed on each side: 3 + 3 per claim; diverged runs hollow, at the value they count as.
    for (const id of ['online-learning', 'initialisation-3', 'depth']) assert.equal(await page.locator(`#claim-${id} svg circle.seed`).count(), 6, id);
    assert.equal(await page.locator('#claim-initialisation-3 svg circle.seed.diverged').count(), 3);
    assert.equal(await page.locator('#claim-online-learning svg circle.seed.diverged').count(), 0);
    assert.match((await page.locator('#claim-initialisation-3').textContent()) ?? '', /3 runs diverged \(counted as the failure value\)/);
    // Bars start at zero: against no growth (a bar of no height on the zero line), the rise stands on that line.
    const bar = async (kind: string) => page.locator(`#claim-depth rect.bar.${kind}`).evaluate((r) => ({ y: Number(r.getAttribute('y')), height: Number(r.getAttribute('height')) }));
    const [none, rise] = [await bar('baseline'), await bar('treatment')];
    assert.equal(none.height, 0);
    assert.ok(Math.abs(none.y - (rise.y + rise.height)) < 0.2, `${JSON.stringify(none)} ${JSON.stringify(rise)}`);
    const box = await page.locator('#claim-depth svg').boundingBox();
    assert.ok(box && box.width > 200 && box.height > 80, 'the chart takes room on the page');
    assert.match((await page.locator('#claim-depth svg').getAttribute('aria-label')) ?? '', /growth of Oja's gain, 2 → 14 layers 58\.0%/);
    // The trick table: a row per trick, three accuracy columns and Oja's share.
    const trickCells = await page.locator('#tricks tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent)));
    assert.equal(trickCells.length, 2);
    assert.deepEqual(trickCells[0]!.slice(2), ['25.0% ± 5.0', '92.0% ± 0.0', '18.3% ± 7.6 (1 diverged)', '-10%']);
    assert.deepEqual(trickCells[1]!.slice(2), ['10.7% ± 0.6', '52.0% ± 2.0', '63.3% ± 3.1', '127%']);
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'report.png'), fullPage: true }).catch(() => undefined);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
