/** The update rule, checked against hand-computed values and an independent float64 reference. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { OnlineExecutor } from '../../src/engine/executors/online';
import { TfjsExecutor } from '../../src/engine/executors/tfjs';
import { WasmOnlineExecutor } from '../../src/engine/executors/wasmOnline';
import { initBackend } from '../../src/engine/backend';
import { createExecutor, prepareRun } from '../../src/engine/trainer';
import type { ExecutorName, TrainingExecutor } from '../../src/engine/executors/executor';
import type { NetworkParams } from '../../src/engine/model/params';
import { referenceState, referenceStep, toMatrix, type Matrix, type ReferenceRule } from '../helpers/reference';
import { extraTerms } from '../../src/engine/model/params';
import { chooseExecutor } from '../../src/engine/trainer';
import { parseExperiment, validateExperiment } from '../../src/engine/config/validate';
import { expandSweep } from '../../src/engine/config/sweep';
import { assertClose, randomSplit, tinyConfig } from '../helpers/fixtures';
import { referenceRuleOf } from '../helpers/referenceRule';

before(async () => {
  await initBackend('auto');
});

describe('one online step, computed by hand', () => {
  // x = [1, 0.5], W = [[0.1, 0.2], [0.3, -0.1]], label 0, η = 0.5, θ = 0.1, output softmax.
  // z = [0.2, 0.25]; p = [0.4875026, 0.5124974]; e = p − [1, 0] = [−0.5124974, 0.5124974]
  // Wᵀp = [0.2024993, 0.0462506]; W + (−η e + θ p) xᵀ − θ p (Wᵀp)ᵀ:
  const expected = [0.39512706, 0.35024474, 0.084623, -0.20486982];
  const config = tinyConfig({ model: { layers: [2, 2], activation: 'linear' }, rule: { learningRate: 0.5, oja: 0.1 }, training: { steps: 1 } });
  const params: NetworkParams = [{ nOut: 2, nIn: 2, weights: Float32Array.from([0.1, 0.2, 0.3, -0.1]), bias: null }];
  const train = { count: 1, inputs: Float32Array.from([1, 0.5]), labels: Uint8Array.from([0]) };

  for (const [name, make] of [
    ['online (WebAssembly SIMD)', () => new WasmOnlineExecutor(config, params, null, train)],
    ['online-js', () => new OnlineExecutor(config, params, null, train)],
    ['tfjs', () => new TfjsExecutor(config, params, null, train)],
  ] as const) {
    it(`${name} executor`, () => {
      const executor: TrainingExecutor = make();
      executor.step([0]);
      assertClose(executor.params()[0]!.weights, expected, 1e-6, 'W');
      const { sum, count } = executor.takeLoss();
      assert.equal(count, 1);
      assert.ok(Math.abs(sum - 0.71845965) < 1e-6, `loss ${sum}`); // −log p₀
      executor.dispose();
    });
  }
});

function runAgainstReference(name: string, overrides: Record<string, unknown>, executorName: ExecutorName, steps: number) {
  it(name, () => {
    const config = tinyConfig(overrides);
    const { params, feedback } = prepareRun(config);
    const train = randomSplit(40, 6, 3, 11);
    const executor = createExecutor(executorName, config, params, feedback, train);
    const layers = params.map((p) => toMatrix(p.weights, p.nOut, p.nIn));
    const rule = referenceRuleOf(config, params, feedback);
    const state = referenceState(layers, rule);
    let reference: Matrix[] = layers;
    let referenceLoss = 0;
    const batch = config.training.batchSize;
    for (let s = 0; s < steps; s++) {
      const indices = Array.from({ length: batch }, (_, i) => (s * batch + i) % train.count);
      executor.step(indices);
      const samples = indices.map((i) => ({ x: Array.from(train.inputs.subarray(i * 6, i * 6 + 6)), label: train.labels[i]! }));
      const next = referenceStep(reference, samples, rule, state);
      reference = next.weights;
      referenceLoss += next.loss * batch;
    }
    const got = executor.params();
    got.forEach((p, l) => {
      assertClose(p.weights, reference[l]!.flat(), 2e-5, `layer ${l} weights`);
      assert.equal(p.gain === undefined, state.gains[l] === null, `layer ${l} has a gain in one and not the other`);
      if (p.gain) assertClose(p.gain, state.gains[l]!, 2e-5, `layer ${l} gain`);
      if (p.shift) assertClose(p.shift, state.shifts[l]!, 2e-5, `layer ${l} shift`);
    });
    if (state.gains.some((g) => g !== null)) {
      // The gains really learned (their comparison is not of untouched ones).
      assert.ok(state.gains.some((g) => g?.some((v) => Math.abs(v - 1) > 1e-4)), 'the gains did not move');
    }
    const { sum } = executor.takeLoss();
    assert.ok(Math.abs(sum - referenceLoss) < 1e-4 * Math.max(1, referenceLoss), `loss sum ${sum} vs ${referenceLoss}`);
    // The rule really moved the weights (the comparison is not trivially of unchanged values).
    assert.ok(reference.some((layer, l) => Math.abs(layer[0]![0]! - params[l]!.weights[0]!) > 1e-4), 'the weights moved');
    executor.dispose();
  });
}

describe('several steps against the float64 reference', () => {
  for (const executor of ['online', 'online-js', 'tfjs'] as const) {
    for (const feedback of ['backprop', 'feedback-alignment'] as const) {
      for (const oja of [0, 0.05]) {
        runAgainstReference(`${executor}, ${feedback}, θ=${oja}, batch 1`, { rule: { feedback, oja, learningRate: 0.1 } }, executor, 12);
      }
    }
  }
  for (const feedback of ['backprop', 'feedback-alignment'] as const) {
    for (const oja of [0, 0.05]) {
      runAgainstReference(`tfjs, ${feedback}, θ=${oja}, batch 4`, { rule: { feedback, oja }, training: { batchSize: 4, steps: 8 } }, 'tfjs', 8);
    }
  }
  for (const executor of ['online', 'online-js'] as const) {
    runAgainstReference(`${executor}, per-layer θ, tanh`, { model: { activation: 'tanh' }, rule: { oja: [0.02, 0.05, 0.1] } }, executor, 12);
    runAgainstReference(`${executor}, Hebbian only (error term off)`, { rule: { errorTerm: false, oja: 0.05 } }, executor, 12);
  }
  runAgainstReference('Hebbian only, batch 4', { rule: { errorTerm: false, oja: 0.05 }, training: { batchSize: 4 } }, 'tfjs', 6);
});

describe('layer normalisation and Adam against the float64 reference', () => {
  const layerNorm = (affine: boolean) => ({ layers: [6, 5, 4, 3], normalization: 'layer', normalizationAffine: affine });
  for (const executor of ['online', 'online-js', 'tfjs'] as const) {
    for (const oja of [0, 0.05]) {
      runAgainstReference(`${executor}, layer norm with gain and shift, θ=${oja}`, { model: layerNorm(true), rule: { oja, learningRate: 0.1 } }, executor, 12);
      runAgainstReference(`${executor}, Adam, θ=${oja}`, { rule: { optimizer: 'adam', oja, learningRate: 0.01 } }, executor, 12);
    }
    runAgainstReference(`${executor}, layer norm without gain, tanh, feedback alignment, θ=0.05`, { model: { ...layerNorm(false), activation: 'tanh' }, rule: { feedback: 'feedback-alignment', oja: 0.05 } }, executor, 12);
    runAgainstReference(`${executor}, Adam and layer norm, θ=0.05`, { model: layerNorm(true), rule: { optimizer: 'adam', oja: 0.05, learningRate: 0.01 } }, executor, 12);
  }
  runAgainstReference('tfjs, layer norm and Adam, batch 4', { model: layerNorm(true), rule: { optimizer: 'adam', oja: 0.05, learningRate: 0.01 }, training: { batchSize: 4 } }, 'tfjs', 8);
});

describe('options of the rule', () => {
  it('ojaOnOutput: false leaves the output layer to the error term alone', () => {
    const withOja = tinyConfig({ rule: { oja: 0.2, ojaOnOutput: false } });
    const withoutOja = tinyConfig({ rule: { oja: 0 } });
    const { params } = prepareRun(withOja);
    const train = randomSplit(4, 6, 3, 3);
    const a = new OnlineExecutor(withOja, params, null, train);
    const b = new OnlineExecutor(withoutOja, params, null, train);
    a.step([0]);
    b.step([0]);
    // The output layer sees only the error term in both; the hidden layers differ by Oja's term.
    assertClose(a.params()[2]!.weights, b.params()[2]!.weights, 1e-7, 'output layer');
    assert.notDeepEqual(Array.from(a.params()[0]!.weights), Array.from(b.params()[0]!.weights));
  });

  it('bias moves with the error term only, identically in both executors', () => {
    const config = tinyConfig({ model: { bias: true }, rule: { oja: 0.05 } });
    const { params } = prepareRun(config);
    const train = randomSplit(8, 6, 3, 5);
    const online = new OnlineExecutor(config, params, null, train);
    const tensors = new TfjsExecutor(config, params, null, train);
    for (let s = 0; s < 6; s++) {
      online.step([s]);
      tensors.step([s]);
    }
    online.params().forEach((p, l) => {
      assertClose(p.bias!, tensors.params()[l]!.bias!, 1e-5, `bias ${l}`);
      assertClose(p.weights, tensors.params()[l]!.weights, 1e-5, `weights ${l}`);
    });
    assert.ok(online.params()[2]!.bias!.some((b) => Math.abs(b) > 1e-4), 'biases moved');
    tensors.dispose();
  });

  it('Adam on the error term agrees between executors and differs from SGD', () => {
    const config = tinyConfig({ model: { bias: true }, rule: { optimizer: 'adam', learningRate: 0.01, oja: 0.05 } });
    const { params } = prepareRun(config);
    const train = randomSplit(8, 6, 3, 9);
    const online = new OnlineExecutor(config, params, null, train);
    const tensors = new TfjsExecutor(config, params, null, train);
    for (let s = 0; s < 8; s++) {
      online.step([s]);
      tensors.step([s]);
    }
    online.params().forEach((p, l) => assertClose(p.weights, tensors.params()[l]!.weights, 1e-5, `weights ${l}`));
    // Adam's first step moves every weight with a non-zero gradient by about η (m̂/√v̂ = ±1).
    const first = new OnlineExecutor(tinyConfig({ rule: { optimizer: 'adam', learningRate: 0.01, oja: 0 } }), params, null, train);
    first.step([0]);
    const moved = first.params()[2]!.weights.map((w, i) => Math.abs(w - params[2]!.weights[i]!));
    for (const m of moved) assert.ok(Math.abs(m - 0.01) < 1e-4 || m < 1e-6, `moved ${m}`);
    tensors.dispose();
  });
});

describe('the Oja-to-update ratio: norms of the steps actually taken', () => {
  // From one set of weights, the reference's step with each term alone: their norms are what each executor must report.
  const frobDelta = (next: Matrix[], from: Matrix[], l: number) => Math.sqrt(next[l]!.flat().reduce((sum, v, k) => sum + (v - from[l]!.flat()[k]!) ** 2, 0));
  for (const optimizer of ['sgd', 'adam'] as const) {
    for (const executorName of ['online', 'online-js', 'tfjs'] as const) {
      it(`${executorName}, ${optimizer}: two steps, summed per layer, then reset`, () => {
        const config = tinyConfig({ rule: { optimizer, oja: 0.05, learningRate: optimizer === 'adam' ? 0.01 : 0.1 } });
        const { params } = prepareRun(config);
        const train = randomSplit(8, 6, 3, 21);
        const executor = createExecutor(executorName, config, params, null, train);
        const base: ReferenceRule = { activation: config.model.activation, beta: config.model.softplusBeta, eta: config.rule.learningRate, theta: [0.05, 0.05, 0.05], errorTerm: true, feedback: null };
        const withAdam = optimizer === 'adam' ? { adam: config.rule.adam } : {};
        let weights: Matrix[] = params.map((p) => toMatrix(p.weights, p.nOut, p.nIn));
        const errorState = referenceState(weights, { ...base, ...withAdam });
        const expected = { oja: [0, 0, 0], error: [0, 0, 0] };
        for (const sample of [0, 1]) {
          const batch = [{ x: Array.from(train.inputs.subarray(sample * 6, sample * 6 + 6)), label: train.labels[sample]! }];
          const ojaOnly = referenceStep(weights, batch, { ...base, errorTerm: false }).weights;
          // Adam's moments carry over: its error-only steps run on a state of their own, as the executor's does.
          const errorOnly = referenceStep(weights, batch, { ...base, ...withAdam, theta: [0, 0, 0] }, errorState).weights;
          for (let l = 0; l < 3; l++) {
            expected.oja[l]! += frobDelta(ojaOnly, weights, l);
            expected.error[l]! += frobDelta(errorOnly, weights, l);
          }
          weights = referenceStep(weights, batch, { ...base, ...withAdam }, referenceState(weights, base)).weights;
          executor.step([sample]);
        }
        const got = executor.takeStepNorms();
        assertClose(got.oja, expected.oja, 1e-4, 'Oja step norms');
        assertClose(got.error, expected.error, 1e-4, 'error step norms (Adam\'s own under Adam)');
        assert.ok(got.error.every((v) => v > 0));
        assert.deepEqual(executor.takeStepNorms(), { oja: [0, 0, 0], error: [0, 0, 0] }, 'taken, then reset');
        executor.dispose();
      });
    }
  }
});

describe('the local terms beyond error and Oja (rule.terms) against the float64 reference', () => {
  const terms = { ojaSingle: 0.05, sanger: 0.04, hebbian: 0.01, decay: 0.002, errorHebbian: 0.03 };
  for (const executor of ['online', 'online-js', 'tfjs'] as const) {
    for (const [term, c] of Object.entries(terms)) {
      runAgainstReference(`${executor}, ${term} alone beside the error term`, { rule: { learningRate: 0.1, oja: 0, terms: { [term]: c } } }, executor, 12);
    }
    runAgainstReference(`${executor}, every term with Oja, feedback alignment, tanh`, { model: { activation: 'tanh' }, rule: { feedback: 'feedback-alignment', oja: 0.05, terms } }, executor, 12);
    runAgainstReference(`${executor}, per-layer coefficients, layer norm`, { model: { layers: [6, 5, 4, 3], normalization: 'layer' }, rule: { terms: { sanger: [0.05, 0, 0.02], errorHebbian: [0, 0.04, 0.02] } } }, executor, 12);
  }
  runAgainstReference('tfjs, every term, batch 4', { rule: { oja: 0.05, terms }, training: { batchSize: 4 } }, 'tfjs', 8);
  for (const executor of ['online', 'online-js'] as const) {
    runAgainstReference(`${executor}, errorHebbian alone (learning rate 0) with feedback alignment`, { rule: { feedback: 'feedback-alignment', learningRate: 0, oja: 0, terms: { errorHebbian: 0.2 } } }, executor, 12);
    runAgainstReference(`${executor}, every term with Adam`, { rule: { optimizer: 'adam', learningRate: 0.01, oja: 0.05, terms } }, executor, 12);
  }

  it('a file without terms means what it meant: no extra terms; with or without them, batch size 1 trains on the SIMD executor', () => {
    const plain = tinyConfig({ rule: { oja: 0.05 } });
    assert.deepEqual(plain.rule.terms, {});
    assert.equal(extraTerms(plain), null);
    assert.equal(chooseExecutor(plain), 'online');
    assert.equal(chooseExecutor(tinyConfig({ rule: { terms: { decay: 0.001 } } })), 'online');
    assert.equal(extraTerms(tinyConfig({ rule: { terms: { decay: 0 } } })), null, 'a zero coefficient is no term');
  });

  it('bad terms are named: an unknown one, a list of the wrong length, a word, errorHebbian without the error term', () => {
    const issues = (rule: Record<string, unknown>) => {
      const result = validateExperiment({ model: { layers: [6, 5, 3] }, data: { source: 'synthetic-gaussian' }, rule });
      return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
    };
    assert.match(issues({ terms: { antiHebbian: 1 } }).join('\n'), /rule\.terms\.antiHebbian: unknown field/);
    assert.deepEqual(issues({ terms: { sanger: [0.1, 0.2, 0.3] } }), ['rule.terms.sanger: [0.1,0.2,0.3] has 3 entries; expected one number, or 2 (one per weight layer of model.layers)']);
    assert.match(issues({ terms: { decay: 'lots' } }).join('\n'), /rule\.terms\.decay: "lots" is not allowed; expected a number, or a list of numbers with one per weight layer/);
    assert.match(issues({ errorTerm: false, terms: { errorHebbian: 0.1 } }).join('\n'), /rule\.terms\.errorHebbian: needs the error signals, which rule\.errorTerm turns off/);
    assert.ok(parseExperiment({ rule: { terms: { hebbian: -0.01 } } }), 'a negative coefficient (anti-Hebbian) is allowed');
  });
});

describe('rule.terms.error and rule.terms.oja: other names for rule.learningRate and rule.oja', () => {
  it('resolve to the fields every executor reads, so a file written either way trains the same', () => {
    const viaTerms = parseExperiment({ rule: { terms: { error: 0.05, oja: [0.001, 0, 0, 0, 0.002], sanger: 0.01 } } });
    assert.equal(viaTerms.rule.learningRate, 0.05);
    assert.deepEqual(viaTerms.rule.oja, [0.001, 0, 0, 0, 0.002]);
    assert.deepEqual(viaTerms.rule.terms, { sanger: 0.01 }, 'the aliases leave the resolved terms');
    const viaFields = parseExperiment({ rule: { learningRate: 0.05, oja: [0.001, 0, 0, 0, 0.002], terms: { sanger: 0.01 } } });
    assert.deepEqual(viaTerms, viaFields);
    assert.equal(parseExperiment({ rule: { oja: 0.003, terms: { oja: 0.003 } } }).rule.oja, 0.003, 'the same value under both names is fine');
  });

  it('both names with different values, or a bad value under the alias, are named', () => {
    const issues = (rule: Record<string, unknown>) => {
      const result = validateExperiment({ model: { layers: [6, 5, 3] }, data: { source: 'synthetic-gaussian' }, rule });
      return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
    };
    assert.deepEqual(issues({ learningRate: 0.1, terms: { error: 0.2 } }), ['rule.terms.error: 0.2 differs from rule.learningRate (0.1), the same coefficient; set one of them']);
    assert.deepEqual(issues({ oja: 0.1, terms: { oja: [0.1, 0.2] } }), ['rule.terms.oja: [0.1,0.2] differs from rule.oja (0.1), the same coefficient; set one of them']);
    assert.match(issues({ terms: { error: -1 } }).join('\n'), /rule\.terms\.error: -1 is not allowed; must be >= 0/);
    assert.match(issues({ terms: { oja: [0.1, 0.2, 0.3] } }).join('\n'), /rule\.oja: \[0\.1,0\.2,0\.3\] has 3 entries/);
  });

  it('a sweep over an alias, alone or inside a swept rule.terms object, sets the coefficient of each member', () => {
    const direct = expandSweep(parseExperiment({ rule: { oja: 0.5 }, sweep: { 'rule.terms.oja': [0, 0.001] } }));
    assert.deepEqual(direct.map((m) => [m.label, m.config.rule.oja]), [['oja=0', 0], ['oja=0.001', 0.001]]);
    const inObject = expandSweep(parseExperiment({ rule: { learningRate: 0.5, oja: 0.5 }, sweep: { 'rule.terms': [{ error: 0.2 }, { oja: 0.002, hebbian: 0.1 }] } }));
    assert.deepEqual(inObject.map((m) => [m.config.rule.learningRate, m.config.rule.oja, m.config.rule.terms]), [[0.2, 0.5, {}], [0.5, 0.002, { hebbian: 0.1 }]]);
  });
});

describe("each local term's step norm (for its share of the update)", () => {
  const frobDelta = (next: Matrix[], from: Matrix[], l: number) => Math.sqrt(next[l]!.flat().reduce((sum, v, k) => sum + (v - from[l]!.flat()[k]!) ** 2, 0));
  const terms = { ojaSingle: 0.05, sanger: 0.04, hebbian: 0.01, decay: 0.002, errorHebbian: 0.03 };
  for (const executorName of ['online', 'online-js', 'tfjs'] as const) {
    it(`${executorName}: each term's norm as the float64 reference's step with that term alone, summed over two steps`, () => {
      const config = tinyConfig({ rule: { oja: 0.05, learningRate: 0.1, terms } });
      const { params } = prepareRun(config);
      const train = randomSplit(8, 6, 3, 23);
      const executor = createExecutor(executorName, config, params, null, train);
      const base: ReferenceRule = { activation: config.model.activation, beta: config.model.softplusBeta, eta: 0.1, theta: [0.05, 0.05, 0.05], errorTerm: true, feedback: null };
      const all = Object.fromEntries(Object.entries(terms).map(([t, c]) => [t, [c, c, c]]));
      let weights: Matrix[] = params.map((p) => toMatrix(p.weights, p.nOut, p.nIn));
      const expected = Object.fromEntries(Object.keys(terms).map((t) => [t, [0, 0, 0]]));
      for (const sample of [0, 1]) {
        const batch = [{ x: Array.from(train.inputs.subarray(sample * 6, sample * 6 + 6)), label: train.labels[sample]! }];
        for (const [term, c] of Object.entries(terms)) {
          // That term alone: no Oja, and the error term at η = 0 (errorHebbian needs its signals).
          const alone = referenceStep(weights, batch, { ...base, eta: 0, theta: [0, 0, 0], terms: { [term]: [c, c, c] } }).weights;
          for (let l = 0; l < 3; l++) expected[term]![l]! += frobDelta(alone, weights, l);
        }
        weights = referenceStep(weights, batch, { ...base, terms: all }).weights;
        executor.step([sample]);
      }
      const got = executor.takeStepNorms();
      for (const term of Object.keys(terms)) assertClose(got.terms![term]!, expected[term]!, 1e-4, `${term} step norms`);
      assert.equal(got.terms!.errorHebbian![0], 0, 'no errorHebbian on the first layer');
      executor.dispose();
    });
  }
});
