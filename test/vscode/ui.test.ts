/// <reference lib="dom" />
/**
 * UI scenarios in a real VS Code workbench (the VS Code server in headless Chromium), driven as a
 * user drives it: the palette, the sidebar form and the dashboard webview. Also installs the
 * packaged .vsix into a fresh server and runs an experiment with the installed copy.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';

// Plain CommonJS shared with test/vscode/bin/code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ROOT, startServer, installVsix, workbenchUrl, launchBrowser } = require('./launcher') as {
  ROOT: string;
  startServer(options?: { extensionsDir?: string }): Promise<{ port: number; dataDir: string; extensionsDir: string; log(): string; stop(): Promise<void> }>;
  installVsix(vsix: string, extensionsDir: string): Promise<string>;
  workbenchUrl(port: number, folder: string, payload: Array<[string, string]>): string;
  launchBrowser(): Promise<Browser>;
};

const ARTIFACTS = join(ROOT, 'test-results');
/**
 * Pictures for the README and the Marketplace listing: `npm run pictures` copies them into
 * docs/listing/ (a test checks every picture there is one these scenarios take).
 */
const LISTING = join(ARTIFACTS, 'listing');

/** A workspace for a scenario, its editor without the chat side bar (it would fill a third of each picture). */
function scenarioWorkspace(prefix: string): string {
  const workspace = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(workspace, '.vscode'));
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true }));
  return workspace;
}
let browser: Browser;

before(async () => {
  mkdirSync(LISTING, { recursive: true });
  browser = await launchBrowser();
});
after(async () => browser?.close());

async function openWorkbench(page: Page, port: number, folder: string, payload: Array<[string, string]>): Promise<void> {
  await page.goto(workbenchUrl(port, folder, payload));
  await page.locator('.activitybar a[aria-label="Plasticity Lab"]').waitFor({ timeout: 120_000 });
  // The secondary side bar (chat) opens by default and would fill a third of every picture: toggle it shut.
  if (await page.locator('.part.auxiliarybar').isVisible()) await page.keyboard.press('Control+Alt+KeyB');
}

/** Runs a palette command; on a fresh profile new commands can be missing at first, so retry. */
async function palette(page: Page, title: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.keyboard.press('F1');
    // Typed only into the palette once it is open: from a webview F1 reaches the workbench late, and
    // keys typed before it would land on the focused element (a space presses the form's Rerun).
    const box = page.locator('.quick-input-widget .quick-input-box input').first();
    if (!(await box.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) {
      await page.keyboard.press('Escape');
      continue;
    }
    await box.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    // The quick pick can close under the pointer when an editor takes focus: then try again.
    if (await row.waitFor({ timeout: 2000 }).then(() => row.click({ timeout: 5000 })).then(() => true, () => false)) return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(2000);
  }
  throw new Error(`palette command not found: ${title}`);
}

async function pick(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

/** A palette command, then one of the choices it offers; both again if the choice closed under the pointer (an editor taking focus). */
async function paletteThenPick(page: Page, title: string, text: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    await palette(page, title);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    if (await row.waitFor({ timeout: 20_000 }).then(() => row.click({ timeout: 5000 })).then(() => true, () => false)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`no choice "${text}" after ${title}`);
}

/** The webview (inside VS Code's two iframes) that contains `selector`. */
async function webview(page: Page, selector: string, timeoutMs = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let k = 0; k < count; k++) {
      const inner = page.frameLocator('iframe.webview.ready').nth(k).frameLocator('#active-frame');
      if (await inner.locator(selector).count()) return inner;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview shows ${selector}`);
}

const pointsOn = async (dashboard: FrameLocator, chart: string) => Number(await dashboard.locator(`#chart-${chart}`).getAttribute('data-points'));

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Plasticity: New Experiment from the preset titled `title`, saved where the dialog proposes
 * (<workspace>/<id>.plasticity.json), and its editor open and focused; returns the file.
 */
async function newExperiment(page: Page, workspace: string, title: string, id: string): Promise<string> {
  await palette(page, 'Plasticity: New Experiment');
  // Typed once the presets are listed, as a user filters a long list: the list draws only the rows
  // in view, and ten presets overflow it.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'bad-initialisation' }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.type(title);
  await pick(page, title);
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' });
  await ok.waitFor({ timeout: 20_000 });
  await ok.click();
  const file = join(workspace, `${id}.plasticity.json`);
  await waitUntil('the experiment file', async () => existsSync(file));
  // Its editor opens and takes focus; the palette is used once that has happened.
  await page.locator('.tab.active', { hasText: `${id}.plasticity.json` }).waitFor({ timeout: 20_000 });
  return file;
}

/**
 * A scenario in a fresh VS Code server with this folder as the extension under development and a
 * fresh workspace: `body` drives the page; on failure a screenshot goes to test-results/failure-<name>.png.
 */
async function inWorkbench(name: string, body: (page: Page, workspace: string) => Promise<void>): Promise<void> {
  const server = await startServer();
  const workspace = scenarioWorkspace(`plasticity-${name}-`);
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  try {
    await openWorkbench(page, server.port, workspace, [['extensionDevelopmentPath', ROOT]]);
    await body(page, workspace);
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `failure-${name}.png`) });
    throw error;
  } finally {
    await page.close();
    await server.stop();
  }
}

