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
  /** Per sequence: the delay it tests (the memory curve's x-axis). */
  delays: Int32Array;
}

/** One sequence's steps, as views into the split. */
export interface Sequence {
  steps: number;
  inputs: Float32Array;
  targets: Int16Array;
  delay: number;
}

export function sequenceAt(split: SequenceSplit, s: number): Sequence {
  const from = split.offsets[s]!;
  const to = split.offsets[s + 1]!;
  return {
    steps: to - from,
    inputs: split.inputs.subarray(from * split.inputSize, to * split.inputSize),
    targets: split.targets.subarray(from, to),
    delay: split.delays[s]!,
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
