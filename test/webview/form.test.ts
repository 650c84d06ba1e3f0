/// <reference lib="dom" />
/** The experiment form bundle in headless Chromium; the engine's validator answers as the host does. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { FormToHost } from '../../src/protocol/hostForm';
import { validateExperiment } from '../../src/engine/config/validate';
import { presetChoices } from '../../src/extension/presetChoices';
import { checkDraft } from '../../src/host/draftCheck';
import { tmpdir } from 'node:os';
import { fromHost, launch, openApp, pageErrors, posted } from './harness';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

/** Answers the form's validate requests with the host's real check until the page closes. */
function serveValidation(page: Page): void {
  let answered = 0;
  // One pass at a time: under load a pass outlasts the interval, and two passes sharing the count
  // would skip a message (and the form would wait for its answer forever).
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const messages = await posted<FormToHost>(page);
      for (const message of messages.slice(answered)) {
        answered++;
        if (message.type === 'form/validate') {
          await fromHost(page, { type: 'host/issues', requestId: message.requestId, issues: checkDraft(message.draft, tmpdir()).issues });
        }
      }
    } catch {
      clearInterval(timer);
    } finally {
      busy = false;
    }
  }, 50);
  page.on('close', () => clearInterval(timer));
}

/** The form, given the host's first message; `beforeInit` acts on it before that message arrives. */
async function openForm(state?: unknown, beforeInit?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await openApp(browser, 'form', state);
  serveValidation(page);
  await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'form/ready'));
  await beforeInit?.(page);
  await fromHost(page, { type: 'host/init', presets: presetChoices(), datasets: [], draft: null, activeRuns: 0 });
  await page.waitForFunction(() => (document.getElementById('field-model-layers') as HTMLInputElement).value !== '');
  return page;
}

