/**
 * The WebAssembly SIMD online executor against the plain TypeScript one (itself checked against a
 * float64 reference in rule.test.ts) over 1,000 online steps on the bundled digits: backprop and
 * feedback alignment, with and without Oja, every activation, the local terms. Layer widths that are not multiples
 * of 8 exercise the kernels' padding.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExperiment } from '../../src/engine/config/validate';
import { loadDataset } from '../../src/engine/data/load';
import { prepareRun } from '../../src/engine/trainer';
import { OnlineExecutor } from '../../src/engine/executors/online';
import { WasmOnlineExecutor } from '../../src/engine/executors/wasmOnline';
import { ACTIVATIONS } from '../../src/engine/config/schema';
import { onlineStepCost } from '../../src/engine/executors/stepCost';
import { Evaluator } from '../../src/engine/diagnostics/evaluator';
import { initBackend } from '../../src/engine/backend';
import { ACTIVATION_KIND, Arena, kernelModule } from '../../src/engine/executors/wasm/kernels';
import { activationFn } from '../../src/engine/model/activations';

const STEPS = 1000;

function compare(overrides: { activation: (typeof ACTIVATIONS)[number]; feedback: string; oja: number; bias?: boolean; normalization?: string; optimizer?: string; terms?: Record<string, number> }) {
  const config = parseExperiment({
    name: 'fast-path',
    seed: 5,
    model: { layers: [784, 37, 23, 10], activation: overrides.activation, bias: overrides.bias ?? false, normalization: overrides.normalization ?? 'none' },
    rule: { feedback: overrides.feedback, oja: overrides.oja, learningRate: overrides.optimizer === 'adam' ? 0.001 : 0.01, optimizer: overrides.optimizer ?? 'sgd', terms: overrides.terms ?? {} },
    training: { batchSize: 1, steps: STEPS },
  });
  const { train } = loadDataset(config, { baseDir: process.cwd() });
  const { params, feedback } = prepareRun(config);
  const reference = new OnlineExecutor(config, params, feedback, train);
  const fast = new WasmOnlineExecutor(config, params, feedback, train);
  let worst = 0;
  for (let s = 0; s < STEPS; s++) {
    reference.step([s]);
    fast.step([s]);
    // Reading the parameters mid-run (as evaluation does) must not change the trajectory.
    if (s === 499) fast.params();
  }
  const expected = reference.params();
  const got = fast.params();
  let moved = 0;
  expected.forEach((layer, l) => {
    for (let k = 0; k < layer.weights.length; k++) {
      const e = layer.weights[k]!;
      worst = Math.max(worst, Math.abs(got[l]!.weights[k]! - e) / Math.max(1, Math.abs(e)));
      moved = Math.max(moved, Math.abs(e - params[l]!.weights[k]!));
    }
    if (layer.bias) for (let i = 0; i < layer.nOut; i++) worst = Math.max(worst, Math.abs(got[l]!.bias![i]! - layer.bias[i]!));
    for (const key of ['gain', 'shift'] as const) {
      assert.equal(got[l]![key] === undefined, layer[key] === undefined, `layer ${l} ${key}`);
      layer[key]?.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[l]![key]![i]! - v))));
    }
  });
  // A few float32 roundings apart after 1,000 steps (ulp(1) = 1.2e-7), while the weights moved by O(0.1–1).
  // Adam's normalised step turns a rounding in a near-zero moment (the kernels sum z in float32, the
  // TypeScript in float64) into a share of ±η, so there the bound is a fifth of one step (η = 0.001).
  // All five local terms at once drift further (1.3e-5 measured; each alone stays under 3e-6): the
  // Hebbian parts feed the weights back into their own growth, which amplifies the roundings.
  const allTerms = Object.keys(overrides.terms ?? {}).length > 1;
  const tolerance = overrides.optimizer === 'adam' ? 2e-4 : allTerms ? 3e-5 : 5e-6;
  assert.ok(worst < tolerance, `largest difference ${worst}`);
  assert.ok(moved > 0.1, `the weights barely moved (${moved})`);
  const lossRef = reference.takeLoss();
  const lossFast = fast.takeLoss();
  assert.equal(lossFast.count, lossRef.count);
  assert.ok(Math.abs(lossFast.sum - lossRef.sum) < 1e-5 * lossRef.sum, `loss ${lossFast.sum} vs ${lossRef.sum}`);
}

describe(`WebAssembly online executor = TypeScript online executor over ${STEPS} steps`, () => {
  for (const activation of ACTIVATIONS) {
    for (const feedback of ['backprop', 'feedback-alignment']) {
      for (const oja of [0, 0.001]) {
        it(`${activation}, ${feedback}, θ = ${oja}`, () => compare({ activation, feedback, oja }));
      }
    }
  }
  it('with biases (softplus, backprop, θ = 0.001)', () => compare({ activation: 'softplus', feedback: 'backprop', oja: 0.001, bias: true }));
  for (const oja of [0, 0.001]) {
    it(`layer normalisation (softplus, backprop, θ = ${oja})`, () => compare({ activation: 'softplus', feedback: 'backprop', oja, normalization: 'layer' }));
    it(`Adam with biases (softplus, backprop, θ = ${oja})`, () => compare({ activation: 'softplus', feedback: 'backprop', oja, bias: true, optimizer: 'adam' }));
  }
  const terms = { errorHebbian: 0.005, ojaSingle: 0.0005, sanger: 0.0005, hebbian: 0.0001, decay: 0.0001 };
  for (const [term, c] of Object.entries(terms)) {
    it(`the local term ${term} (softplus, feedback alignment, θ = 0.001)`, () => compare({ activation: 'softplus', feedback: 'feedback-alignment', oja: 0.001, terms: { [term]: c } }));
  }
  it('every local term at once (softplus, feedback alignment, θ = 0.001)', () => compare({ activation: 'softplus', feedback: 'feedback-alignment', oja: 0.001, terms }));
  it('layer normalisation and Adam (tanh, feedback alignment, θ = 0.001)', () => compare({ activation: 'tanh', feedback: 'feedback-alignment', oja: 0.001, normalization: 'layer', optimizer: 'adam' }));
});

describe('step cost', () => {
  it('counts operations and weight bytes of a small network by hand', () => {
    // 4-3-2, θ = [0.1, 0.1]: layer 0 has 12 weights × (2 dot + 4 update + 2 u) = 96 flops, 12 × 8 bytes;
    // layer 1 has 6 weights × (2 + 4 + 2 + 2 back) = 60 flops, 6 × 12 bytes.
    assert.deepEqual(onlineStepCost([4, 3, 2], [0.1, 0.1]), { flops: 156, weightBytes: 168 });
    // Without Oja: layer 0 12 × (2 + 2) = 48, layer 1 6 × (2 + 2 + 2) = 36.
    assert.deepEqual(onlineStepCost([4, 3, 2], [0, 0]), { flops: 84, weightBytes: 168 });
  });
});

describe('test loss, accuracy and diagnostics on the SIMD kernels = through TensorFlow.js tensors', () => {
  before(async () => {
    await initBackend('auto');
  });
  for (const activation of [...ACTIVATIONS, 'softplus with layer normalisation'] as const) {
    // tanh's probe (700 digits) spans two of the kernels' 500-digit chunks. relu's 1,999 digits end
    // in a chunk of 499: three samples past the last group of four go through the one-sample path.
    const probeSize = activation === 'tanh' ? 700 : 256;
    const testSize = activation === 'relu' ? 1999 : 2000;
    it(`${activation}, with biases, ${testSize} bundled test digits, probe of ${probeSize}`, () => {
      const config = parseExperiment({
        name: 'eval',
        seed: 2,
        data: { source: 'mnist', testSize },
        model: { layers: [784, 37, 23, 10], activation: activation.split(' ')[0], bias: true, normalization: activation.includes('normalisation') ? 'layer' : 'none' },
        training: { batchSize: 1, steps: 1, probeSize },
      });
      const { test } = loadDataset(config, { baseDir: process.cwd() });
      const { params } = prepareRun(config);
      params.forEach((layer) => layer.bias!.forEach((_, i) => (layer.bias![i] = 0.2 * Math.sin(i + 1))));
      params.forEach((layer) => layer.gain?.forEach((_, i) => (layer.gain![i] = 1 + 0.3 * Math.cos(i))));
      const kernels = new Evaluator(config, test, null, true);
      const tensors = new Evaluator(config, test, null, false);
      try {
        const fast = kernels.evaluate(params);
        const reference = tensors.evaluate(params);
        assert.ok(Math.abs(fast.testLoss - reference.testLoss) < 1e-5 * reference.testLoss, `loss ${fast.testLoss} vs ${reference.testLoss}`);
        assert.equal(fast.testAccuracy, reference.testAccuracy);
        // The diagnostics reuse the kernels' outputs on the probe digits: the same to float32 rounding.
        fast.layers.forEach((layer, l) => {
          for (const [key, value] of Object.entries(layer)) {
            const expected = (reference.layers[l] as unknown as Record<string, number | null>)[key];
            if (value === null || expected === null) assert.equal(value, expected, `layer ${l} ${key}`);
            else assert.ok(Math.abs(value - expected!) <= 1e-4 * Math.max(1, Math.abs(expected!)), `layer ${l} ${key}: ${value} vs ${expected}`);
          }
        });
      } finally {
        kernels.dispose();
        tensors.dispose();
      }
    });
  }
});

describe('SIMD activations against the float64 ones', () => {
  it('slopes σ\'(z) from y: softplus (β = 10 and 1), tanh and relu to float32 precision, tiny slopes included', () => {
    const arena = new Arena(kernelModule()!);
    const n = 6000;
    const g = arena.alloc(n);
    const y = arena.alloc(n);
    // Outputs from 0 (where softplus's slope is tiny and 1 − e^(−βy) would cancel) up to 30.
    const outputs = Float32Array.from({ length: n }, (_, k) => (k < 1000 ? k * 1e-6 : (30 * k) / n));
    const gradient = Float32Array.from({ length: n }, (_, k) => 1 + (k % 7) / 7);
    for (const [name, beta] of [['softplus', 10], ['softplus', 1], ['tanh', 1], ['relu', 1]] as const) {
      const y0 = name === 'tanh' ? outputs.map((v) => Math.tanh(v)) : outputs;
      arena.f32.set(gradient, g >> 2);
      arena.f32.set(y0, y >> 2);
      arena.kernels.scaleBySlope(g, y, n, ACTIVATION_KIND[name], beta);
      const expected = gradient.slice();
      activationFn(name, beta).scaleByDerivative(expected, y0, n);
      const got = arena.f32.subarray(g >> 2, (g >> 2) + n);
      for (let k = 0; k < n; k++) {
        assert.ok(Math.abs(got[k]! - expected[k]!) <= 4e-7 * Math.abs(expected[k]!) + 1e-30, `${name} β=${beta} at y=${y0[k]}: ${got[k]} vs ${expected[k]}`);
      }
    }
  });

  it('softplus (β = 10 and 1), tanh and relu over [−30, 30] to float32 precision', () => {
    const arena = new Arena(kernelModule()!);
    const n = 6000;
    const at = arena.alloc(n);
    const z = Float32Array.from({ length: n }, (_, k) => -30 + (60 * k) / (n - 1));
    for (const [name, beta] of [['softplus', 10], ['softplus', 1], ['tanh', 1], ['relu', 1]] as const) {
      arena.f32.set(z, at >> 2);
      arena.kernels.activateAll(at, at, n, ACTIVATION_KIND[name], beta);
      const expected = new Float32Array(n);
      activationFn(name, beta).apply(z, expected, n);
      const got = arena.f32.subarray(at >> 2, (at >> 2) + n);
      for (let k = 0; k < n; k++) {
        const tolerance = 4e-7 * Math.abs(expected[k]!) + 1e-30;
        assert.ok(Math.abs(got[k]! - expected[k]!) <= Math.max(tolerance, 6e-8), `${name} β=${beta} at z=${z[k]}: ${got[k]} vs ${expected[k]}`);
      }
    }
  });
});
