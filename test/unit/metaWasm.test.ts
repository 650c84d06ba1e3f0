/**
 * Meta-learning's SIMD inner loop (float32, both kernel builds) against the float64 reference inner
 * loop: the weights, every tangent dW/dc, the query loss and its gradient, for each kernel path (the
 * first layer's Oja-only rows, errorHebbian in hidden layers, row-scaling terms, no Oja, no error
 * signals), BP and FA, every activation and 1 to 6 learned coefficients; and meta-training on it.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { InnerLoop, LEARNABLE, type Learnable } from '../../src/engine/meta/innerLoop';
import { WasmInnerLoop, wasmInnerLoopSupports } from '../../src/engine/meta/wasmInnerLoop';
import { metaKernelBuild, type MetaKernelBuild } from '../../src/engine/meta/metaKernels';
import { innerRuleOf } from '../../src/engine/meta/coefficients';
import { prepareRun, train } from '../../src/engine/trainer';
import { initBackend } from '../../src/engine/backend';
import { parseExperiment } from '../../src/engine/config/validate';
import { loadDataset } from '../../src/engine/data/load';
import { randomSplit, tinyConfig } from '../helpers/fixtures';

const BUILDS: MetaKernelBuild[] = ['fused', 'plain'];
const LAYERS = [20, 9, 8, 7, 4];
const support = randomSplit(40, 20, 4, 51);
const query = randomSplit(16, 20, 4, 52);

/** The largest difference relative to the largest reference value (float32 against float64). */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  // All zeros (a coefficient that cannot reach the query through dead units, say): the SIMD loop must agree.
  return scale > 0 ? difference / scale : difference;
}

interface Case {
  name: string;
  rule: Record<string, unknown>;
  learned: Learnable[];
  activation?: string;
}

const CASES: Case[] = [
  { name: 'error and Oja only (the first layer’s own loop)', rule: { learningRate: 0.1, oja: 0.05 }, learned: ['error', 'oja'] },
  { name: 'errorHebbian and Oja (the hidden layers’ own loop), three coefficients', rule: { learningRate: 0.1, oja: 0.05, terms: { errorHebbian: 0.04 } }, learned: ['error', 'errorHebbian', 'oja'] },
  { name: 'row-scaling and Hebbian terms, every coefficient but Sanger’s', rule: { learningRate: 0.1, oja: 0.05, terms: { ojaSingle: 0.03, hebbian: 0.01, decay: 0.002, errorHebbian: 0.03 } }, learned: LEARNABLE.filter((n) => n !== 'sanger') },
  { name: 'no Oja’s term, one coefficient', rule: { learningRate: 0.1, oja: 0 }, learned: ['error'] },
  { name: 'Oja learned from zero', rule: { learningRate: 0.1, oja: 0, terms: { errorHebbian: 0.02 } }, learned: ['oja', 'errorHebbian'] },
  { name: 'no error signals (Oja and Hebbian only)', rule: { learningRate: 0.1, oja: 0.05, errorTerm: false, terms: { hebbian: 0.02 } }, learned: ['oja', 'hebbian'] },
];

function loops(c: Case, feedback: string, activation: string, build: MetaKernelBuild) {
  const config = tinyConfig({ model: { layers: LAYERS, activation }, rule: { feedback, ...c.rule } });
  const { params, feedback: b } = prepareRun(config);
  const values = c.learned.map((name) => (name === 'error' ? config.rule.learningRate : name === 'oja' ? (config.rule.oja as number) : ((config.rule.terms as Record<string, number>)[name] ?? 0)));
  const rule = innerRuleOf(config, b, c.learned, values);
  const weights = params.map((p) => p.weights);
  return { reference: new InnerLoop(LAYERS, weights, rule), fast: new WasmInnerLoop(LAYERS, weights, rule, metaKernelBuild(build)), rule, weights };
}

function train40(loop: { step(x: ArrayLike<number>, label: number): number }): number {
  let loss = 0;
  for (let s = 0; s < support.count; s++) loss += loop.step(support.inputs.subarray(s * 20, (s + 1) * 20), support.labels[s]!);
  return loss;
}

