/** Legends name what differs between runs, leaving out what only changes measurement. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { differingFields, flatten, legendName } from '../../src/shared/configDiff';

describe('config differences', () => {
  const a = flatten({ name: 'a', rule: { oja: 0 }, training: { evalEvery: 1000 }, seed: 1, sweep: { seed: [1] } });
  const b = flatten({ name: 'b', rule: { oja: 0.002 }, training: { evalEvery: 500, steps: 10 }, seed: 1 });
  it('flattens to dotted paths, without sweep or description', () => {
    assert.deepEqual(a, { name: '"a"', 'rule.oja': '0', 'training.evalEvery': '1000', seed: '1' });
  });
  it('lists fields that differ in what is learned, missing ones included', () => {
    assert.deepEqual(differingFields([a, b]), ['rule.oja', 'training.steps']);
    assert.deepEqual(differingFields([a]), []);
  });
  it('names a run by those fields', () => {
    assert.equal(legendName(b, ['rule.oja', 'training.steps'], 'x'), 'oja=0.002 steps=10');
    assert.equal(legendName(a, ['rule.oja', 'training.steps'], 'x'), 'oja=0', 'a field the run does not set is left out, not shown as ∅');
    assert.equal(legendName(a, [], 'fallback'), 'fallback');
    assert.equal(legendName({}, ['rule.oja'], 'fallback'), 'fallback');
  });
  it('a run without a config (a deleted folder) never enters the comparison', () => {
    assert.deepEqual(differingFields([a, {}]), []);
    assert.deepEqual(differingFields([a, b, {}]), ['rule.oja', 'training.steps']);
  });
});
