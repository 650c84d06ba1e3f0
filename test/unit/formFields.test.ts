/** Configs round-trip between experiment files and the form's fields. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { draftFromValues, perLayerKey, placeIssue, setPerLayer, sweepKey, valuesFromDraft } from '../../webview-ui/form/fields';
import { parseExperiment, validateExperiment } from '../../src/engine/config/validate';
import { presetChoices } from '../../src/extension/presetChoices';

describe('form fields ⇄ experiment files', () => {
  for (const preset of presetChoices()) {
    it(`${preset.id}: file → form → file gives the same run`, () => {
      const values = valuesFromDraft(preset.draft);
      assert.deepEqual(parseExperiment(draftFromValues(values, preset.draft)), parseExperiment(preset.draft));
      // An edit lands and nothing else moves (θ unticked, if the preset swept it); a recurrent draft's θ is per matrix.
      const recurrent = valuesFromDraft(preset.draft)['model.kind'] === 'rnn';
      const ojaField = recurrent ? 'rule.oja.rec' : 'rule.oja';
      const edited = parseExperiment(draftFromValues({ ...values, [ojaField]: '0.0042', [sweepKey(ojaField)]: 'false' }, preset.draft));
      const expected = parseExperiment(preset.draft);
      const sweep = { ...expected.sweep };
      delete sweep[ojaField];
      const oja = recurrent ? { ...(expected.rule.oja as object), rec: 0.0042 } : 0.0042;
      assert.deepEqual(edited, { ...expected, rule: { ...expected.rule, oja }, ...(Object.keys(sweep).length > 0 ? { sweep } : {}) });
      if (Object.keys(sweep).length === 0) assert.equal(edited.sweep, undefined);
    });
  }

  it("a recurrent draft: θ per matrix (one θ shows on all three), delays as a list, and the feed-forward θ hidden", () => {
    const draft = { data: { source: 'delayed-recall', delay: [5, 10, 20] }, model: { kind: 'rnn', layers: [9, 64, 8] }, rule: { oja: 0.001 } };
    const values = valuesFromDraft(draft);
    assert.equal(values['data.delay'], '5, 10, 20');
    assert.deepEqual([values['rule.oja.in'], values['rule.oja.rec'], values['rule.oja.out']], ['0.001', '0.001', '0.001']);
    const back = draftFromValues({ ...values, 'rule.oja.in': '', 'rule.oja.out': '0', 'data.delay': '40' }, draft);
    assert.deepEqual(back.rule, { oja: { rec: 0.001, out: 0 }, errorTerm: true });
    assert.equal((back.data as { delay: unknown }).delay, 40, 'one delay is a number');
    assert.deepEqual(parseExperiment(draftFromValues(values, draft)).rule.oja, { in: 0.001, rec: 0.001, out: 0.001 }, 'the same θ on every matrix');
    // Back to a feed-forward network: the per-matrix fields go, the one θ comes back.
    const mlp = draftFromValues({ ...values, 'model.kind': 'mlp', 'data.source': 'mnist', 'model.layers': '784-10', 'rule.oja': '0.002' }, draft);
    assert.equal((mlp.rule as { oja: unknown }).oja, 0.002);
    assert.equal((mlp.data as { delay?: unknown }).delay, undefined);
  });

  it('a memory-capacity draft: K, the steps per sequence and the ridge count; the symbols do not', () => {
    const values = { 'data.source': 'memory-capacity', 'data.symbols': '4', 'data.delay': '30', 'data.length': '80', 'data.ridge': '0.001', 'model.kind': 'rnn', 'model.layers': '1-32-30', 'rule.errorTerm': 'true' };
    const draft = draftFromValues(values);
    assert.deepEqual(draft.data, { source: 'memory-capacity', delay: 30, length: 80, ridge: 0.001 });
    assert.deepEqual(parseExperiment({ name: 'mc', ...draft }).data.ridge, 0.001);
  });

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

  it('the term table: a coefficient per term, a list with the per-layer toggle, empty rows leave no rule.terms', () => {
    const values = valuesFromDraft({ model: { layers: [784, 100, 50, 10] }, rule: { terms: { sanger: 0.001, decay: [0, 0.0001, 0] } } });
    assert.equal(values['rule.terms.sanger'], '0.001');
    assert.equal(values[perLayerKey('rule.terms.sanger')], 'false');
    assert.equal(values['rule.terms.decay'], '0, 0.0001, 0');
    assert.equal(values[perLayerKey('rule.terms.decay')], 'true');
    const draft = draftFromValues({ ...values, 'rule.terms.hebbian': '1e-5', 'rule.errorTerm': 'true' });
    assert.deepEqual(draft.rule, { errorTerm: true, terms: { sanger: 0.001, decay: [0, 0.0001, 0], hebbian: 1e-5 } });
    assert.deepEqual(parseExperiment(draft).rule.terms, { sanger: 0.001, decay: [0, 0.0001, 0], hebbian: 1e-5 });
    // Per layer on repeats the one value for every weight layer; off keeps the first.
    const spread = setPerLayer(values, 'rule.terms.sanger', true);
    assert.equal(spread['rule.terms.sanger'], '0.001, 0.001, 0.001');
    assert.equal(setPerLayer(spread, 'rule.terms.sanger', false)['rule.terms.sanger'], '0.001');
    assert.deepEqual(draftFromValues({ 'model.layers': '784-10', 'rule.errorTerm': 'true' }).rule, { errorTerm: true }, 'no terms, no rule.terms');
  });

  it("a term's bad value is placed on its row: a list without the toggle, a list of the wrong length, a word", () => {
    const issues = (values: Record<string, string>) => {
      const result = validateExperiment(draftFromValues({ 'model.layers': '784-100-10', 'rule.errorTerm': 'true', ...values }));
      return result.ok ? [] : result.issues.map((issue) => { const placed = placeIssue(issue)!; return `${placed.field.path}: ${placed.text}`; });
    };
    assert.deepEqual(issues({ 'rule.terms.sanger': '0.1, 0.2' }), ['rule.terms.sanger: "0.1, 0.2" is not allowed; expected a number, or a list of numbers with one per weight layer']);
    assert.deepEqual(issues({ 'rule.terms.sanger': '0.1, 0.2, 0.3', [perLayerKey('rule.terms.sanger')]: 'true' }), ['rule.terms.sanger: [0.1,0.2,0.3] has 3 entries; expected one number, or 2 (one per weight layer of model.layers)']);
    assert.deepEqual(issues({ 'rule.terms.decay': 'some' }), ['rule.terms.decay: "some" is not allowed; expected a number, or a list of numbers with one per weight layer']);
  });

  it('meta-learning fields show for a draft that meta-learns, and its learned coefficients are a list of words', () => {
    const preset = presetChoices().find((p) => p.id === 'meta-learned-rule')!;
    const values = valuesFromDraft(preset.draft);
    assert.equal(values['meta.learn'], 'error');
    assert.equal(values['meta.episodes'], '600');
    const draft = draftFromValues({ ...values, 'meta.learn': 'error, oja', 'meta.episodes': '50' }, preset.draft);
    assert.deepEqual((draft.meta as { learn: string[] }).learn, ['error', 'oja']);
    assert.equal((draft.meta as { episodes: number }).episodes, 50);
    assert.equal(parseExperiment(draft).meta!.learn!.length, 2);
    const plain = valuesFromDraft(presetChoices().find((p) => p.id === 'online-learning')!.draft);
    assert.equal(plain['meta.learn'], undefined);
    assert.equal(draftFromValues(plain).meta, undefined, 'no meta fields leak into a draft without meta-learning');
  });
});
