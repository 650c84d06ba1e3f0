/** Small recurrent networks and rules for the tests of the float64 reference and what is checked against it. */
import type { Activation } from '../../src/engine/config/schema';
import { activationDerivatives } from '../../src/engine/model/activations';
import { Random } from '../../src/engine/random';
import { forward, type RecurrentRule, type RecurrentWeights } from '../../src/engine/recurrent/recurrentNet';
import type { Sequence } from '../../src/engine/recurrent/sequences';

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
