/**
 * Which classes and samples few-shot episodes draw from, and whether the data can supply them:
 * checked before a run starts, so a bad request fails naming the field instead of mid-run.
 */
import type { ExperimentConfig } from '../config/schema';
import type { ConfigIssue } from '../config/issues';
import type { Dataset, Split } from '../data/dataset';

/**
 * The classes a `classes` value names, with the field that names them: a list (given at
 * `listField`), or a side of the meta split (undefined where that side is not set); null for "all".
 */
export function namedClasses(
  classes: 'all' | 'train' | 'test' | number[], meta: ExperimentConfig['meta'], listField: string,
): { classes: number[] | undefined; field: string } | null {
  if (classes === 'all') return null;
  if (Array.isArray(classes)) return { classes, field: listField };
  return { classes: meta?.[`${classes}Classes`], field: `meta.${classes}Classes` };
}

/** The issue, at `path`, of a "train" or "test" that names a side of the meta split that is not set; null otherwise. */
export function unsetSplitIssue(path: string, classes: 'all' | 'train' | 'test' | number[], meta: ExperimentConfig['meta']): ConfigIssue | null {
  if ((classes !== 'train' && classes !== 'test') || meta?.[`${classes}Classes`]) return null;
  return { path, message: `"${classes}" names meta.${classes}Classes, which is not set` };
}

/** The classes a run's episodes draw from (training.episodes.classes, through the meta split), and the field that names them. */
function episodePool(config: ExperimentConfig, numClasses: number): { classes: number[]; field: string } {
  const named = namedClasses(config.training.episodes!.classes, config.meta, 'training.episodes.classes');
  return named ? { classes: named.classes ?? [], field: named.field } : { classes: Array.from({ length: numClasses }, (_, c) => c), field: 'training.episodes.classes' };
}

export function episodeClasses(config: ExperimentConfig, numClasses: number): number[] {
  return episodePool(config, numClasses).classes;
}

/** Sample indices of each class in a split. */
export function samplesByClass(split: Split, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < split.count; i++) byClass[split.labels[i]!]?.push(i);
  return byClass;
}

/** What stops the data from supplying the episodes asked for (classes it lacks, too few samples). */
export function episodeDataIssues(config: ExperimentConfig, dataset: Dataset): ConfigIssue[] {
  const episodes = config.training.episodes;
  if (!episodes) return [];
  const { classes: pool, field } = episodePool(config, dataset.numClasses);
  const missing = pool.filter((c) => c >= dataset.numClasses);
  if (missing.length > 0) {
    return [{ path: field, message: `class ${missing.join(', ')} is not in ${dataset.description}, which has classes 0–${dataset.numClasses - 1}` }];
  }
  const issues: ConfigIssue[] = [];
  if (episodes.ways > pool.length) {
    issues.push({ path: 'training.episodes.ways', message: `${episodes.ways} classes per episode, but ${field} offers ${pool.length}` });
  }
  const train = samplesByClass(dataset.train, dataset.numClasses);
  const test = samplesByClass(dataset.test, dataset.numClasses);
  const fewest = (byClass: number[][]) => pool.reduce((least, c) => (byClass[c]!.length < byClass[least]!.length ? c : least), pool[0]!);
  const thinTrain = fewest(train);
  if (train[thinTrain]!.length < episodes.shots) {
    issues.push({ path: 'training.episodes.shots', message: `${episodes.shots} samples per class, but class ${thinTrain} has ${train[thinTrain]!.length} in the training split of ${dataset.description}` });
  }
  const thinTest = fewest(test);
  if (test[thinTest]!.length < episodes.queries) {
    issues.push({ path: 'training.episodes.queries', message: `${episodes.queries} samples per class, but class ${thinTest} has ${test[thinTest]!.length} in the test split of ${dataset.description}` });
  }
  return issues;
}