describe('the SIMD inner loop follows the float64 reference', () => {
  it('both kernel builds load here', () => {
    for (const build of BUILDS) assert.ok(metaKernelBuild(build), `the ${build} build of the meta-learning kernels`);
  });

  for (const build of BUILDS) {
    for (const c of CASES) {
      for (const feedback of ['backprop', 'feedback-alignment']) {
        for (const activation of ['softplus', 'tanh', 'relu', 'linear']) {
          it(`${build} build, ${c.name}, ${feedback}, ${activation}: weights, tangents, query loss and gradient after 40 steps`, () => {
            const { reference, fast } = loops(c, feedback, activation, build);
            const lossReference = train40(reference);
            const lossFast = train40(fast);
            assert.ok(Math.abs(lossFast - lossReference) <= 1e-5 * Math.abs(lossReference), `support loss ${lossFast} vs ${lossReference}`);
            const w = fast.weights();
            reference.weights().forEach((expected, l) => assert.ok(relativeError(w[l]!, expected) < 1e-4, `W${l}: ${relativeError(w[l]!, expected)}`));
            c.learned.forEach((name, k) => {
              const tangents = fast.tangent(k);
              reference.tangent(k).forEach((expected, l) => {
                if (expected.every((v) => v === 0)) return assert.ok(tangents[l]!.every((v) => v === 0), `d W${l} / d ${name} is zero in both`);
                const error = relativeError(tangents[l]!, expected);
                assert.ok(error < 1e-3, `d W${l} / d ${name}: ${error}`);
              });
            });
            const q = reference.query(query.inputs, query.labels, query.count);
            const qFast = fast.query(query.inputs, query.labels, query.count);
            assert.ok(Math.abs(qFast.loss - q.loss) <= 1e-4 * q.loss, `query loss ${qFast.loss} vs ${q.loss}`);
            assert.equal(qFast.accuracy, q.accuracy);
            assert.ok(relativeError(qFast.gradient, q.gradient) < 1e-3, `gradient ${qFast.gradient} vs ${q.gradient}`);
          });
        }
      }
    }
  }

  it('starting over (begin) with other weights and coefficients equals a fresh loop, bit for bit', () => {
    const c = CASES[1]!;
    const first = loops(c, 'feedback-alignment', 'softplus', 'fused');
    train40(first.fast);
    const config = tinyConfig({ seed: 99, model: { layers: LAYERS }, rule: { feedback: 'feedback-alignment', ...c.rule } });
    const { params } = prepareRun(config);
    const rule = innerRuleOf(config, first.rule.feedback, c.learned, [0.2, 0.01, 0.03]);
    first.fast.begin(params.map((p) => p.weights), rule);
    const fresh = new WasmInnerLoop(LAYERS, params.map((p) => p.weights), rule, metaKernelBuild('fused'));
    assert.equal(train40(first.fast), train40(fresh));
    assert.deepEqual(first.fast.query(query.inputs, query.labels, query.count), fresh.query(query.inputs, query.labels, query.count));
    assert.deepEqual(first.fast.tangent(2), fresh.tangent(2));
  });

  it("Sanger's term (in the rule or learned) stays on the float64 loop", () => {
    const config = tinyConfig({ model: { layers: LAYERS }, rule: { oja: 0.05, terms: { sanger: 0.01 } } });
    const { feedback } = prepareRun(config);
    assert.equal(wasmInnerLoopSupports(innerRuleOf(config, feedback, ['error'], [0.1])), false);
    assert.equal(wasmInnerLoopSupports(innerRuleOf(tinyConfig({ model: { layers: LAYERS } }), null, ['sanger'], [0])), false);
    assert.equal(wasmInnerLoopSupports(innerRuleOf(tinyConfig({ model: { layers: LAYERS } }), null, ['error', 'oja'], [0.1, 0.05])), true);
  });
});

describe('meta-training on the SIMD inner loop', () => {
  before(async () => {
    await initBackend('cpu');
  });

  it('learns the same coefficients as on the float64 loop (to float32 precision), and records its executor', async () => {
    const config = parseExperiment({
      name: 'meta simd',
      seed: 5,
      data: { source: 'mnist', trainSize: 2000, testSize: 500 },
      model: { layers: [784, 24, 16, 10] },
      rule: { feedback: 'feedback-alignment', learningRate: 0.01, oja: 0.001, terms: { errorHebbian: 0.001 } },
      training: { episodes: { ways: 5, shots: 5, queries: 5, classes: 'train' } },
      meta: { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9], learn: ['error', 'errorHebbian', 'oja'], learningRate: 0.002, episodes: 8 },
    });
    const dataset = loadDataset(config, { baseDir: process.cwd() });
    const fast = await train(config, { dataset, backend: 'cpu' });
    const reference = await train(config, { dataset, backend: 'cpu', executor: 'online-js' });
    assert.equal(fast.executor, 'online');
    assert.equal(reference.executor, 'online-js');
    assert.equal(fast.points.length, 8);
    fast.points.forEach((point, e) => {
      const expected = reference.points[e]!;
      assert.ok(Math.abs(point.testLoss - expected.testLoss) < 1e-4 * expected.testLoss, `meta-episode ${e + 1}: query loss ${point.testLoss} vs ${expected.testLoss}`);
      for (const name of ['error', 'errorHebbian', 'oja'] as const) {
        const a = point.coefficients![name]!;
        const b = expected.coefficients![name]!;
        assert.ok(Math.abs(a - b) <= 1e-5 * Math.abs(b), `meta-episode ${e + 1}: ${name} ${a} vs ${b}`);
      }
    });
    // Adam moved every coefficient: the comparison is not between two unchanged starting values.
    assert.ok(fast.points.at(-1)!.coefficients!.errorHebbian !== 0.001);
  });
});
