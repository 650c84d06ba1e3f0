/**
 * The recurrent tasks as data sets: generated from the experiment's seed (a stream of their own,
 * apart from the weights', so the same seed gives the same sequences whatever the network), at
 * exactly data.trainSize and data.testSize sequences (or data.validationSize validation ones).
 */
import type { ExperimentConfig } from '../config/schema';
import type { Dataset, Split } from '../data/dataset';
import type { DataShape } from '../data/shape';
import { Random } from '../random';
import { copyTask, delayedRecall, memoryCapacityTask, type SequenceSplit } from './sequences';

export const DELAYED_RECALL_DEFAULTS = { symbols: 8, delay: 10, length: 5, trainSize: 10000, testSize: 1000 } as const;
/** Memory capacity: delays 1 … 30, sequences of 100 steps (the first 30 a washout without targets). */
export const MEMORY_CAPACITY_DEFAULTS = { delay: 30, length: 100, trainSize: 2000, testSize: 200 } as const;

/** Distinct seeds for the training and test sequences of a run's seed. */
const TRAIN_STREAM = 0x5e9a11;
const TEST_STREAM = 0x7e57ed;
const VALIDATION_STREAM = 0x7a11d;

export function delayedRecallDelays(config: ExperimentConfig): number[] {
  const delay = config.data.delay ?? DELAYED_RECALL_DEFAULTS.delay;
  return Array.isArray(delay) ? [...delay].sort((a, b) => a - b) : [delay];
}

/** Memory capacity's delays: data.delay K means 1 … K; a list, those delays (ascending). */
export function memoryCapacityDelays(config: ExperimentConfig): number[] {
  const delay = config.data.delay ?? MEMORY_CAPACITY_DEFAULTS.delay;
  return Array.isArray(delay) ? [...delay].sort((a, b) => a - b) : Array.from({ length: delay }, (_, k) => k + 1);
}

/** Memory capacity: one input per step, one output per delay. */
export function memoryCapacityShape(config: ExperimentConfig): DataShape {
  const delays = memoryCapacityDelays(config);
  const shown = Array.isArray(config.data.delay) ? delays.join(', ') : `1 … ${delays.length}`;
  return { inputSize: 1, numClasses: delays.length, description: `memory capacity over delays ${shown}`, regression: true };
}

/** Delayed recall and copy: V + 1 inputs per step (the last is the cue), V classes. */
export function symbolTaskShape(config: ExperimentConfig): DataShape {
  const symbols = config.data.symbols ?? DELAYED_RECALL_DEFAULTS.symbols;
  const task = config.data.source === 'copy' ? `copying ${config.data.length ?? DELAYED_RECALL_DEFAULTS.length} of ${symbols} symbols` : `delayed recall of ${symbols} symbols`;
  return { inputSize: symbols + 1, numClasses: symbols, description: task };
}

export function symbolTaskData(config: ExperimentConfig): Dataset {
  const { inputSize, numClasses, description } = symbolTaskShape(config);
  const delays = delayedRecallDelays(config);
  const length = config.data.length ?? DELAYED_RECALL_DEFAULTS.length;
  const draw = (random: Random, count: number) => (config.data.source === 'copy' ? copyTask(random, count, numClasses, length, delays) : delayedRecall(random, count, numClasses, delays));
  return generated(config, { inputSize, numClasses, description: `${description} after ${delays.join(', ')} steps` }, draw, DELAYED_RECALL_DEFAULTS);
}

export function memoryCapacityData(config: ExperimentConfig): Dataset {
  const steps = config.data.length ?? MEMORY_CAPACITY_DEFAULTS.length;
  const delays = memoryCapacityDelays(config);
  const shape = memoryCapacityShape(config);
  const draw = (random: Random, count: number) => memoryCapacityTask(random, count, steps, delays);
  return generated(config, { ...shape, description: `${shape.description} (sequences of ${steps} steps)` }, draw, MEMORY_CAPACITY_DEFAULTS);
}

/** A generated task's training and evaluation sequences, each split from a stream of its own. */
function generated(
  config: ExperimentConfig, shape: DataShape, draw: (random: Random, count: number) => SequenceSplit, defaults: { trainSize: number; testSize: number },
): Dataset {
  const { inputSize, numClasses, description, regression } = shape;
  const train = draw(new Random(config.seed ^ TRAIN_STREAM), config.data.trainSize ?? defaults.trainSize);
  // data.validationSize: the run is judged on that many sequences of a stream the test set never shares.
  const validation = config.data.validationSize;
  const test = validation
    ? draw(new Random(config.seed ^ VALIDATION_STREAM), validation)
    : draw(new Random(config.seed ^ TEST_STREAM), config.data.testSize ?? defaults.testSize);
  return {
    description: `${description}${validation ? `, evaluated on ${validation} validation sequences` : ''}`,
    inputSize,
    numClasses,
    ...(regression ? { regression } : {}),
    train: countsOnly(train),
    test: countsOnly(test),
    sequences: { train, test },
  };
}

/** Square images read one row per step: 28 × 28 digits are 28 steps of 28 values. */
function side(inputSize: number): number {
  return Math.round(Math.sqrt(inputSize));
}

/** The shape of images read row by row: values per step, the same classes. */
export function rowShape(images: DataShape): DataShape {
  const rows = side(images.inputSize);
  return { inputSize: rows, numClasses: images.numClasses, description: `${images.description}, read row by row (${rows} steps of ${rows})` };
}

/** Images as sequences: row t of an image at step t, its label the target at the last step. */
export function rowByRow(images: Dataset): Dataset {
  const rows = side(images.inputSize);
  const toSequences = (split: Split): SequenceSplit => {
    const offsets = Int32Array.from({ length: split.count + 1 }, (_, s) => s * rows);
    const targets = new Int16Array(split.count * rows).fill(-1);
    for (let s = 0; s < split.count; s++) targets[(s + 1) * rows - 1] = split.labels[s]!;
    return { count: split.count, inputSize: rows, offsets, inputs: split.inputs.subarray(0, split.count * images.inputSize), targets, delays: new Int32Array(split.count) };
  };
  const { inputSize, numClasses, description } = rowShape(images);
  return { description, inputSize, numClasses, train: images.train, test: images.test, sequences: { train: toSequences(images.train), test: toSequences(images.test) } };
}

/** A sequence split's static view: its count and each sequence's last target. */
function countsOnly(split: SequenceSplit): Split {
  const labels = new Uint8Array(split.count);
  for (let s = 0; s < split.count; s++) labels[s] = Math.max(0, split.targets[split.offsets[s + 1]! - 1]!);
  return { count: split.count, inputs: new Float32Array(0), labels };
}
