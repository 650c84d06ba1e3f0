/**
 * Meta-learning's inner loop: its trajectory is the executors' rule (the float64 reference), and the
 * gradient of the query loss with respect to each learned coefficient, carried forward through every
 * online step, equals central finite differences of the query loss, for every term, BP and FA.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InnerLoop, LEARNABLE, type Learnable } from '../../src/engine/meta/innerLoop';
import { innerRuleOf } from '../../src/engine/meta/coefficients';
import { prepareRun } from '../../src/engine/trainer';
import { referenceState, referenceStep, toMatrix, type Matrix } from '../helpers/reference';
import { referenceRuleOf } from '../helpers/referenceRule';
import { assertClose, randomSplit, tinyConfig } from '../helpers/fixtures';

const TERMS = { ojaSingle: 0.03, sanger: 0.02, hebbian: 0.01, decay: 0.002, errorHebbian: 0.03 };
const support = randomSplit(10, 6, 3, 41);
const query = randomSplit(12, 6, 3, 42);

function innerLoop(overrides: Record<string, unknown>, learned: Learnable[], values?: number[]) {
  const config = tinyConfig(overrides);
  const { params, feedback } = prepareRun(config);
  const start = learned.map((name) => (name === 'error' ? config.rule.learningRate : name === 'oja' ? (config.rule.oja as number) : ((config.rule.terms as Record<string, number>)[name] ?? 0)));
  const rule = innerRuleOf(config, feedback, learned, values ?? start);
  const loop = new InnerLoop(config.model.layers, params.map((p) => p.weights), rule);
  for (let s = 0; s < support.count; s++) loop.step(support.inputs.subarray(s * 6, s * 6 + 6), support.labels[s]!);
  return { loop, config, params, feedback, start };
}

describe("the inner loop follows the executors' rule", () => {
  for (const feedback of ['backprop', 'feedback-alignment']) {
    it(`${feedback}, every term: the same weights as the float64 reference after ten steps`, () => {
      const { loop, config, params, feedback: b } = innerLoop({ rule: { feedback, oja: 0.05, terms: TERMS } }, []);
      const rule = referenceRuleOf(config, params, b);
      const state = referenceState(params.map((p) => toMatrix(p.weights, p.nOut, p.nIn)), rule);
      let weights: Matrix[] = params.map((p) => toMatrix(p.weights, p.nOut, p.nIn));
      for (let s = 0; s < support.count; s++) {
        weights = referenceStep(weights, [{ x: Array.from(support.inputs.subarray(s * 6, s * 6 + 6)), label: support.labels[s]! }], rule, state).weights;
      }
      loop.weights().forEach((w, l) => assertClose(w, weights[l]!.flat(), 1e-9, `layer ${l}`));
    });
  }
});

describe('the meta-gradient against central finite differences of the query loss', () => {
  const h = 1e-6;
  for (const feedback of ['backprop', 'feedback-alignment']) {
    for (const activation of ['softplus', 'tanh']) {
      for (const name of LEARNABLE) {
        it(`${feedback}, ${activation}: d(query loss)/d${name}`, () => {
          const overrides = { model: { activation }, rule: { feedback, learningRate: 0.1, oja: 0.05, terms: TERMS } };
          const { loop, start } = innerLoop(overrides, [name]);
          const [gradient] = loop.query(query.inputs, query.labels, query.count).gradient;
          const lossAt = (value: number) => innerLoop(overrides, [name], [value]).loop.query(query.inputs, query.labels, query.count).loss;
          const numeric = (lossAt(start[0]! + h) - lossAt(start[0]! - h)) / (2 * h);
          assert.ok(Math.abs(numeric) > 1e-6, `the loss depends on ${name} (${numeric})`);
          assert.ok(Math.abs(gradient! - numeric) <= 1e-6 * Math.abs(numeric), `${name}: forward-mode ${gradient} vs finite differences ${numeric}`);
        });
      }
    }
  }

  it('several coefficients at once give each its own gradient, as when learned alone', () => {
    const overrides = { rule: { feedback: 'feedback-alignment', learningRate: 0.1, oja: 0.05, terms: TERMS } };
    const together = innerLoop(overrides, ['error', 'errorHebbian', 'oja']).loop.query(query.inputs, query.labels, query.count).gradient;
    const alone = (['error', 'errorHebbian', 'oja'] as const).map((name) => innerLoop(overrides, [name]).loop.query(query.inputs, query.labels, query.count).gradient[0]!);
    assertClose(together, alone, 1e-12, 'gradients');
  });

  it('ojaOnOutput: false leaves the output layer out of θ, and its gradient agrees', () => {
    const overrides = { rule: { ojaOnOutput: false, learningRate: 0.1, oja: 0.05 } };
    const { loop, start } = innerLoop(overrides, ['oja']);
    const [gradient] = loop.query(query.inputs, query.labels, query.count).gradient;
    const lossAt = (value: number) => innerLoop(overrides, ['oja'], [value]).loop.query(query.inputs, query.labels, query.count).loss;
    const numeric = (lossAt(start[0]! + h) - lossAt(start[0]! - h)) / (2 * h);
    assert.ok(Math.abs(gradient! - numeric) <= 1e-6 * Math.abs(numeric), `${gradient} vs ${numeric}`);
  });
});
