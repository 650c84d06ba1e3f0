/** Configs round-trip between experiment files and the form's fields. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { draftFromValues, valuesFromDraft } from '../../webview-ui/form/fields';
import { parseExperiment, validateExperiment } from '../../src/engine/config/validate';
import { presetChoices } from '../../src/extension/presetChoices';

describe('form fields ⇄ experiment files', () => {
  for (const preset of presetChoices()) {
    it(`${preset.id}: file → form → file gives the same run`, () => {
      const values = valuesFromDraft(preset.draft);
      assert.deepEqual(parseExperiment(draftFromValues(values, preset.draft)), parseExperiment(preset.draft));
      // An edit lands and nothing else moves.
      const edited = parseExperiment(draftFromValues({ ...values, 'rule.oja': '0.0042' }, preset.draft));
      assert.deepEqual(edited, { ...parseExperiment(preset.draft), rule: { ...parseExperiment(preset.draft).rule, oja: 0.0042 } });
    });
  }

  it('layers are written as 784-170-10 and read back as numbers', () => {
    assert.equal(valuesFromDraft({ model: { layers: [784, 170, 10] } })['model.layers'], '784-170-10');
    assert.deepEqual(draftFromValues({ 'model.layers': '784, 170 10', 'rule.errorTerm': 'true' }), { model: { layers: [784, 170, 10] }, rule: { errorTerm: true } });
    assert.deepEqual(draftFromValues({ 'rule.errorTerm': 'true', 'training.epochs': '' }, { training: { epochs: 2, probeSize: 9 } }), { rule: { errorTerm: true }, training: { probeSize: 9 } }, 'emptied fields are removed, unseen ones kept');
  });

  it('text that is not a number reaches the validator as text, which names it', () => {
    const result = validateExperiment(draftFromValues({ 'rule.learningRate': 'fast', 'rule.errorTerm': 'true' }));
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.issues, [{ path: 'rule.learningRate', message: '"fast" is not allowed; expected a number' }]);
  });

  it('IDX file fields count only when the source is idx', () => {
    const values = { 'data.source': 'mnist', 'data.trainImages': 'x.gz', 'rule.errorTerm': 'true' };
    assert.deepEqual(draftFromValues(values, { data: { trainImages: 'old.gz' } }), { data: { source: 'mnist' }, rule: { errorTerm: true } });
  });
});
