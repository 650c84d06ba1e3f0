/** Number lists written short in labels, legends and run ids. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactNumberList, displayValue } from '../../src/shared/numberList';
import { labelFor } from '../../src/engine/config/sweep';
import { legendName } from '../../src/shared/configDiff';
import { runIdFor } from '../../src/runFiles/runFolder';

const deep = [784, ...Array(14).fill(100), 10];

describe('compact number lists', () => {
  it('writes runs of three or more as value x count, and shorter runs out', () => {
    assert.equal(compactNumberList(deep), '784-100x14-10');
    assert.equal(compactNumberList([784, 170, 130, 100, 70, 10]), '784-170-130-100-70-10');
    assert.equal(compactNumberList([784, 100, 100, 10]), '784-100-100-10');
    assert.equal(compactNumberList([0.001, 0.001, 0.001]), '0.001x3');
    assert.equal(displayValue('backprop'), 'backprop');
    assert.equal(displayValue(0.003), '0.003');
    assert.equal(displayValue([true, false]), '[true,false]');
  });

  it('keeps every swept value in sweep labels, legends and run ids, however deep the network', () => {
    const label = labelFor({ 'model.layers': deep, 'rule.oja': 0.0003, seed: 2 });
    assert.equal(label, 'layers=784-100x14-10 oja=0.0003 seed=2');
    assert.equal(legendName({ 'model.layers': JSON.stringify(deep), 'rule.feedback': '"backprop"' }, ['model.layers', 'rule.feedback'], ''), 'layers=784-100x14-10 feedback="backprop"');
    assert.equal(runIdFor('deep network', label, new Date('2026-11-28T02:30:00Z')), 'deep-network-20261128-023000-layers=784-100x14-10-oja=0.0003-seed=2');
  });

  it('labels a swept object by its leaves, not its JSON; an empty one by itself', () => {
    assert.equal(
      labelFor({ rule: { feedback: 'feedback-alignment', learningRate: 0.03, terms: { errorHebbian: 0.001 } }, 'training.episodes.shots': 5 }),
      'feedback=feedback-alignment learningRate=0.03 errorHebbian=0.001 shots=5',
    );
    assert.equal(labelFor({ 'rule.terms': {}, seed: 1 }), 'terms={} seed=1');
    // A label too long for a folder name keeps its start and its end, where the seed is.
    const id = runIdFor('meta', 'feedback=feedback-alignment learningRate=0.01 oja=0.001 errorHebbian=0.001 seed=3', new Date('2026-12-02T10:00:00Z'));
    assert.equal(id, 'meta-20261202-100000-feedback=feedback-alignment-le--01-errorhebbian=0.001-seed=3');
  });
});
