/** Configs round-trip between experiment files and the form's fields. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { draftFromValues, placeIssue, sweepKey, valuesFromDraft } from '../../webview-ui/form/fields';
import { parseExperiment, validateExperiment } from '../../src/engine/config/validate';
import { presetChoices } from '../../src/extension/presetChoices';

describe('form fields ⇄ experiment files', () => {
  for (const preset of presetChoices()) {
    it(`${preset.id}: file → form → file gives the same run`, () => {
      const values = valuesFromDraft(preset.draft);
      assert.deepEqual(parseExperiment(draftFromValues(values, preset.draft)), parseExperiment(preset.draft));
      // An edit lands and nothing else moves (θ unticked, if the preset swept it).
      const edited = parseExperiment(draftFromValues({ ...values, 'rule.oja': '0.0042', [sweepKey('rule.oja')]: 'false' }, preset.draft));
      const expected = parseExperiment(preset.draft);
      const sweep = { ...expected.sweep };
      delete sweep['rule.oja'];
      assert.deepEqual(edited, { ...expected, rule: { ...expected.rule, oja: 0.0042 }, ...(Object.keys(sweep).length > 0 ? { sweep } : {}) });
      if (Object.keys(sweep).length === 0) assert.equal(edited.sweep, undefined);
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

  it('a "sweep" tick turns a field into a list of values, in the grid\'s order, with other sweeps kept', () => {
    const base = { rule: { oja: 0.001 }, sweep: { 'rule.ojaOnOutput': [true, false], seed: [1, 2] } };
    const values = valuesFromDraft(base);
    assert.equal(values[sweepKey('seed')], 'true');
    assert.equal(values.seed, '1, 2');
    const draft = draftFromValues({ ...values, 'rule.oja': '0, 0.0003 0.001', [sweepKey('rule.oja')]: 'true' }, base);
    assert.deepEqual(draft.sweep, { 'rule.ojaOnOutput': [true, false], seed: [1, 2], 'rule.oja': [0, 0.0003, 0.001] });
    assert.deepEqual(Object.keys(draft.sweep as object), ['rule.ojaOnOutput', 'seed', 'rule.oja']);
    assert.equal((draft.rule as { oja: number }).oja, 0.001, 'the base value stays; the list is the sweep');
    const config = parseExperiment(draft);
    assert.deepEqual(config.sweep?.['rule.oja'], [0, 0.0003, 0.001]);
    // Unticking removes that sweep; none left removes the sweep entirely.
    const unticked = draftFromValues({ ...values, [sweepKey('seed')]: 'false', seed: '7' }, { sweep: { seed: [1, 2] } });
    assert.equal(unticked.sweep, undefined);
    assert.equal(unticked.seed, 7);
  });

  it('a bad value in a swept field is reported on that field, naming which value', () => {
    const result = validateExperiment(draftFromValues({ 'rule.errorTerm': 'true', 'rule.oja': '0, -1', [sweepKey('rule.oja')]: 'true' }));
    assert.equal(result.ok, false);
    const issue = !result.ok ? result.issues[0]! : null;
    const placed = placeIssue(issue!);
    assert.equal(placed?.field.path, 'rule.oja');
    assert.match(placed!.text, /^value 2: /);
  });
});
