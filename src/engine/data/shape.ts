/**
 * What the data an experiment names looks like (values per sample, classes), read cheaply: IDX
 * headers and label files only, never the pixels. The form checks layer sizes against it on every
 * edit; the engine checks the loaded data with the same rule.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import type { ExperimentConfig } from '../config/schema';
import type { ConfigIssue } from '../config/issues';
import { readIdxFile } from './idx';
import { bundledMnistFile } from './bundled';
import { memoryCapacityShape, rowShape, symbolTaskShape } from '../recurrent/sequenceData';

export interface DataShape {
  inputSize: number;
  numClasses: number;
  description: string;
  /** Regression targets (memory capacity): numClasses is the number of target values, one per output. */
  regression?: boolean;
}

/** The layer sizes that do not fit the data: the first must equal its values per sample, the last hold its classes. */
export function modelFitIssues(config: ExperimentConfig, shape: DataShape): ConfigIssue[] {
  const layers = config.model.layers;
  const issues: ConfigIssue[] = [];
  if (layers[0] !== shape.inputSize) {
    issues.push({ path: 'model.layers.0', message: `${layers[0]} does not match the ${shape.inputSize} input values per sample of ${shape.description}` });
  }
  const outputs = layers[layers.length - 1]!;
  // Relabelled episodes use one output per class of an episode, whatever the data set holds.
  if (shape.regression) {
    if (outputs !== shape.numClasses) issues.push({ path: `model.layers.${layers.length - 1}`, message: `${outputs} outputs: ${shape.description} needs one per delay, ${shape.numClasses}` });
  } else if (outputs < shape.numClasses && !config.training.episodes?.relabel) {
    issues.push({ path: `model.layers.${layers.length - 1}`, message: `${outputs} output units cannot represent the ${shape.numClasses} classes of ${shape.description}` });
  }
  return issues;
}

const HEAD_BYTES = 64 * 1024;
const cache = new Map<string, { stamp: string; value: number[] | number }>();

/** A file's value, computed again only when the file changed. */
function cached<T extends number[] | number>(file: string, compute: () => T): T {
  const { mtimeMs, size } = statSync(file);
  const stamp = `${mtimeMs}:${size}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.value as T;
  const value = compute();
  cache.set(file, { stamp, value });
  return value;
}

/** An IDX file's dimensions from its first bytes (gzip or not). */
function idxDims(file: string): number[] {
  return cached(file, () => {
    const handle = openSync(file, 'r');
    let head = Buffer.alloc(HEAD_BYTES);
    try {
      head = head.subarray(0, readSync(handle, head, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(handle);
    }
    // A partial gzip stream: flush what the first bytes hold instead of failing on the cut.
    const bytes = head[0] === 0x1f && head[1] === 0x8b ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }) : head;
    const rank = bytes[3] ?? 0;
    if (bytes[0] !== 0 || bytes[1] !== 0 || rank === 0 || bytes.length < 4 + 4 * rank) return [];
    return Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  });
}

function maxLabel(file: string): number {
  return cached(file, () => readIdxFile(file).data.reduce((max, label) => Math.max(max, label), 0));
}

function idxShape(description: string, trainImages: string, trainLabels: string, testLabels: string): DataShape | null {
  const dims = idxDims(trainImages);
  if (dims.length < 2) return null;
  return { inputSize: dims.slice(1).reduce((a, b) => a * b, 1), numClasses: 1 + Math.max(maxLabel(trainLabels), maxLabel(testLabels)), description };
}

/**
 * The shape of the experiment's data, or null where it follows the model (synthetic data) or
 * cannot be read (a missing or broken file is reported, with its name, when the run loads it).
 */
export function dataShape(config: ExperimentConfig, baseDir: string): DataShape | null {
  const data = config.data;
  try {
    switch (data.source) {
      case 'mnist':
        return idxShape('MNIST (bundled)', bundledMnistFile('trainImages'), bundledMnistFile('trainLabels'), bundledMnistFile('testLabels'));
      case 'idx': {
        const at = (file: string | undefined) => (isAbsolute(file!) ? file! : resolve(baseDir, file!));
        return idxShape('IDX files', at(data.trainImages), at(data.trainLabels), at(data.testLabels));
      }
      case 'synthetic-gaussian':
        return null;
      case 'delayed-recall':
      case 'copy':
        return symbolTaskShape(config);
      case 'memory-capacity':
        return memoryCapacityShape(config);
      case 'sequential-mnist': {
        const images = dataShape({ ...config, data: { ...data, source: data.trainImages ? 'idx' : 'mnist' } }, baseDir);
        return images && rowShape(images);
      }
    }
  } catch {
    return null;
  }
}
