/**
 * One online update of a recurrent network as issue 14 specifies it (and bench/pytorch_rnn.py writes
 * it in PyTorch): delayed recall of 8 symbols with T = 30 steps (delay 28), 128 tanh hidden units,
 * backpropagation through time and Oja's term on W_rec. Milliseconds per sequence, one per repeat,
 * on the SIMD update and on the float64 reference.
 */
import { parseExperiment } from '../engine/config/validate';
import { Random } from '../engine/random';
import { delayedRecall, sequenceAt } from '../engine/recurrent/sequences';
import { trainOnSequence } from '../engine/recurrent/recurrentNet';
import { initialRecurrentWeights, recurrentRuleOf } from '../engine/recurrent/recurrentSetup';
import { WasmRecurrent, wasmRecurrentSupports } from '../engine/recurrent/wasmRecurrent';

export const RECURRENT_BENCH = { hidden: 128, steps: 30, symbols: 8 } as const;

export function measureRecurrentUpdate(sequences: number, repeats: number): { simd: number[]; reference: number[] } {
  const { hidden, steps, symbols } = RECURRENT_BENCH;
  const config = parseExperiment({
    name: 'bench rnn',
    data: { source: 'delayed-recall', symbols, delay: steps - 2 },
    model: { kind: 'rnn', layers: [symbols + 1, hidden, symbols], activation: 'tanh' },
    rule: { learningRate: 0.003, oja: { rec: 0.001 } },
  });
  const data = delayedRecall(new Random(1), sequences, symbols, [steps - 2]);
  const rule = recurrentRuleOf(config, null);
  const time = (update: (s: number) => void, count: number): number[] => {
    const times: number[] = [];
    // The first repeat warms the JIT up and is left out.
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      for (let s = 0; s < count; s++) update(s);
      if (r > 0) times.push((performance.now() - t0) / count);
    }
    return times;
  };
  const simd = wasmRecurrentSupports(rule) ? new WasmRecurrent(initialRecurrentWeights(config, new Random(1)), rule, steps) : null;
  const weights = initialRecurrentWeights(config, new Random(1));
  return {
    simd: simd ? time((s) => simd.step(sequenceAt(data, s)), data.count) : [],
    // A fifth as many on the reference: it is the slow one.
    reference: time((s) => trainOnSequence(weights, rule, sequenceAt(data, s)), Math.max(5, Math.round(data.count / 5))),
  };
}
