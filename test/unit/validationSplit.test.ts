/** data.validationSize: evaluation on the last training samples, never on the test split. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../src/engine/data/load';
import { parseExperiment } from '../../src/engine/config/validate';
import { ConfigError } from '../../src/engine/config/issues';

const load = (data: Record<string, unknown>) => loadDataset(parseExperiment({ data: { source: 'mnist', ...data } }), { baseDir: process.cwd() });

describe('validation split', () => {
  it('evaluates on the last N training samples and trains on the ones before them', () => {
    const full = load({});
    const carved = load({ validationSize: 500 });
    assert.equal(carved.train.count, 7500);
    assert.equal(carved.test.count, 500);
    assert.deepEqual([...carved.test.labels], [...full.train.labels.subarray(7500)]);
    assert.deepEqual([...carved.test.inputs.subarray(0, 784)], [...full.train.inputs.subarray(7500 * 784, 7501 * 784)]);
    assert.deepEqual([...carved.train.labels], [...full.train.labels.subarray(0, 7500)]);
    assert.match(carved.description, /evaluated on the last 500 training samples \(validation\)/);
    // trainSize then takes the first samples of what is left; none of them is a validation sample.
    assert.equal(load({ validationSize: 500, trainSize: 1000 }).train.count, 1000);
  });

  it('refuses a validation split that leaves nothing to train on', () => {
    assert.throws(() => load({ validationSize: 8000 }), (error: ConfigError) => error.issues[0]!.path === 'data.validationSize' && /8000 leaves no training samples; MNIST \(bundled\) has 8000, so use at most 7999/.test(error.issues[0]!.message));
  });
});
