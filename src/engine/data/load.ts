/** Loads the dataset an experiment names; loaded sets are kept so warm workers read them once. */
import { isAbsolute, resolve } from 'node:path';
import type { ExperimentConfig } from '../config/schema';
import { ConfigError } from '../config/issues';
import { sliceSplit, type Dataset, type Split } from './dataset';
import { readIdxPair } from './idx';
import { bundledMnistFile } from './bundled';
import { gaussianForConfig } from './synthetic';
import { modelFitIssues } from './shape';
import { memoryCapacityData, rowByRow, symbolTaskData } from '../recurrent/sequenceData';

const cache = new Map<string, Dataset>();

export interface LoadOptions {
  /** Folder that relative paths in the config are resolved against (the experiment file's folder). */
  baseDir: string;
}

export function loadDataset(config: ExperimentConfig, options: LoadOptions): Dataset {
  const data = config.data;
  const key = fullSetKey(config, options.baseDir);
  let full = cache.get(key);
  if (!full) {
    full = loadFull(config, options);
    cache.set(key, full);
  }
  // Generated sequences draw their validation set themselves.
  const { train, test, description } = data.validationSize === undefined || full.sequences ? full : carveValidation(full, data.validationSize);
  const sliced: Dataset = {
    ...full,
    description,
    train: sliceSplit(train, data.trainSize, full.inputSize),
    test: sliceSplit(test, data.testSize, full.inputSize),
  };
  // Digits read row by row: the sequences are made from the samples the run uses.
  const dataset = data.source === 'sequential-mnist' ? rowByRow(sliced) : sliced;
  checkModelFits(config, dataset);
  return dataset;
}

/** The last `count` training samples become the evaluation set; the test split is not used at all. */
function carveValidation(full: Dataset, count: number): Pick<Dataset, 'train' | 'test' | 'description'> {
  if (count >= full.train.count) {
    throw new ConfigError([{ path: 'data.validationSize', message: `${count} leaves no training samples; ${full.description} has ${full.train.count}, so use at most ${full.train.count - 1}` }]);
  }
  const kept = full.train.count - count;
  const at = kept * full.inputSize;
  return {
    train: { count: kept, inputs: full.train.inputs.subarray(0, at), labels: full.train.labels.subarray(0, kept) },
    test: { count, inputs: full.train.inputs.subarray(at, at + count * full.inputSize), labels: full.train.labels.subarray(kept) },
    description: `${full.description}, evaluated on the last ${count} training samples (validation)`,
  };
}

/** What determines the full (unsliced) set: sizes and shuffling apply after the cache. */
function fullSetKey(config: ExperimentConfig, baseDir: string): string {
  const data = config.data;
  switch (data.source) {
    case 'mnist':
      return 'mnist';
    case 'idx':
      return JSON.stringify(['idx', baseDir, data.trainImages, data.trainLabels, data.testImages, data.testLabels]);
    case 'sequential-mnist':
      return data.trainImages ? JSON.stringify(['idx', baseDir, data.trainImages, data.trainLabels, data.testImages, data.testLabels]) : 'mnist';
    case 'synthetic-gaussian':
      // Generated at exactly the requested sizes from the experiment's seed and shape.
      return JSON.stringify(['synthetic', data.trainSize, data.testSize, data.decay, config.model.layers, config.seed]);
    case 'delayed-recall':
    case 'copy':
    case 'memory-capacity':
      return JSON.stringify([data.source, data.trainSize, data.testSize, data.validationSize, data.symbols, data.length, data.delay, config.seed]);
  }
}

function loadFull(config: ExperimentConfig, { baseDir }: LoadOptions): Dataset {
  const data = config.data;
  switch (data.source) {
    case 'mnist':
      return fromIdx('MNIST (bundled)', bundledMnistFile('trainImages'), bundledMnistFile('trainLabels'), bundledMnistFile('testImages'), bundledMnistFile('testLabels'));
    case 'idx': {
      const at = (file: string | undefined) => (isAbsolute(file!) ? file! : resolve(baseDir, file!));
      return fromIdx('IDX files', at(data.trainImages), at(data.trainLabels), at(data.testImages), at(data.testLabels));
    }
    case 'synthetic-gaussian':
      return synthetic(config);
    case 'delayed-recall':
    case 'copy':
      return symbolTaskData(config);
    case 'memory-capacity':
      return memoryCapacityData(config);
    case 'sequential-mnist':
      // The same files as idx (else the bundled digits); rowByRow makes them sequences once sliced.
      return data.trainImages ? loadFull({ ...config, data: { ...data, source: 'idx' } }, { baseDir }) : loadFull({ ...config, data: { ...data, source: 'mnist' } }, { baseDir });
  }
}

function fromIdx(label: string, trainImages: string, trainLabels: string, testImages: string, testLabels: string): Dataset {
  const train = readIdxPair(trainImages, trainLabels);
  const test = readIdxPair(testImages, testLabels);
  if (train.inputSize !== test.inputSize) {
    throw new ConfigError([{ path: 'data.testImages', message: `test images have ${test.inputSize} values each but training images have ${train.inputSize}` }]);
  }
  return {
    description: label,
    inputSize: train.inputSize,
    numClasses: 1 + Math.max(maxLabel(train.split), maxLabel(test.split)),
    train: train.split,
    test: test.split,
  };
}

function synthetic(config: ExperimentConfig): Dataset {
  const layers = config.model.layers;
  const set = gaussianForConfig(config);
  return { description: 'correlated Gaussian (synthetic)', inputSize: layers[0]!, numClasses: layers[layers.length - 1]!, train: set.train, test: set.test };
}

function maxLabel(split: Split): number {
  let max = 0;
  for (const label of split.labels) if (label > max) max = label;
  return max;
}

function checkModelFits(config: ExperimentConfig, dataset: Dataset): void {
  const issues = modelFitIssues(config, dataset);
  if (issues.length > 0) throw new ConfigError(issues);
}
