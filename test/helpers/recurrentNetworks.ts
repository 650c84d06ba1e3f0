/** Small recurrent networks and rules for the tests of the float64 reference and what is checked against it. */
import assert from 'node:assert/strict';
import type { Activation } from '../../src/engine/config/schema';
import { activationDerivatives } from '../../src/engine/model/activations';
import { Random } from '../../src/engine/random';
import { forward, recurrentUpdate, trainOnSequence, RECURRENT_MATRICES, type RecurrentRule, type RecurrentWeights } from '../../src/engine/recurrent/recurrentNet';
import { sequenceAt, type Sequence, type SequenceSplit } from '../../src/engine/recurrent/sequences';
import { WasmRecurrent } from '../../src/engine/recurrent/wasmRecurrent';

/** Every weight uniform in ±scale, from `seed`. */
export function network(I: number, N: number, O: number, seed: number, scale = 0.6): RecurrentWeights {
  const random = new Random(seed);
  const matrix = (n: number) => Float64Array.from({ length: n }, () => (random.uniform() * 2 - 1) * scale);
  return { inputs: I, hidden: N, outputs: O, in: matrix(N * I), rec: matrix(N * N), out: matrix(O * N) };
}

export const rule = (overrides: Partial<RecurrentRule> = {}): RecurrentRule => ({
  activation: 'tanh', beta: 10, learningRate: 0.1, errorTerm: true, oja: { in: 0, rec: 0, out: 0 }, feedback: null, ...overrides,
});

/** The sequence's summed loss under `weights` (softplus β 10). */
export const lossOf = (weights: RecurrentWeights, sequence: Sequence, activation: Activation) => forward(weights, sequence, activationDerivatives(activation, 10)).loss;

/** −ΔW/η of the update's error part equals central finite differences of the sequence's summed loss, every entry of every matrix. */
export function assertGradientMatchesFiniteDifferences(weights: RecurrentWeights, r: RecurrentRule, sequence: Sequence): void {
  const delta = recurrentUpdate(weights, r, sequence, forward(weights, sequence, activationDerivatives(r.activation, 10)));
  const h = 1e-6;
  for (const matrix of RECURRENT_MATRICES) {
    const w = weights[matrix];
    for (let m = 0; m < w.length; m++) {
      const keep = w[m]!;
      w[m] = keep + h;
      const up = lossOf(weights, sequence, r.activation);
      w[m] = keep - h;
      const down = lossOf(weights, sequence, r.activation);
      w[m] = keep;
      const numeric = (up - down) / (2 * h);
      const analytic = -delta[matrix][m]! / r.learningRate;
      assert.ok(Math.abs(analytic - numeric) <= 1e-6 * Math.max(1e-3, Math.abs(numeric)), `${matrix}[${m}]: ${analytic} vs ${numeric}`);
    }
  }
}

/** The SIMD update trained on every sequence of `data` gives the float64 reference's losses (1e-4) and weights (1e-4 of the largest). */
export function assertSimdFollowsReference(weights: RecurrentWeights, r: RecurrentRule, data: SequenceSplit, longest: number): void {
  const fast = new WasmRecurrent(weights, r, longest);
  const reference = { ...weights, in: weights.in.slice(), rec: weights.rec.slice(), out: weights.out.slice() };
  for (let s = 0; s < data.count; s++) {
    const expected = trainOnSequence(reference, r, sequenceAt(data, s));
    const actual = fast.step(sequenceAt(data, s));
    assert.ok(Math.abs(actual.loss - expected.loss) <= 1e-4 * Math.max(1, expected.loss), `sequence ${s}: loss ${actual.loss} vs ${expected.loss}`);
    assert.equal(actual.targets, expected.targets);
  }
  const w = fast.weights();
  for (const matrix of RECURRENT_MATRICES) {
    const scale = Math.max(...reference[matrix].map(Math.abs));
    const worst = Math.max(...w[matrix].map((v, m) => Math.abs(v - reference[matrix][m]!)));
    assert.ok(worst / scale < 1e-4, `W_${matrix}: ${worst / scale}`);
  }
}
