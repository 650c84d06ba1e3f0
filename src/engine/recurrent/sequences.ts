/**
 * Sequence data for recurrent networks: each sequence is T steps of I inputs with, at some steps, a
 * target class. Stored flat (every sequence's steps one after another) so a split is three arrays.
 */
import type { Random } from '../random';

export interface SequenceSplit {
  count: number;
  /** Values per step. */
  inputSize: number;
  /** Sequence s has steps offsets[s] … offsets[s+1] − 1 (offsets has count + 1 entries). */
  offsets: Int32Array;
  /** Step-major: step k's inputs are inputs[k·I … (k+1)·I). */
  inputs: Float32Array;
  /** Per step: the target class, or −1 where the step has none. */
  targets: Int16Array;
  /** Per sequence: the delay it tests. */
  delays: Int32Array;
  /** What the memory curve is drawn against: each sequence's delay (absent), or a target's position among its sequence's targets (copy). */
  curve?: 'delay' | 'position';
  /**
   * Regression targets (memory capacity): a value per delay at each step (one per output), step-major;
   * the steps whose `targets` entry is ≥ 0 carry them, and the loss there is squared error instead of cross-entropy.
   */
  regression?: { values: Float32Array; delays: number[] };
}

/** One sequence's steps, as views into the split. */
export interface Sequence {
  steps: number;
  inputs: Float32Array;
  targets: Int16Array;
  delay: number;
  /** Regression tasks: the target values, one per output at each step. */
  regression?: Float32Array;
}

export function sequenceAt(split: SequenceSplit, s: number): Sequence {
  const from = split.offsets[s]!;
  const to = split.offsets[s + 1]!;
  return {
    steps: to - from,
    inputs: split.inputs.subarray(from * split.inputSize, to * split.inputSize),
    targets: split.targets.subarray(from, to),
    delay: split.delays[s]!,
    ...(split.regression ? { regression: split.regression.values.subarray(from * split.regression.delays.length, to * split.regression.delays.length) } : {}),
  };
}

/**
 * Delayed recall: V symbols; a sequence of delay D is D + 2 steps of V + 1 inputs: step 1 holds the
 * one-hot symbol, steps 2 … D + 1 are zero, step D + 2 has only the cue channel (index V) at 1, and its
 * one target is the symbol. Each sequence draws its symbol, then its delay from `delays`, from `random`.
 */
export function delayedRecall(random: Random, count: number, symbols: number, delays: readonly number[]): SequenceSplit {
  const inputSize = symbols + 1;
  const drawn = Array.from({ length: count }, () => ({ symbol: random.int(symbols), delay: delays[random.int(delays.length)]! }));
  const offsets = new Int32Array(count + 1);
  drawn.forEach(({ delay }, s) => (offsets[s + 1] = offsets[s]! + delay + 2));
  const total = offsets[count]!;
  const inputs = new Float32Array(total * inputSize);
  const targets = new Int16Array(total).fill(-1);
  drawn.forEach(({ symbol, delay }, s) => {
    const first = offsets[s]!;
    const cue = first + delay + 1;
    inputs[first * inputSize + symbol] = 1;
    inputs[cue * inputSize + symbols] = 1;
    targets[cue] = symbol;
  });
  return { count, inputSize, offsets, inputs, targets, delays: Int32Array.from(drawn, (d) => d.delay) };
}

/**
 * Copy: L symbols (one-hot, steps 1 … L), D empty steps, a step with only the cue channel (index V),
 * then L empty steps whose targets are the L symbols in order. Each sequence draws its symbols, then
 * its delay from `delays`; the memory curve is drawn against the position in the copied sequence.
 */
export function copyTask(random: Random, count: number, symbols: number, length: number, delays: readonly number[]): SequenceSplit {
  const inputSize = symbols + 1;
  const drawn = Array.from({ length: count }, () => ({ symbols: Array.from({ length }, () => random.int(symbols)), delay: delays[random.int(delays.length)]! }));
  const offsets = new Int32Array(count + 1);
  drawn.forEach(({ delay }, s) => (offsets[s + 1] = offsets[s]! + 2 * length + delay + 1));
  const total = offsets[count]!;
  const inputs = new Float32Array(total * inputSize);
  const targets = new Int16Array(total).fill(-1);
  drawn.forEach(({ symbols: shown, delay }, s) => {
    const first = offsets[s]!;
    const cue = first + length + delay;
    shown.forEach((symbol, k) => {
      inputs[(first + k) * inputSize + symbol] = 1;
      targets[cue + 1 + k] = symbol;
    });
    inputs[cue * inputSize + symbols] = 1;
  });
  return { count, inputSize, offsets, inputs, targets, delays: Int32Array.from(drawn, (d) => d.delay), curve: 'position' };
}

/**
 * Memory capacity (Jaeger): `steps` values u_t ~ U(−1, 1), one input per step; at every step after
 * the longest delay K (the washout), the targets are u_{t−k} for each k in `delays`, one output each.
 */
export function memoryCapacityTask(random: Random, count: number, steps: number, delays: readonly number[]): SequenceSplit {
  const longest = Math.max(...delays);
  const outputs = delays.length;
  const total = count * steps;
  const inputs = Float32Array.from({ length: total }, () => 2 * random.uniform() - 1);
  const targets = new Int16Array(total).fill(-1);
  const values = new Float32Array(total * outputs);
  for (let s = 0; s < count; s++) {
    for (let t = longest; t < steps; t++) {
      const step = s * steps + t;
      targets[step] = 0;
      delays.forEach((k, o) => (values[step * outputs + o] = inputs[step - k]!));
    }
  }
  return {
    count,
    inputSize: 1,
    offsets: Int32Array.from({ length: count + 1 }, (_, s) => s * steps),
    inputs,
    targets,
    delays: new Int32Array(count),
    regression: { values, delays: [...delays] },
  };
}