/** Waits for the engine's message on a field, then checks it is marked invalid and Run waits. */
async function expectFieldError(page: Page, fieldId: string, message: string): Promise<void> {
  await page.waitForFunction((id) => document.getElementById(`${id}-error`)!.textContent !== '', fieldId);
  assert.equal(await page.locator(`#${fieldId}-error`).textContent(), message);
  assert.equal(await page.locator(`#${fieldId}`).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#run').isDisabled(), true);
}

const lastRun = async (page: Page) => (await posted<FormToHost>(page)).filter((m) => m.type === 'form/run').at(-1) as Extract<FormToHost, { type: 'form/run' }> | undefined;

describe('experiment form webview', () => {
  it('starts from the online-learning preset, every field filled in', async () => {
    const page = await openForm();
    assert.equal(await page.locator('#preset').inputValue(), 'online-learning');
    assert.equal(await page.locator('#field-model-layers').inputValue(), '784-170-130-100-70-10');
    assert.equal(await page.locator('#field-model-activation').inputValue(), 'softplus');
    assert.equal(await page.locator('#field-rule-learningRate').inputValue(), '0.01');
    // Fields that do not apply are out of sight (the bundled set needs no file paths).
    assert.equal(await page.locator('#field-data-trainImages').isVisible(), false);
    assert.equal(await page.locator('#dataset-row').isVisible(), false, 'nothing downloaded, no dataset choice');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it("shows the engine's message next to a bad field and disables Run until it is fixed", async () => {
    const page = await openForm();
    await page.locator('#field-rule-learningRate').fill('-3');
    await expectFieldError(page, 'field-rule-learningRate', '-3 is not allowed; must be >= 0');
    await page.locator('#field-model-layers').fill('784-0-10');
    await page.waitForFunction(() => document.getElementById('field-model-layers-error')!.textContent !== '');
    assert.equal(await page.locator('#field-model-layers-error').textContent(), 'model.layers.1: 0 is not allowed; must be >= 1');
    await page.locator('#field-rule-learningRate').fill('0.02');
    await page.locator('#field-model-layers').fill('784-100-10');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    assert.equal(await page.locator('#field-rule-learningRate-error').textContent(), '');
    await page.close();
  });

  it('layer sizes that do not fit the data are an inline error on the layers field, and Run waits', async () => {
    const page = await openForm();
    await page.locator('#field-model-layers').fill('100-10');
    await page.waitForFunction(() => document.getElementById('field-model-layers-error')!.textContent !== '');
    assert.equal(await page.locator('#field-model-layers-error').textContent(), 'model.layers.0: 100 does not match the 784 input values per sample of MNIST (bundled)');
    assert.equal(await page.locator('#run').isDisabled(), true);
    await page.locator('#field-model-layers').fill('784-30-10');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    await page.close();
  });

  it('shows the default optimizer; unticking a sweep keeps its first value; a saved single run carries no preset description', async () => {
    const page = await openForm();
    assert.equal(await page.locator('#field-rule-optimizer').inputValue(), 'sgd');
    await page.locator('#field-seed-sweep').check();
    await page.locator('#field-seed').fill('3, 4, 5');
    await page.locator('#field-seed-sweep').uncheck();
    assert.equal(await page.locator('#field-seed').inputValue(), '3');
    await page.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
    await page.locator('#save').click();
    const saved = (await posted<FormToHost>(page)).filter((m) => m.type === 'form/save').at(-1) as Extract<FormToHost, { type: 'form/save' }>;
    assert.equal(saved.draft.seed, 3);
    assert.equal(saved.draft.sweep, undefined);
    assert.equal(saved.draft.description, undefined, 'the preset spoke of its 3 seeds; this file is one run');
    assert.equal(await page.locator('#field-seed-error').textContent(), '');
    await page.close();
  });

  it('the Oja slider and the exact box move together; Run and Rerun send the draft', async () => {
    const page = await openForm();
    await page.locator('#oja-slider').fill('0.003');
    assert.equal(await page.locator('#field-rule-oja').inputValue(), '0.003');
    await page.locator('#field-rule-oja').fill('0.00042');
    assert.equal(Number(await page.locator('#oja-slider').inputValue()).toFixed(4), '0.0004');
    await page.locator('#run').click();
    const run = await lastRun(page);
    assert.equal(run?.replace, false);
    assert.equal((run?.draft.rule as { oja: number }).oja, 0.00042);
    assert.equal(run?.draft.sweep, undefined, 'one run: the preset files carry the sweeps, the form does not');
    assert.deepEqual(validateExperiment(run!.draft).ok, true);
    await page.locator('#rerun').click();
    assert.equal((await lastRun(page))?.replace, true);
    await page.close();
  });

  it('a "sweep" tick runs a list of values, and a bad value is named on its field', async () => {
    const page = await openForm();
    await page.locator('#field-rule-oja-sweep').check();
    assert.equal(await page.locator('#oja-slider').isVisible(), false, 'a list has no slider');
    await page.locator('#field-rule-oja').fill('0, 0.001');
    await page.locator('#field-rule-learningRate-sweep').check();
    await page.locator('#field-rule-learningRate').fill('0.01, 0.1, -2');
    await page.waitForFunction(() => document.getElementById('field-rule-learningRate-error')!.textContent !== '');
    assert.equal(await page.locator('#field-rule-learningRate-error').textContent(), 'value 3: -2 is not allowed; must be >= 0');
    assert.equal(await page.locator('#run').isDisabled(), true);
    await page.locator('#field-rule-learningRate').fill('0.01, 0.1');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    await page.locator('#run').click();
    assert.deepEqual((await lastRun(page))?.draft.sweep, { 'rule.learningRate': [0.01, 0.1], 'rule.oja': [0, 0.001] });
    // Unticking θ brings its single value and the slider back.
    await page.locator('#field-rule-oja-sweep').uncheck();
    await page.locator('#field-rule-oja').fill('0.002');
    assert.equal(await page.locator('#oja-slider').isVisible(), true);
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    await page.locator('#run').click();
    const last = await lastRun(page);
    assert.deepEqual(last?.draft.sweep, { 'rule.learningRate': [0.01, 0.1] });
    assert.equal((last?.draft.rule as { oja: number }).oja, 0.002);
    await page.close();
  });

  it('the local terms table: a coefficient per term, a per-layer toggle that spreads it, inline errors, keyboard reachable', async () => {
    const page = await openForm();
    const rows = await page.locator('table.terms tr.row th label').allTextContents();
    assert.deepEqual(rows, ['errorHebbian', 'ojaSingle', 'sanger', 'hebbian', 'decay']);
    assert.equal(await page.locator('tr[data-path="rule.terms.sanger"] .formula').textContent(), 'c · (y_l y_{l−1}ᵀ − LT(y_l y_lᵀ) W_l)');
    await page.locator('#field-rule-terms-sanger').fill('0.0005');
    // Tab order: the coefficient, then its per-layer toggle, which Space ticks.
    await page.locator('#field-rule-terms-sanger').press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-rule-terms-sanger-per-layer');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#field-rule-terms-sanger').inputValue(), '0.0005, 0.0005, 0.0005, 0.0005, 0.0005', 'one per weight layer of 784-170-130-100-70-10');
    assert.equal(await page.locator('#field-rule-terms-sanger-hint').textContent(), 'one per weight layer (5)');
    await page.locator('#field-rule-terms-sanger').fill('0.0005, 0, 0');
    await expectFieldError(page, 'field-rule-terms-sanger', '[0.0005,0,0] has 3 entries; expected one number, or 5 (one per weight layer of model.layers)');
    await page.locator('#field-rule-terms-sanger').fill('0.0005, 0, 0, 0, 0.001');
    await page.locator('#field-rule-terms-decay').fill('0.0001');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    assert.equal(await page.locator('#field-rule-terms-sanger-error').textContent(), '');
    await page.locator('#run').click();
    const run = await lastRun(page);
    assert.deepEqual((run?.draft.rule as { terms: unknown }).terms, { sanger: [0.0005, 0, 0, 0, 0.001], decay: 0.0001 });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('a preset with few-shot episodes shows their fields (K sweepable) and hides epochs, steps and evaluate-every', async () => {
    const page = await openForm();
    assert.equal(await page.locator('#field-training-episodes-shots').isVisible(), false, 'no episodes in online learning');
    assert.equal(await page.locator('fieldset', { hasText: 'Few-shot episodes' }).isVisible(), false);
    await page.locator('#preset').selectOption('data-scarce');
    assert.equal(await page.locator('#field-training-episodes-shots').inputValue(), '5');
    assert.equal(await page.locator('#field-training-epochs').isVisible(), false);
    assert.equal(await page.locator('#field-training-evalEvery').isVisible(), false);
    await page.locator('#field-training-episodes-shots-sweep').check();
    await page.locator('#field-training-episodes-shots').fill('1, 5, 0');
    await expectFieldError(page, 'field-training-episodes-shots', 'value 3: 0 is not allowed; must be >= 1');
    await page.locator('#field-training-episodes-shots').fill('1, 5');
    await page.locator('#field-training-episodes-count').fill('20');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    await page.locator('#run').click();
    const draft = (await lastRun(page))!.draft as { training: { episodes: Record<string, unknown>; epochs?: number }; sweep: Record<string, unknown> };
    assert.deepEqual(draft.sweep, { 'training.episodes.shots': [1, 5] });
    assert.equal(draft.training.episodes.count, 20);
    assert.equal(draft.training.episodes.classes, 'test', 'fields the form does not show are kept');
    assert.equal(validateExperiment(draft).ok, true);
    await page.close();
  });

  it('choosing a preset keeps the fields the form does not show', async () => {
    const page = await openForm();
    await page.locator('#preset').selectOption('oja-pca');
    await page.locator('#run').click();
    const run = await lastRun(page);
    const pca = presetChoices().find((p) => p.id === 'oja-pca')!;
    assert.deepEqual(run?.draft, pca.draft);
    await page.close();
  });

  it('a downloaded dataset fills in the IDX fields', async () => {
    const page = await openApp(browser, 'form');
    serveValidation(page);
    const data = { source: 'idx', trainImages: '/d/train-images-idx3-ubyte.gz', trainLabels: '/d/train-labels-idx1-ubyte.gz', testImages: '/d/t10k-images-idx3-ubyte.gz', testLabels: '/d/t10k-labels-idx1-ubyte.gz' };
    await fromHost(page, { type: 'host/init', presets: presetChoices(), datasets: [{ id: 'fashion-mnist', title: 'Fashion-MNIST', data }], draft: null, activeRuns: 0 });
    await page.locator('#downloaded-dataset').selectOption('fashion-mnist');
    assert.equal(await page.locator('#field-data-source').inputValue(), 'idx');
    assert.equal(await page.locator('#field-data-testLabels').isVisible(), true);
    await page.locator('#run').click();
    assert.deepEqual((await lastRun(page))?.draft.data, data);
    await page.close();
  });

  it("a value typed before the host's first message is kept, over the starting preset", async () => {
    const page = await openForm(undefined, (early) => early.locator('#field-rule-terms-decay').fill('0.0002'));
    assert.equal(await page.locator('#preset').inputValue(), 'online-learning');
    assert.equal(await page.locator('#field-rule-terms-decay').inputValue(), '0.0002');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
    await page.locator('#run').click();
    const run = await lastRun(page);
    assert.deepEqual((run?.draft.model as { layers: number[] }).layers, [784, 170, 130, 100, 70, 10]);
    assert.deepEqual((run?.draft.rule as { terms: unknown }).terms, { decay: 0.0002 });
    await page.close();
  });

  it('keeps the draft across a reload (webview state)', async () => {
    const page = await openForm();
    await page.locator('#field-rule-oja').fill('0.0077');
    await page.locator('#field-seed').fill('41');
    const state = await page.evaluate(() => (window as unknown as { savedState: unknown }).savedState);
    await page.close();
    const again = await openApp(browser, 'form', state);
    await fromHost(again, { type: 'host/init', presets: presetChoices(), datasets: [], draft: null, activeRuns: 1 });
    await again.waitForFunction(() => (document.getElementById('field-rule-oja') as HTMLInputElement).value === '0.0077');
    assert.equal(await again.locator('#field-seed').inputValue(), '41');
    assert.equal(await again.locator('#stop').textContent(), 'Stop (1)');
    await again.close();
  });
});