describe('UI scenarios in VS Code', () => {
  it('palette → experiment from the preset → live curves → stop; form → change θ → rerun → overlay', async () => {
    await inWorkbench('scenario', async (page, workspace) => {
      // From the palette: a new experiment from the online-learning preset, run at once.
      const file = await newExperiment(page, workspace, 'online learning', 'online-learning');
      // A pass over the digits takes about a second now; forty keep a run going while Stop is clicked.
      const experiment = JSON.parse(readFileSync(file, 'utf8'));
      experiment.training.epochs = 40;
      writeFileSync(file, JSON.stringify(experiment, null, 2));
      await waitUntil('the editor showing forty epochs', async () => /"epochs":\s*40/.test((await page.locator('.editor-instance .view-lines').textContent()) ?? ''));
      await palette(page, 'Plasticity: Run Experiment');

      // The dashboard's curves grow.
      const dashboard = await webview(page, '#chart-testAccuracy');
      await waitUntil('a running run', async () => (await dashboard.locator('tr[data-state="running"]').count()) > 0);
      await waitUntil('first points', async () => (await pointsOn(dashboard, 'testAccuracy')) >= 2);
      const early = await pointsOn(dashboard, 'testAccuracy');
      await waitUntil('more points', async () => (await pointsOn(dashboard, 'testAccuracy')) > early);

      // Stop works from the dashboard; the rest of the sweep is stopped from the palette.
      await dashboard.locator('tr[data-state="running"] button', { hasText: 'Stop' }).click();
      await waitUntil('a stopped run', async () => (await dashboard.locator('tr[data-state="stopped"]').count()) === 1);
      await palette(page, 'Plasticity: Stop Run');
      await waitUntil('nothing running', async () => (await dashboard.locator('tr[data-state="running"], tr[data-state="queued"]').count()) === 0);

      // The sidebar form: a short run, then θ changed and Rerun.
      await page.locator('.activitybar a[aria-label="Plasticity Lab"]').click();
      const form = await webview(page, '#field-rule-oja');
      await form.locator('#field-training-epochs').fill('');
      await form.locator('#field-training-steps').fill('2000000');
      await form.locator('#field-training-evalEvery').fill('500');
      await form.locator('#field-rule-oja').fill('0');
      await waitUntil('a valid form', async () => form.locator('#run').isEnabled());
      await form.locator('#run').click();
      await waitUntil('the form run streaming', async () => (await dashboard.locator('tr[data-state="running"]').count()) === 1);
      await form.locator('#field-rule-oja').fill('0.002');
      await waitUntil('a valid form', async () => form.locator('#rerun').isEnabled());
      const before = await dashboard.locator('tr[data-key]').count();
      await form.locator('#rerun').click();
      await waitUntil('the second run listed', async () => (await dashboard.locator('tr[data-key]').count()) === before + 1);
      const rows = dashboard.locator('tr[data-key]');
      const last = rows.nth(before);
      await waitUntil('its first point', async () => (await last.locator('td').nth(4).textContent()) !== '—');
      const legend = await dashboard.locator('.legend-name').allTextContents();
      assert.ok(legend.at(-1)!.includes('oja=0.002') && legend.at(-2)!.includes('oja=0'), `legend: ${legend.join(' | ')}`);
      assert.equal(await rows.nth(before - 1).getAttribute('data-state'), 'stopped', 'Rerun stopped the earlier form run');
      await palette(page, 'Plasticity: Stop Run');
      await waitUntil('nothing running', async () => (await dashboard.locator('tr[data-state="running"]').count()) === 0);

      // A screenshot for people, and a check that the accuracy chart has really been drawn.
      await page.screenshot({ path: join(LISTING, 'form-dashboard-rerun.png') });
      const colours = await dashboard.locator('#chart-testAccuracy canvas').evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        return seen.size;
    });
    assert.ok(colours > 20, `the chart shows ${colours} colours`);
    assert.ok(readFileSync(join(LISTING, 'form-dashboard-rerun.png')).length > 50_000, 'the screenshot is not blank');
    });
  });

  it('palette → Reproduce the Paper (quick) → the report tab fills in → cancel → a restart restores it → Open these runs', async () => {
    await inWorkbench('paper-report', async (page, workspace) => {
      await palette(page, 'Plasticity: Reproduce the Paper');
      await pick(page, 'Quick');
      const report = await webview(page, 'table.verdicts');
      assert.equal(await report.locator('.status').getAttribute('data-status'), 'running');
      // Claims fill in as their arms finish: wait for the first, with its chart.
      const judged = report.locator('section.claim:not([data-verdict="pending"])');
      await waitUntil('a first verdict', async () => (await judged.count()) > 0, 240_000);
      const id = (await judged.first().getAttribute('id'))!;
      const verdict = await report.locator(`#${id} h2 .verdict`).textContent();
      assert.ok(['supported', 'not supported', 'contradicted', 'inconclusive'].includes(verdict!), verdict!);
      assert.ok((await report.locator(`#${id} svg circle.seed`).count()) >= 2, 'its chart has a dot per seed');
      await page.screenshot({ path: join(LISTING, 'paper-report-tab.png') });

      // Cancel from the progress notification: the runs stop, and the report is written as stopped.
      // (The toast may have gone to the notification centre by now: open it there.)
      const toastCancel = page.locator('.notification-toast .monaco-button', { hasText: 'Cancel' });
      if ((await toastCancel.count()) === 0) await palette(page, 'Notifications: Show Notifications');
      await page.locator('.notification-toast .monaco-button, .notifications-center .monaco-button', { hasText: 'Cancel' }).first().click();
      await waitUntil('the report marked cancelled', async () => (await report.locator('.status[data-status="cancelled"]').count()) === 1, 120_000);
      const reproductions = join(workspace, '.plasticity', 'reproductions');
      const [folder] = readdirSync(reproductions);
      const written = JSON.parse(readFileSync(join(reproductions, folder!, 'report.json'), 'utf8'));
      assert.equal(written.interrupted, true);
      assert.equal(written.claims.find((c: { id: string }) => `claim-${c.id}` === id).verdict, verdict);

      // A restart (the window reloads): the tab comes back with the same report.
      await page.reload();
      await page.locator('.activitybar a[aria-label="Plasticity Lab"]').waitFor({ timeout: 120_000 });
      const restored = await webview(page, `#${id}`, 120_000);
      assert.equal(await restored.locator(`#${id} h2 .verdict`).textContent(), verdict);
      assert.equal(await restored.locator('.status').getAttribute('data-status'), 'cancelled');

      // Open these runs: the claim's runs in the dashboard.
      await restored.locator(`#${id} button`, { hasText: 'Open these runs' }).click();
      const dashboard = await webview(page, '#chart-testAccuracy');
      await waitUntil('the claim\'s runs listed', async () => (await dashboard.locator('tr[data-key]').count()) >= 2);
    });
  });

  it("form → the local terms table (Sanger's term, per layer) → run → its share of the update drawn; form → the data-scarce preset → few-shot episodes drawn against the episode", async () => {
    await inWorkbench('terms', async (page, workspace) => {
      await page.locator('.activitybar a[aria-label="Plasticity Lab"]').click();
      const form = await webview(page, 'table.terms');
      await waitUntil('the form filled in from its preset', async () => (await form.locator('#field-model-layers').inputValue()) !== '');
      await form.locator('#field-training-epochs').fill('');
      await form.locator('#field-training-steps').fill('3000');
      await form.locator('#field-training-evalEvery').fill('500');
      // Sanger's term from the table, one coefficient spread over the five weight layers, the last set to 0.
      await form.locator('#field-rule-terms-sanger').fill('0.0003');
      await form.locator('#field-rule-terms-sanger').press('Tab');
      await page.keyboard.press('Space');
      await waitUntil('the coefficient spread per layer', async () => (await form.locator('#field-rule-terms-sanger').inputValue()) === '0.0003, 0.0003, 0.0003, 0.0003, 0.0003');
      await form.locator('#field-rule-terms-sanger').fill('0.0003, 0.0003, 0.0003, 0.0003, 0');
      await waitUntil('a valid form', async () => form.locator('#run').isEnabled());
      await form.locator('#run').click();
      const dashboard = await webview(page, '#chart-share-sanger');
      await waitUntil('the run completed', async () => (await dashboard.locator('tr[data-state="completed"]').count()) === 1, 120_000);
      assert.equal(await dashboard.locator('#chart-share-sanger').isVisible(), true);
      assert.ok((await pointsOn(dashboard, 'share-sanger')) >= 6, 'a share at each point after the first');
      const runs = join(workspace, '.plasticity', 'runs');
      const [folder] = readdirSync(runs);
      assert.deepEqual(JSON.parse(readFileSync(join(runs, folder!, 'config.json'), 'utf8')).rule.terms, { sanger: [0.0003, 0.0003, 0.0003, 0.0003, 0] });
      await dashboard.locator('tr[data-key] button[aria-label^="Remove"]').click();
      await waitUntil('an empty dashboard', async () => (await dashboard.locator('tr[data-key]').count()) === 0);

      // The data-scarce preset: few-shot episodes, drawn against the episode as they stream.
      await form.locator('#preset').selectOption('data-scarce');
      await waitUntil('a valid form', async () => form.locator('#run').isEnabled());
      await form.locator('#run').click();
      await waitUntil('episodes drawn', async () => (await pointsOn(dashboard, 'movingAccuracy')) >= 20, 120_000);
      assert.equal(await dashboard.locator('#chart-testAccuracy figcaption').textContent(), 'Query accuracy');
      assert.equal(await dashboard.locator('#chart-testAccuracy').getAttribute('data-x-title'), 'episode');
      await page.screenshot({ path: join(LISTING, 'few-shot-episodes.png') });
      await palette(page, 'Plasticity: Stop Run');
      await waitUntil('nothing running', async () => (await dashboard.locator('tr[data-state="running"], tr[data-state="queued"]').count()) === 0, 60_000);
    });
  });

  it('palette → a meta-learning experiment → its coefficients drawn live → stop → Resume Meta-Learning Run → it goes on', async () => {
    await inWorkbench('meta', async (page, workspace) => {
      const file = await newExperiment(page, workspace, 'meta-learned rule', 'meta-learned-rule');
      // One member of the preset's pair (the learned FA + errorHebbian + Oja rule), long enough to stop.
      const experiment = JSON.parse(readFileSync(file, 'utf8'));
      experiment.sweep = { seed: [1] };
      experiment.rule = { feedback: 'feedback-alignment', learningRate: 0.01, oja: 0.001, terms: { errorHebbian: 0.001 } };
      experiment.meta.learn = ['error', 'errorHebbian', 'oja'];
      experiment.meta.episodes = 100000;
      // On one line, so the editor shows the edit without scrolling.
      writeFileSync(file, JSON.stringify(experiment));
      await waitUntil('the editor showing the edit', async () => /100000/.test((await page.locator('.editor-instance .view-lines').textContent()) ?? ''));
      await palette(page, 'Plasticity: Run Experiment');
      const dashboard = await webview(page, '#chart-coefficient-errorHebbian');
      await waitUntil('coefficients drawn', async () => (await pointsOn(dashboard, 'coefficient-errorHebbian')) >= 10, 120_000);
      assert.equal(await dashboard.locator('#chart-coefficient-oja').isVisible(), true);
      assert.equal(await dashboard.locator('#chart-coefficient-sanger').isVisible(), false, 'not learned, not drawn');
      await page.screenshot({ path: join(LISTING, 'meta-learning.png') });
      await palette(page, 'Plasticity: Stop Run');
      await waitUntil('a stopped run', async () => (await dashboard.locator('tr[data-state="stopped"]').count()) === 1);
      const runs = join(workspace, '.plasticity', 'runs');
      const [folder] = readdirSync(runs).filter((name) => name.startsWith('meta-learned-rule'));
      const learned = () => JSON.parse(readFileSync(join(runs, folder!, 'learned-rule.json'), 'utf8')).metaEpisodes as number;
      const stoppedAt = learned();

      // Resume from the palette: only stopped meta-learning runs are offered.
      await paletteThenPick(page, 'Plasticity: Resume Meta-Learning Run', 'seed=1');
      await waitUntil('the run going on', async () => (await dashboard.locator('tr[data-state="running"]').count()) === 1, 60_000);
      await waitUntil('more meta-episodes', async () => learned() > stoppedAt + 5, 120_000);
      await palette(page, 'Plasticity: Stop Run');
      await waitUntil('nothing running', async () => (await dashboard.locator('tr[data-state="running"], tr[data-state="queued"]').count()) === 0);
      const steps = readFileSync(join(runs, folder!, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).step as number);
      assert.deepEqual(steps, Array.from({ length: steps.length }, (_, i) => i + 1), 'one folder, its meta-episodes in order, none twice');
    });
  });

  it('palette → the short-term-memory preset (recurrent networks) → each run\'s memory curve drawn against the delay as it learns', async () => {
    await inWorkbench('memory', async (page, workspace) => {
      await newExperiment(page, workspace, 'short-term memory', 'short-term-memory');
      await palette(page, 'Plasticity: Run Experiment');
      const dashboard = await webview(page, '#chart-memoryCurve');
      // Two workers: two runs at a time, each with a curve from its first point (a point per delay: 5, 10, 20, 40).
      await waitUntil('memory curves drawn', async () => (await pointsOn(dashboard, 'memoryCurve')) >= 8, 120_000);
      assert.equal(await dashboard.locator('#chart-memoryCurve').getAttribute('data-x-title'), 'delay (steps)');
      await waitUntil('a run that has learned', async () => (await dashboard.locator('tr[data-state="completed"]').count()) >= 1, 120_000);
      assert.ok((await pointsOn(dashboard, 'spectralRadius')) >= 5, "W_rec's spectral radius against the step");
      assert.equal(await dashboard.locator('#chart-weightNorm').isHidden(), true, 'no per-layer diagnostics for recurrent runs');
      const runs = join(workspace, '.plasticity', 'runs');
      const done = readdirSync(runs).find((name) => existsSync(join(runs, name, 'summary.json')) && JSON.parse(readFileSync(join(runs, name, 'summary.json'), 'utf8')).status === 'completed')!;
      const last = readFileSync(join(runs, done, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).at(-1);
      assert.deepEqual(last.memory.delays, [5, 10, 20, 40], 'the run folder keeps the curve the chart draws');
      await page.screenshot({ path: join(LISTING, 'short-term-memory.png') });
      await palette(page, 'Plasticity: Stop Run');
      await waitUntil('nothing running', async () => (await dashboard.locator('tr[data-state="running"], tr[data-state="queued"]').count()) === 0, 60_000);
    });
  });

  it('palette → the memory-capacity preset, cut to two runs → r² against the delay k and MC drawn as they learn; the run table says MC', async () => {
    await inWorkbench('capacity', async (page, workspace) => {
      const file = await newExperiment(page, workspace, 'memory capacity', 'memory-capacity');
      // Two runs (θ_rec 0 and 0.1) of 500 sequences: they finish on their own, nothing to stop.
      const experiment = JSON.parse(readFileSync(file, 'utf8'));
      experiment.data.trainSize = 500;
      experiment.sweep = { 'rule.oja.rec': [0, 0.1] };
      writeFileSync(file, JSON.stringify(experiment, null, 2));
      await waitUntil('the editor showing the cut', async () => /"trainSize":\s*500/.test((await page.locator('.editor-instance .view-lines').textContent()) ?? ''));
      await palette(page, 'Plasticity: Run Experiment');
      const dashboard = await webview(page, '#chart-memoryCurve');
      // A point per delay, 1 … 40, for each run.
      await waitUntil('r² curves drawn', async () => (await pointsOn(dashboard, 'memoryCurve')) >= 40, 120_000);
      await waitUntil('both runs finished', async () => (await dashboard.locator('tr[data-state="completed"]').count()) === 2, 120_000);
      assert.equal(await dashboard.locator('#chart-memoryCurve').getAttribute('data-x-title'), 'delay k (steps)');
      assert.equal(await dashboard.locator('#chart-memoryCapacity').isVisible(), true, 'the MC chart');
      assert.ok((await pointsOn(dashboard, 'memoryCapacity')) >= 6, 'MC against the step, three points a run');
      const finals = await dashboard.locator('tr[data-state="completed"] td:nth-child(5)').allTextContents();
      assert.equal(finals.length, 2);
      for (const cell of finals) assert.match(cell, /^MC \d+\.\d\d$/);
    });
  });

  it('the packaged .vsix installs into a fresh VS Code and runs an experiment', async () => {
    const vsix = join(ROOT, 'plasticity-lab.vsix');
    execFileSync('npx', ['vsce', 'package', '--out', vsix], { cwd: ROOT, stdio: 'ignore' });
    const extensionsDir = mkdtempSync(join(tmpdir(), 'plasticity-ext-'));
    await installVsix(vsix, extensionsDir);
    const installed = readdirSync(extensionsDir).find((d) => d.startsWith('plasticity-lab.plasticity-lab-'));
    assert.ok(installed, 'installed');
    // Only what runs: no source maps, TypeScript or docs (licences aside) from node_modules (the package was 17 MB with them).
    const shipped = (readdirSync(join(extensionsDir, installed, 'node_modules'), { recursive: true }) as string[]).filter((f) => /\.(map|ts|md)$/.test(f) && !/LICENSE/.test(f));
    assert.deepEqual(shipped, []);
    const server = await startServer({ extensionsDir });
    const workspace = mkdtempSync(join(tmpdir(), 'plasticity-vsix-'));
    writeFileSync(
      join(workspace, 'quick.plasticity.json'),
      JSON.stringify({ name: 'installed copy', data: { source: 'mnist', trainSize: 1000, testSize: 200 }, model: { layers: [784, 40, 10] }, rule: { oja: 0.001 }, training: { steps: 500, evalEvery: 100, probeSize: 50 } }),
    );
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    try {
      await openWorkbench(page, server.port, workspace, []);
      await palette(page, 'Plasticity: Run Experiment');
      await pick(page, 'quick.plasticity.json');
      const runs = join(workspace, '.plasticity', 'runs');
      await waitUntil('a completed run', async () => {
        const dirs = existsSync(runs) ? readdirSync(runs) : [];
        return dirs.some((d) => existsSync(join(runs, d, 'summary.json')) && JSON.parse(readFileSync(join(runs, d, 'summary.json'), 'utf8')).status === 'completed');
      }, 90_000);
      const [dir] = readdirSync(runs);
      const summary = JSON.parse(readFileSync(join(runs, dir!, 'summary.json'), 'utf8'));
      assert.equal(summary.name, 'installed copy');
      assert.equal(summary.steps, 500);
      assert.ok(summary.final.testAccuracy > 0.3, `accuracy ${summary.final.testAccuracy}`);
      assert.equal(summary.executor, 'online', 'the packaged SIMD kernels load (online-js would mean they are missing)');
      assert.equal(summary.backend, 'wasm', 'TensorFlow.js and its wasm binaries load from the trimmed node_modules (evaluation uses them)');
    } finally {
      await page.close();
      await server.stop();
    }
  });
});
