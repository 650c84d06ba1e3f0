/** The one validator: defaults, and a clear message for every way a config can be wrong. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateExperiment, parseExperiment } from '../../src/engine/config/validate';
import { ConfigError, formatIssue } from '../../src/engine/config/issues';
import { expandSweep } from '../../src/engine/config/sweep';
import { getPath, setPath } from '../../src/engine/config/paths';
import { applyOverrides } from '../../src/cli/experimentFile';

function issuesOf(input: unknown): string[] {
  const result = validateExperiment(input);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('defaults', () => {
  it('an empty object is the online-learning network with the defaults of docs/SCIENCE.md', () => {
    const config = parseExperiment({});
    assert.deepEqual(config.model, {
      layers: [784, 170, 130, 100, 70, 10],
      activation: 'softplus',
      softplusBeta: 10,
      bias: false,
      normalization: 'none',
      normalizationAffine: true,
      init: { scheme: 'xavier-uniform', gain: 1 },
    });
    assert.deepEqual(config.rule, {
      feedback: 'backprop',
      learningRate: 0.01,
      oja: 0,
      ojaOnOutput: true,
      errorTerm: true,
      terms: {},
      optimizer: 'sgd',
      adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    });
    assert.deepEqual(config.training, { batchSize: 1, evalEvery: 500, probeSize: 256 });
    assert.deepEqual(config.data, { source: 'mnist', shuffle: true, decay: 0.7 });
    assert.equal(config.seed, 0);
  });

  it('does not modify its input', () => {
    const input = { rule: { oja: 0.1 } };
    parseExperiment(input);
    assert.deepEqual(input, { rule: { oja: 0.1 } });
  });
});

describe('error messages name the field, the value and what is allowed', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', [1, 2], 'expected a JSON object, got [1,2]'],
    ['unknown field', { rule: { ojaa: 1 } }, 'rule.ojaa: unknown field; allowed fields here: feedback, learningRate, oja, ojaOnOutput, errorTerm, terms, optimizer, adam'],
    ['unknown top-level field', { epochs: 3 }, 'epochs: unknown field; allowed fields here: $schema, name, description, seed, data, model, rule, training, meta, sweep'],
    ['enum', { model: { activation: 'sigmoid' } }, 'model.activation: "sigmoid" is not allowed; expected one of "softplus", "relu", "tanh", "linear"'],
    ['data source', { data: { source: 'cifar' } }, 'data.source: "cifar" is not allowed; expected one of "mnist", "idx", "synthetic-gaussian", "delayed-recall", "copy", "memory-capacity", "sequential-mnist"'],
    ['negative learning rate', { rule: { learningRate: -1 } }, 'rule.learningRate: -1 is not allowed; must be >= 0'],
    ['zero gain', { model: { init: { gain: 0 } } }, 'model.init.gain: 0 is not allowed; must be > 0'],
    ['fractional seed', { seed: 1.5 }, 'seed: 1.5 is not allowed; expected a whole number'],
    ['string for number', { training: { batchSize: '8' } }, 'training.batchSize: "8" is not allowed; expected a whole number'],
    ['one layer', { model: { layers: [784] } }, 'model.layers: [784] is not allowed; needs at least 2 entries'],
    ['zero-width layer', { model: { layers: [784, 0, 10] } }, 'model.layers.1: 0 is not allowed; must be >= 1'],
    ['oja wrong type', { rule: { oja: 'big' } }, 'rule.oja: "big" is not allowed; expected a number >= 0, or a list of numbers >= 0 with one per weight layer'],
    ['oja negative', { rule: { oja: -0.1 } }, 'rule.oja: -0.1 is not allowed; expected a number >= 0, or a list of numbers >= 0 with one per weight layer'],
    ['oja list length', { model: { layers: [4, 3, 2] }, rule: { oja: [0.1, 0.2, 0.3] } }, 'rule.oja: [0.1,0.2,0.3] has 3 entries; expected one number, or 2 (one per weight layer of model.layers)'],
    ['idx paths', { data: { source: 'idx', trainImages: 'a' } }, 'data.trainLabels: is required when data.source is "idx"'],
    ['epochs and steps', { training: { epochs: 1, steps: 5 } }, 'training.steps: set either training.epochs or training.steps, not both'],
    ['adam without error term', { rule: { errorTerm: false, optimizer: 'adam' } }, 'rule.optimizer: "adam" acts on the error term, which rule.errorTerm turns off; use "sgd"'],
    ['single output', { model: { layers: [4, 1] } }, 'model.layers: the output layer has 1 unit; a classifier needs at least 2'],
    ['empty name', { name: '' }, 'name: "" is not allowed; must not be empty'],
    ['sweep value', { sweep: { 'rule.oja': [0, -1] } }, 'sweep["rule.oja"][1]: -1 is not allowed; expected a number >= 0, or a list of numbers >= 0 with one per weight layer'],
    ['sweep unknown field', { sweep: { 'rule.foo': [1] } }, 'sweep["rule.foo"][0]: unknown field; allowed fields here: feedback, learningRate, oja, ojaOnOutput, errorTerm, terms, optimizer, adam'],
    ['sweep empty list', { sweep: { seed: [] } }, 'sweep["seed"]: [] is not allowed; needs at least 1 entries'],
    ['sweep empty list on a dotted path', { sweep: { 'rule.oja': [] } }, 'sweep["rule.oja"]: [] is not allowed; needs at least 1 entries'],
    ['sweep of sweep', { sweep: { sweep: [1] } }, 'sweep["sweep"]: a sweep cannot sweep itself'],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => assert.ok(issuesOf(input).includes(message), `got ${JSON.stringify(issuesOf(input))}`));
  }

  it('reports every problem at once', () => {
    assert.equal(issuesOf({ rule: { learningRate: -1, feedback: 'x' }, seed: -2 }).length, 3);
  });

  it('ConfigError lists the issues under the source file', () => {
    assert.throws(() => parseExperiment({ seed: 'x' }, 'my.plasticity.json'), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, 'my.plasticity.json: invalid experiment\n  - seed: "x" is not allowed; expected a whole number');
      return true;
    });
  });
});

describe('sweeps', () => {
  it('expands the grid in order, each member validated and labelled', () => {
    const config = parseExperiment({ rule: { oja: 0.5 }, sweep: { 'rule.oja': [0, 0.001], seed: [1, 2, 3] } });
    const members = expandSweep(config);
    assert.equal(members.length, 6);
    assert.deepEqual(
      members.map((m) => [m.config.rule.oja, m.config.seed, m.label]),
      [
        [0, 1, 'oja=0 seed=1'],
        [0, 2, 'oja=0 seed=2'],
        [0, 3, 'oja=0 seed=3'],
        [0.001, 1, 'oja=0.001 seed=1'],
        [0.001, 2, 'oja=0.001 seed=2'],
        [0.001, 3, 'oja=0.001 seed=3'],
      ],
    );
    assert.ok(members.every((m) => m.config.sweep === undefined));
    assert.deepEqual(members[4]!.assignments, { 'rule.oja': 0.001, seed: 2 });
  });

  it('a config without a sweep is one member with an empty label', () => {
    const members = expandSweep(parseExperiment({ seed: 4 }));
    assert.deepEqual(members.map((m) => [m.label, m.config.seed]), [['', 4]]);
  });

  it('sweeps nested fields and list values', () => {
    const members = expandSweep(parseExperiment({ sweep: { 'model.init.gain': [0.3, 3], 'model.layers': [[784, 10], [784, 50, 10]] } }));
    assert.deepEqual(members.map((m) => [m.config.model.init.gain, m.config.model.layers.length]), [[0.3, 2], [0.3, 3], [3, 2], [3, 3]]);
  });
});

describe('field paths and command-line overrides', () => {
  it('get and set dotted paths, creating objects on the way', () => {
    const target: Record<string, unknown> = {};
    setPath(target, 'rule.adam.beta1', 0.8);
    assert.deepEqual(target, { rule: { adam: { beta1: 0.8 } } });
    assert.equal(getPath(target, 'rule.adam.beta1'), 0.8);
    assert.equal(getPath(target, 'rule.missing.x'), undefined);
  });

  it('--set reads JSON values, else strings; --steps replaces epochs', () => {
    const out = applyOverrides({ training: { epochs: 3 } }, { set: ['rule.oja=0.001', 'model.activation=tanh', 'model.layers=[4,3,2]'], steps: 50 });
    assert.deepEqual(out, { training: { steps: 50 }, rule: { oja: 0.001 }, model: { activation: 'tanh', layers: [4, 3, 2] } });
  });

  it('--set without "=" is bad input', () => {
    assert.throws(() => applyOverrides({}, { set: ['rule.oja'] }), /--set "rule.oja": expected path=value/);
  });
});

describe('a joined sweep axis ("rule,meta.learn"): several paths set together', () => {
  const base = {
    model: { layers: [784, 20, 10] },
    training: { episodes: { ways: 5, shots: 2, queries: 2, classes: 'train' } },
    meta: { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9], learn: ['error'], episodes: 3 },
  };
  it('pairs each rule with its learned coefficients, labelled by every value', () => {
    const members = expandSweep(parseExperiment({ ...base, sweep: { 'rule,meta.learn': [[{ learningRate: 0.01 }, ['error']], [{ feedback: 'feedback-alignment', oja: 0.001, terms: { errorHebbian: 0.001 } }, ['error', 'errorHebbian', 'oja']]], seed: [1, 2] } }));
    assert.equal(members.length, 4);
    assert.deepEqual(members.map((m) => [m.config.rule.feedback, m.config.meta!.learn, m.config.seed]), [
      ['backprop', ['error'], 1],
      ['backprop', ['error'], 2],
      ['feedback-alignment', ['error', 'errorHebbian', 'oja'], 1],
      ['feedback-alignment', ['error', 'errorHebbian', 'oja'], 2],
    ]);
    assert.equal(members[2]!.label, 'feedback=feedback-alignment oja=0.001 errorHebbian=0.001 learn=["error","errorHebbian","oja"] seed=1');
  });
  it('a value that is not one entry per path, or a member that does not validate, is named', () => {
    const issues = (sweep: Record<string, unknown>) => {
      const result = validateExperiment({ ...base, sweep });
      return result.ok ? [] : result.issues.map(formatIssue);
    };
    assert.deepEqual(issues({ 'rule,meta.learn': [[{ learningRate: 0.01 }]] }), ['sweep["rule,meta.learn"][0]: [{"learningRate":0.01}] is not allowed; expected a list of 2 values, one for each of rule, meta.learn']);
    assert.deepEqual(issues({ 'rule,meta.learn': [[{ learningRate: 0.01 }, ['sanger']]] }), ['sweep["rule,meta.learn"][0]: "sanger" is not in the rule; give rule.terms.sanger its starting value']);
    assert.deepEqual(issues({ 'rule,sweep.x': [[{}, 1]] }), ['sweep["rule,sweep.x"]: a sweep cannot sweep itself']);
  });
});
