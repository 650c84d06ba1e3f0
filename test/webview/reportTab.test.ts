/// <reference lib="dom" />
/** The Paper report tab's bundle in headless Chromium, driven as the host drives it. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { PaperReportView } from '../../src/protocol/hostReport';
import { claims } from '../../src/reproduce/claims';
import { evaluateClaim, type ArmRun } from '../../src/reproduce/evaluate';
import { evaluateTrick, tricks } from '../../src/reproduce/tricks';
import { armRun } from '../helpers/armRuns';
import { fromHost, launch, openApp, pageErrors, posted } from './harness';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

const run = (seed: number, accuracy: number | null) => armRun(seed, accuracy);
const runs = new Map<string, ArmRun[]>([
  ['online-bp', [run(1, 0.92), run(2, 0.91), run(3, 0.9)]],
  ['online-oja', [run(1, 0.85), run(2, 0.84), run(3, 0.82)]],
  ['gain-3-bp', [run(1, 0.8), run(2, 0.7), run(3, 0.88)]],
  ['gain-3-oja', [run(1, null), run(2, null), run(3, null)]],
  ['gain-0.3-bp-tuned', [run(1, 0.11), run(2, 0.12), run(3, 0.1)]],
  ['gain-0.3-adam', [run(1, 0.9), run(2, 0.9), run(3, 0.88)]],
  ['gain-0.3-oja-tuned', [run(1, 0.7), run(2, 0.75), run(3, 0.72)]],
]);
const [online, gain3] = ['online-learning', 'initialisation-3'].map((id) => evaluateClaim(claims('quick').find((c) => c.id === id)!, runs));
const adam = evaluateTrick(tricks().find((t) => t.id === 'adam')!, runs);

function view(extra: Partial<PaperReportView>): PaperReportView {
  return {
    folder: '/work/.plasticity/reproductions/paper-quick',
    status: 'running',
    mode: 'quick',
    data: 'the bundled MNIST digits',
    seeds: [1, 2, 3],
    steps: null,
    progress: { ended: 12, total: 40 },
    wallSec: null,
    rule: 'the rule',
    recoveryRule: 'the recovery rule',
    claims: [
      { id: 'online-learning', title: online!.title, result: online!, hasRuns: true },
      { id: 'initialisation-3', title: gain3!.title, result: null, hasRuns: false },
    ],
    tricks: [{ id: 'adam', trick: adam.trick, setting: adam.setting, result: null, hasRuns: false }],
    ...extra,
  };
}

describe('Paper report tab', () => {
  it('fills in claim by claim: badges, numbers per seed, a chart each; buttons act by claim id; keyboard focus survives redraws', async () => {
    const page = await openApp(browser, 'report');
    assert.deepEqual(await posted(page), [{ type: 'report/ready' }]);
    await fromHost(page, { type: 'host/report', report: view({}) });
    await page.waitForSelector('#claim-online-learning');
    assert.equal(await page.locator('.status').textContent(), 'Running: 12 of 40 runs ended. ');
    assert.equal(await page.locator('progress').getAttribute('value'), '12');
    assert.deepEqual(await page.locator('table.verdicts .verdict').allTextContents(), ['contradicted', 'running…']);
    assert.equal(await page.locator('#claim-online-learning svg circle.seed').count(), 6, 'a dot per seed per side');
    assert.match((await page.locator('#claim-online-learning ul.numbers').textContent()) ?? '', /backprop: 91\.0% ± 1\.0 — per seed: 92\.0%, 91\.0%, 90\.0%/);
    assert.equal(await page.locator('#claim-initialisation-3 svg').count(), 0, 'no chart before its runs are in');
    assert.equal(await page.locator('#openRuns-initialisation-3').count(), 0);
    assert.equal(await page.locator('#tricks .share').textContent(), 'running…');
    // The chart takes the theme's colours (the dark theme's charts.blue for the baseline).
    assert.equal(await page.locator('#claim-online-learning circle.seed.baseline').first().evaluate((c) => getComputedStyle(c).fill), 'rgb(55, 148, 255)');

    // Keyboard: the button that had focus keeps it across the next redraw; Enter acts.
    await page.locator('#openExperiment-online-learning').focus();
    await fromHost(page, {
      type: 'host/report',
      report: view({
        progress: { ended: 40, total: 40 },
        claims: [
          { id: 'online-learning', title: online!.title, result: online!, hasRuns: true },
          { id: 'initialisation-3', title: gain3!.title, result: gain3!, hasRuns: true },
        ],
        tricks: [{ id: 'adam', trick: adam.trick, setting: adam.setting, result: adam, hasRuns: true }],
      }),
    });
    await page.waitForSelector('#claim-initialisation-3 svg');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'openExperiment-online-learning');
    await page.keyboard.press('Enter');
    await page.locator('#openRuns-initialisation-3').click();
    await page.locator('#openRuns-adam').click();
    assert.equal(await page.locator('#claim-initialisation-3 svg circle.seed.diverged').count(), 3);
    assert.deepEqual(await page.locator('#tricks tbody td').evaluateAll((cells) => cells.slice(2, 6).map((c) => c.textContent)), ['11.0% ± 1.0', '89.3% ± 1.2', '72.3% ± 2.5', '78%']);
    assert.deepEqual((await posted(page)).slice(1), [
      { type: 'report/action', action: 'openExperiment', id: 'online-learning' },
      { type: 'report/action', action: 'openRuns', id: 'initialisation-3' },
      { type: 'report/action', action: 'openRuns', id: 'adam' },
    ]);

    // Finished: the status says so, and report.html opens from here.
    await fromHost(page, { type: 'host/report', report: view({ status: 'completed', progress: null, wallSec: 61.4 }) });
    await page.waitForSelector('#open-html');
    assert.equal(await page.locator('.status').textContent(), 'Finished in 61 s.');
    await page.locator('#open-html').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'report/openHtml' });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('says why there is no report, and ignores messages that are not a report', async () => {
    const page = await openApp(browser, 'report');
    await fromHost(page, { type: 'host/report', report: { folder: 3 } });
    await fromHost(page, { type: 'host/noReport', message: 'The reproduction in /x did not finish.' });
    await page.waitForSelector('.empty');
    assert.equal(await page.locator('.empty').textContent(), 'The reproduction in /x did not finish.');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
