/** In-memory datasets: images flattened row-major, scaled to [0, 1]; labels as class indices. */
import type { SequenceSplit } from '../recurrent/sequences';

export interface Split {
  count: number;
  /** count × inputSize values, sample after sample. */
  inputs: Float32Array;
  labels: Uint8Array;
}

export interface Dataset {
  /** Human description, e.g. "MNIST (bundled, 8000 train / 2000 test)". */
  description: string;
  /** Values per sample (per step, for sequences). */
  inputSize: number;
  numClasses: number;
  /** Regression targets (memory capacity): numClasses target values per target step, one per output. */
  regression?: boolean;
  train: Split;
  test: Split;
  /**
   * Sequence data (recurrent networks' tasks): the sequences themselves. The static splits then
   * hold only their counts and each sequence's last target (no inputs): sizes and shuffling work on
   * them as on samples, and nothing else reads them for a recurrent run.
   */
  sequences?: { train: SequenceSplit; test: SequenceSplit };
}

export function sliceSplit(split: Split, count: number | undefined, inputSize: number): Split {
  if (count === undefined || count >= split.count) return split;
  return { count, inputs: split.inputs.subarray(0, count * inputSize), labels: split.labels.subarray(0, count) };
}
