/**
 * `reproduce --data`: which digits (or clothes) the claims run on. The claims are written for the
 * bundled digits; another set of 28×28 images in 10 classes replaces them in every arm that uses
 * them (the synthetic PCA arms keep their own data).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../runFiles/fileErrors';
import type { Mode } from './claims';

export interface DataChoice {
  /** For the report: what the runs were trained and tested on. */
  description: string;
  /** Replaces `data` in every arm on the bundled digits; null keeps them. */
  data: Record<string, unknown> | null;
}

/** The quick reproduction's slice of a larger set: the bundled digits' sizes, so timings compare. */
export const QUICK_TRAIN = 8000;
export const QUICK_TEST = 2000;

const FILES = {
  trainImages: ['train-images-idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 'test-images-idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 'test-labels-idx1-ubyte'],
} as const;

/** Where `--data fashion-mnist` looks, in order: $PLASTICITY_DATA_DIR, the folder the extension downloads to by default, Debian's dataset package. */
export function fashionFolders(cwd: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [...(env.PLASTICITY_DATA_DIR ? [join(env.PLASTICITY_DATA_DIR, 'fashion-mnist')] : []), join(cwd, '.plasticity', 'data', 'fashion-mnist'), '/usr/share/datasets/fashion-mnist'];
}

/** Whether a folder holds the four IDX files (for offering it as data). */
export function holdsIdxSet(dir: string): boolean {
  return 'files' in idxFiles(dir);
}

/** The four IDX files in `dir` (each plain or .gz), or the first one missing. */
function idxFiles(dir: string): { files: Record<keyof typeof FILES, string> } | { missing: string } {
  const files: Partial<Record<keyof typeof FILES, string>> = {};
  for (const [key, names] of Object.entries(FILES) as Array<[keyof typeof FILES, readonly string[]]>) {
    const found = names.flatMap((name) => [name, `${name}.gz`]).map((name) => join(dir, name)).find((file) => existsSync(file));
    if (!found) return { missing: `${names[0]}(.gz)` };
    files[key] = found;
  }
  return { files: files as Record<keyof typeof FILES, string> };
}

export function chooseData(option: string | undefined, mode: Mode, cwd: string): DataChoice {
  if (option === undefined || option === 'mnist') return { description: 'the bundled MNIST digits (8,000 training, 2,000 test)', data: null };
  const sizes = mode === 'quick' ? { trainSize: QUICK_TRAIN, testSize: QUICK_TEST } : {};
  const sliced = mode === 'quick' ? `, the first ${QUICK_TRAIN.toLocaleString('en')} training and ${QUICK_TEST.toLocaleString('en')} test samples` : '';
  if (option === 'fashion-mnist') {
    const folders = fashionFolders(cwd);
    for (const dir of folders) {
      const found = idxFiles(dir);
      if ('files' in found) return { description: `Fashion-MNIST from ${dir}${sliced}`, data: { source: 'idx', ...found.files, ...sizes } };
    }
    throw new UsageError(
      `--data fashion-mnist: the four Fashion-MNIST IDX files are in none of ${folders.join(', ')}; download them with "Plasticity: Download Dataset…" (or set PLASTICITY_DATA_DIR to the folder holding fashion-mnist/), install Debian's dataset-fashion-mnist, or give --data idx:DIR`,
    );
  }
  if (option.startsWith('idx:') && option.length > 4) {
    const dir = resolve(cwd, option.slice(4));
    const found = idxFiles(dir);
    if ('missing' in found) throw new UsageError(`--data ${option}: ${dir} has no ${found.missing}; the folder must hold the four standard IDX files (train-images, train-labels, t10k-images, t10k-labels)`);
    return { description: `IDX files from ${dir}${sliced}`, data: { source: 'idx', ...found.files, ...sizes } };
  }
  throw new UsageError(`--data ${JSON.stringify(option)}: expected mnist (the bundled digits), fashion-mnist, or idx:DIR (a folder of the four IDX files)`);
}

/** An arm's config on the chosen data (arms on other sources, like the synthetic PCA, are left alone). */
export function onData(config: Record<string, unknown>, choice: DataChoice): Record<string, unknown> {
  const data = config.data as { source?: string } | undefined;
  if (!choice.data || data?.source !== 'mnist') return config;
  return { ...config, data: { ...choice.data } };
}
