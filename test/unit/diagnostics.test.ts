/** The evaluator's metrics and per-layer diagnostics against a float64 computation written out here. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/engine/backend';
import { Evaluator } from '../../src/engine/diagnostics/evaluator';
import { prepareRun } from '../../src/engine/trainer';
import { referenceForward, sigmaPrime, toMatrix, type Matrix, type ReferenceRule } from '../helpers/reference';
import { randomSplit, tinyConfig } from '../helpers/fixtures';

before(async () => {
  await initBackend('auto');
});

const frob = (m: Matrix) => Math.sqrt(m.flat().reduce((s, v) => s + v * v, 0));
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const close = (actual: number | null | undefined, expected: number, what: string, tol = 2e-4) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

function referenceDiagnostics(weights: Matrix[], feedback: Matrix[] | null, xs: number[][], labels: number[], rule: ReferenceRule) {
  const passes = xs.map((x) => referenceForward(weights, x, rule));
  const last = weights.length - 1;
  const errorsFor = (b: Matrix[]) =>
    passes.map(({ outputs, preacts }, s) => {
      const errors: number[][] = new Array(weights.length);
      errors[last] = outputs[last + 1]!.map((p, i) => p - (i === labels[s] ? 1 : 0));
      for (let l = last; l > 0; l--) {
        errors[l - 1] = b[l]![0]!.map((_, j) => b[l]!.reduce((acc, row, i) => acc + row[j]! * errors[l]![i]!, 0) * sigmaPrime(preacts[l - 1]![j]!, rule));
      }
      return errors;
    });
  const errors = errorsFor(feedback ?? weights);
  const trueErrors = errorsFor(weights);
  const n = xs.length;
  return weights.map((w, l) => {
    const ys = passes.map((p) => p.outputs[l + 1]!);
    const es = errors.map((e) => e[l]!);
    const wwt = w.map((ri, i) => w.map((rj, j) => ri.reduce((s, v, k) => s + v * rj[k]!, 0) - (i === j ? 1 : 0)));
    // Covariance of y over the probe batch, then (tr C)² / ‖C‖²_F.
    const dim = ys[0]!.length;
    const mean = Array.from({ length: dim }, (_, d) => ys.reduce((s, y) => s + y[d]!, 0) / n);
    const cov = Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (__, j) => ys.reduce((s, y) => s + (y[i]! - mean[i]!) * (y[j]! - mean[j]!), 0) / (n - 1)));
    const trace = cov.reduce((s, row, i) => s + row[i]!, 0);
    const angles = es.map((e, s) => {
      const t = trueErrors[s]![l]!;
      const cos = e.reduce((acc, v, i) => acc + v * t[i]!, 0) / (norm(e) * norm(t));
      return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
    });
    return {
      weightNorm: frob(w),
      orthonormality: frob(wwt),
      activationNorm: ys.reduce((s, y) => s + norm(y), 0) / n,
      participationRatio: trace ** 2 / frob(cov) ** 2,
      errorNorm: es.reduce((s, e) => s + norm(e), 0) / n,
      stability: rule.theta[l]! * (ys.reduce((s, y) => s + norm(y) ** 2, 0) / n),
      alignmentAngle: angles.reduce((s, a) => s + a, 0) / n,
    };
  });
}

describe('evaluation point', () => {
  // The second network's three 5 → 5 layers are measured as one batch (evaluator.ts groups equal shapes).
  for (const [layers, theta] of [[[6, 5, 4, 3], [0.01, 0.02, 0.03]], [[6, 5, 5, 5, 5, 3], [0.01, 0.02, 0.03, 0.04, 0.05]]] as const)
  for (const feedbackMode of ['backprop', 'feedback-alignment'] as const) {
    it(`matches the float64 computation (${layers.join('-')}, ${feedbackMode})`, () => {
      const config = tinyConfig({ model: { layers: [...layers] }, rule: { feedback: feedbackMode, oja: [...theta], learningRate: 0.1 }, training: { probeSize: 12 } });
      const { params, feedback } = prepareRun(config);
      const test = randomSplit(30, 6, 3, 21);
      const evaluator = new Evaluator(config, test, feedback);
      const evaluation = evaluator.evaluate(params);
      evaluator.dispose();

      const weights = params.map((p) => toMatrix(p.weights, p.nOut, p.nIn));
      const rule: ReferenceRule = {
        activation: 'softplus',
        beta: 10,
        eta: 0.1,
        theta: [...theta],
        errorTerm: true,
        feedback: feedback ? feedback.map((f, l) => toMatrix(f, params[l]!.nOut, params[l]!.nIn)) : null,
      };
      const xs = Array.from({ length: 30 }, (_, s) => Array.from(test.inputs.subarray(s * 6, s * 6 + 6)));
      const labels = Array.from(test.labels);
      let loss = 0;
      let correct = 0;
      xs.forEach((x, s) => {
        const p = referenceForward(weights, x, rule).outputs.at(-1)!;
        loss -= Math.log(p[labels[s]!]!);
        if (p.indexOf(Math.max(...p)) === labels[s]) correct++;
      });
      close(evaluation.testLoss, loss / 30, 'test loss');
      assert.equal(evaluation.testAccuracy, correct / 30);

      const expected = referenceDiagnostics(weights, rule.feedback, xs.slice(0, 12), labels.slice(0, 12), rule);
      evaluation.layers.forEach((layer, l) => {
        const want = expected[l]!;
        close(layer.weightNorm, want.weightNorm, `layer ${l} weight norm`);
        close(layer.orthonormality, want.orthonormality, `layer ${l} orthonormality`);
        close(layer.activationNorm, want.activationNorm, `layer ${l} activation norm`);
        close(layer.participationRatio, want.participationRatio, `layer ${l} participation ratio`, 2e-3);
        close(layer.errorNorm, want.errorNorm, `layer ${l} error norm`);
        assert.equal(layer.ojaErrorRatio, null, 'the Oja-to-update ratio comes from the steps taken, not the probe');
        close(layer.stability, want.stability, `layer ${l} stability`);
        if (feedbackMode === 'feedback-alignment') {
          close(layer.alignmentAngle, want.alignmentAngle, `layer ${l} alignment angle`, 1e-2);
        } else assert.equal(layer.alignmentAngle, undefined);
      });
      if (feedbackMode === 'feedback-alignment') {
        // The same signal at the output: 0° up to float32 acos rounding near cos = 1.
        assert.ok(evaluation.layers.at(-1)!.alignmentAngle! < 0.05, 'the output error is the same signal');
        assert.ok(evaluation.layers[0]!.alignmentAngle! > 10, 'random feedback is misaligned at the start');
      }
    });
  }

  it('participation ratio: d for isotropic activations, 1 for a single direction', () => {
    // Identity layer [4 → 4] with linear activation feeding a 4-way softmax: y_1 = x.
    const config = tinyConfig({ model: { layers: [4, 4, 2], activation: 'linear' }, training: { probeSize: 8 } });
    const identity = { nOut: 4, nIn: 4, weights: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), bias: null };
    const output = { nOut: 2, nIn: 4, weights: new Float32Array(8), bias: null };
    // ±e_i for each axis: covariance ∝ I, so PR = 4.
    const axes = [1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, -1];
    const iso = new Evaluator(config, { count: 8, inputs: Float32Array.from(axes), labels: new Uint8Array(8) }, null);
    close(iso.evaluate([identity, output]).layers[0]!.participationRatio, 4, 'isotropic');
    iso.dispose();
    // Points along one line: PR = 1.
    const line = Float32Array.from({ length: 32 }, (_, i) => (i % 4 === 0 ? (i / 4) - 3.5 : (i % 4 === 1 ? 2 * ((i - 1) / 4 - 3.5) : 0)));
    const flat = new Evaluator(config, { count: 8, inputs: line, labels: new Uint8Array(8) }, null);
    close(flat.evaluate([identity, output]).layers[0]!.participationRatio, 1, 'one direction');
    flat.dispose();
  });
});
