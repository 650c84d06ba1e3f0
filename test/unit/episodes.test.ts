/** Few-shot episodes (training.episodes): one episode against the float64 reference, the loop, the class split, bad requests. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/engine/backend';
import { prepareRun, train } from '../../src/engine/trainer';
import { drawEpisode, episodeSplit, trainOnEpisode } from '../../src/engine/episodes/episodeTrainer';
import { episodeClasses, episodeDataIssues, samplesByClass } from '../../src/engine/episodes/classPool';
import { QueryEvaluator, tensorLossAndAccuracy } from '../../src/engine/episodes/queryEvaluation';
import { validateExperiment } from '../../src/engine/config/validate';
import { loadDataset } from '../../src/engine/data/load';
import type { Dataset } from '../../src/engine/data/dataset';
import { Random } from '../../src/engine/random';
import { outcomeOf } from '../../src/runFiles/summary';
import { referenceForward, referenceState, referenceStep, toMatrix, type Matrix } from '../helpers/reference';
import { referenceRuleOf } from '../helpers/referenceRule';
import { assertClose, randomSplit, tinyConfig } from '../helpers/fixtures';

const EPISODES = { ways: 3, shots: 4, queries: 5, count: 6 };

/** Six classes of random inputs: 10 training and 8 test samples each. */
function tinyDataset(): Dataset {
  const train = randomSplit(60, 6, 6, 31);
  const test = randomSplit(48, 6, 6, 32);
  train.labels.forEach((_, i) => (train.labels[i] = i % 6));
  test.labels.forEach((_, i) => (test.labels[i] = i % 6));
  return { description: 'tiny', inputSize: 6, numClasses: 6, train, test };
}

before(async () => {
  await initBackend('cpu');
});

describe('one episode against the float64 reference', () => {
  const cases = [
    ['online', {}],
    ['online-js', { rule: { feedback: 'feedback-alignment', terms: { errorHebbian: 0.03, sanger: 0.02 } } }],
    ['tfjs', { model: { activation: 'tanh' } }],
    ['tfjs', { training: { batchSize: 2, episodes: EPISODES } }],
  ] as const;
  for (const [executorName, overrides] of cases) {
    it(`${executorName} ${JSON.stringify(overrides)}: the trained weights, the training loss and the query loss and accuracy`, () => {
      const config = tinyConfig({ ...overrides, model: { layers: [6, 5, 6], ...('model' in overrides ? overrides.model : {}) }, training: { steps: undefined, episodes: EPISODES, ...('training' in overrides ? overrides.training : {}) } });
      const dataset = tinyDataset();
      const random = new Random(3);
      const episode = drawEpisode(random, [0, 1, 2, 3, 4, 5], config.training.episodes!, dataset, samplesByClass(dataset.train, 6), samplesByClass(dataset.test, 6));
      const { params, feedback } = prepareRun(config);
      const order = random.permutation(episode.support.count);
      const trained = trainOnEpisode(executorName, config, params, feedback, episode.support, order);
      const query = new QueryEvaluator(config).evaluate(trained.params, episode.query);

      const rule = referenceRuleOf(config, params, feedback);
      const state = referenceState(params.map((p) => toMatrix(p.weights, p.nOut, p.nIn)), rule);
      let weights: Matrix[] = params.map((p) => toMatrix(p.weights, p.nOut, p.nIn));
      let lossSum = 0;
      const sample = (split: typeof episode.support, i: number) => ({ x: Array.from(split.inputs.subarray(i * 6, i * 6 + 6)), label: split.labels[i]! });
      const batch = config.training.batchSize;
      for (let at = 0; at < order.length; at += batch) {
        const samples = Array.from(order.subarray(at, at + batch), (i) => sample(episode.support, i));
        const next = referenceStep(weights, samples, rule, state);
        weights = next.weights;
        lossSum += next.loss * samples.length;
      }
      trained.params.forEach((p, l) => assertClose(p.weights, weights[l]!.flat(), 2e-5, `layer ${l}`));
      assert.equal(trained.loss.count, episode.support.count);
      assert.ok(Math.abs(trained.loss.sum - lossSum) < 1e-4 * lossSum, `training loss ${trained.loss.sum} vs ${lossSum}`);
      let queryLoss = 0;
      let correct = 0;
      for (let i = 0; i < episode.query.count; i++) {
        const { x, label } = sample(episode.query, i);
        const probabilities = referenceForward(weights, x, rule, state).outputs.at(-1)!;
        queryLoss -= Math.log(probabilities[label]!);
        if (probabilities.indexOf(Math.max(...probabilities)) === label) correct++;
      }
      assert.ok(Math.abs(query.loss - queryLoss / episode.query.count) < 1e-5, `query loss ${query.loss} vs ${queryLoss / episode.query.count}`);
      assert.equal(query.accuracy, correct / episode.query.count);
      assert.ok(weights.some((w, l) => Math.abs(w[0]![0]! - params[l]!.weights[0]!) > 1e-4), 'the episode moved the weights');
    });
  }
});

describe('drawing an episode', () => {
  it('M distinct classes from the pool, K distinct training and Q distinct test samples of each, relabelled on request', () => {
    const dataset = tinyDataset();
    const trainByClass = samplesByClass(dataset.train, 6);
    const testByClass = samplesByClass(dataset.test, 6);
    const random = new Random(9);
    const episode = drawEpisode(random, [1, 3, 4, 5], { ...EPISODES, classes: 'all', reinit: true, relabel: false, movingAverage: 20 }, dataset, trainByClass, testByClass);
    assert.equal(new Set(episode.classes).size, 3);
    assert.ok(episode.classes.every((c) => [1, 3, 4, 5].includes(c)));
    assert.equal(episode.support.count, 12);
    assert.equal(episode.query.count, 15);
    for (const c of episode.classes) {
      assert.equal(episode.support.labels.filter((l) => l === c).length, 4);
      assert.equal(episode.query.labels.filter((l) => l === c).length, 5);
    }
    // Each copied sample is a distinct sample of the split, with its own label.
    const rows = (split: typeof episode.support) => Array.from({ length: split.count }, (_, i) => Array.from(split.inputs.subarray(i * 6, i * 6 + 6)).join());
    const trainRows = rows(dataset.train);
    const supportRows = rows(episode.support);
    assert.equal(new Set(supportRows).size, 12);
    supportRows.forEach((row, i) => assert.equal(dataset.train.labels[trainRows.indexOf(row)], episode.support.labels[i]));

    const relabelled = episodeSplit(dataset.train, trainByClass, [5, 2], 3, new Random(1), true);
    assert.deepEqual(Array.from(relabelled.labels), [0, 0, 0, 1, 1, 1]);
    const kept = episodeSplit(dataset.train, trainByClass, [5, 2], 3, new Random(1), false);
    assert.deepEqual(Array.from(kept.labels), [5, 5, 5, 2, 2, 2]);
    assert.deepEqual(kept.inputs, relabelled.inputs, 'relabelling changes labels only');
  });

  it('one query evaluator serves every episode: reloaded with each query set, it gives what a fresh one and TensorFlow.js give', () => {
    const config = tinyConfig({ model: { layers: [6, 5, 6], normalization: 'layer' }, training: { steps: undefined, episodes: EPISODES } });
    const { params } = prepareRun(config);
    const dataset = tinyDataset();
    const random = new Random(5);
    const reused = new QueryEvaluator(config);
    for (let e = 0; e < 3; e++) {
      const { query } = drawEpisode(random, [0, 1, 2, 3, 4, 5], config.training.episodes!, dataset, samplesByClass(dataset.train, 6), samplesByClass(dataset.test, 6));
      const got = reused.evaluate(params, query);
      assert.deepEqual(got, new QueryEvaluator(config).evaluate(params, query));
      const tensors = tensorLossAndAccuracy(config, params, query);
      assert.ok(Math.abs(got.loss - tensors.loss) < 1e-5, `${got.loss} vs ${tensors.loss}`);
      assert.equal(got.accuracy, tensors.accuracy);
    }
  });

  it('"train" and "test" name the meta split', () => {
    const config = tinyConfig({ model: { layers: [6, 5, 6] }, training: { steps: undefined, episodes: { ...EPISODES, classes: 'test' } }, meta: { trainClasses: [0, 1, 2], testClasses: [3, 4, 5] } });
    assert.deepEqual(episodeClasses(config, 6), [3, 4, 5]);
    assert.deepEqual(episodeClasses({ ...config, training: { ...config.training, episodes: { ...config.training.episodes!, classes: 'all' } } }, 4), [0, 1, 2, 3]);
  });
});

describe('the episode loop', () => {
  const mnistEpisodes = (shots: number, extra: Record<string, unknown> = {}) =>
    tinyConfig({
      seed: 4,
      data: { source: 'mnist', trainSize: 4000, testSize: 1000 },
      model: { layers: [784, 100, extra.relabel === false ? 10 : 5] },
      rule: { learningRate: 0.05, oja: 0 },
      training: { steps: undefined, episodes: { ways: 5, shots, queries: 10, count: 12, relabel: true, ...extra } },
    });

  it('one point per episode with its classes and moving averages; the summary holds the means; the same seed gives the same run', async () => {
    const config = mnistEpisodes(10, { movingAverage: 5 });
    const dataset = loadDataset(config, { baseDir: process.cwd() });
    const result = await train(config, { dataset, backend: 'cpu' });
    assert.equal(result.status, 'completed');
    assert.equal(result.points.length, 12);
    assert.deepEqual(result.points.map((p) => p.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    result.points.forEach((p, i) => {
      assert.equal(new Set(p.episode!.classes).size, 5);
      const window = result.points.slice(Math.max(0, i - 4), i + 1);
      assert.ok(Math.abs(p.episode!.movingAccuracy - window.reduce((s, q) => s + q.testAccuracy, 0) / window.length) < 1e-12);
      assert.ok(Math.abs(p.episode!.movingLoss - window.reduce((s, q) => s + q.testLoss, 0) / window.length) < 1e-12);
      assert.equal(p.layers.length, 0);
    });
    assert.ok(new Set(result.points.map((p) => p.episode!.classes.join())).size > 1, 'episodes draw different classes');
    const outcome = outcomeOf(result.points);
    const accuracies = result.points.map((p) => p.testAccuracy);
    const mean = accuracies.reduce((s, a) => s + a, 0) / 12;
    assert.ok(Math.abs(outcome.final!.testAccuracy - mean) < 1e-12);
    assert.ok(Math.abs(outcome.episodes!.accuracy.sd - Math.sqrt(accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / 11)) < 1e-12);
    assert.equal(outcome.episodes!.count, 12);
    const again = await train(config, { dataset, backend: 'cpu' });
    assert.deepEqual(again.points.map((p) => [p.testAccuracy, p.testLoss, p.episode!.classes]), result.points.map((p) => [p.testAccuracy, p.testLoss, p.episode!.classes]));
  });

  it('on the bundled digits, 5-way episodes learn: far above chance with 20 shots, and better than with 1', async () => {
    const outcomes = await Promise.all([1, 20].map(async (shots) => {
      const config = mnistEpisodes(shots);
      return outcomeOf((await train(config, { dataset: loadDataset(config, { baseDir: process.cwd() }), backend: 'cpu' })).points).final!.testAccuracy;
    }));
    const [one, twenty] = outcomes as [number, number];
    assert.ok(twenty > 0.6, `20-shot accuracy ${twenty}`);
    assert.ok(twenty > one + 0.15, `20-shot ${twenty} vs 1-shot ${one}`);
  });

  it('reinit: false carries the network from episode to episode, so the same classes (kept on their own outputs) are learned better over time', async () => {
    const run = async (reinit: boolean) => {
      const config = mnistEpisodes(2, { reinit, relabel: false, count: 30, classes: [0, 1, 2, 3, 4], movingAverage: 10 });
      return (await train(config, { dataset: loadDataset(config, { baseDir: process.cwd() }), backend: 'cpu' })).points.at(-1)!.episode!.movingAccuracy;
    };
    const [fresh, carried] = [await run(true), await run(false)];
    assert.ok(carried > fresh + 0.1, `carried ${carried} vs fresh ${fresh}`);
  });

  it('a stop keeps the episodes done', async () => {
    const config = mnistEpisodes(5, { count: 1000 });
    const controller = new AbortController();
    const result = await train(config, {
      dataset: loadDataset(config, { baseDir: process.cwd() }),
      backend: 'cpu',
      signal: controller.signal,
      onPoint: (p) => p.step === 3 && controller.abort(),
    });
    assert.equal(result.status, 'stopped');
    assert.equal(result.points.length, 3);
    assert.equal(result.reason, 'stopped after episode 3 of 1000');
  });
});

describe('bad episode requests are named', () => {
  const issues = (input: Record<string, unknown>) => {
    const result = validateExperiment({ data: { source: 'synthetic-gaussian' }, model: { layers: [6, 5, 10] }, ...input });
    return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
  };
  it('counts, splits, output units, and training length', () => {
    assert.match(issues({ training: { episodes: { count: 0 } } }).join('\n'), /training\.episodes\.count: 0 is not allowed; must be >= 1/);
    assert.match(issues({ training: { episodes: { shots: -1 } } }).join('\n'), /training\.episodes\.shots: -1 is not allowed; must be >= 1/);
    assert.match(issues({ training: { episodes: { ways: 1 } } }).join('\n'), /training\.episodes\.ways: 1 is not allowed; must be >= 2/);
    assert.match(issues({ training: { episodes: { wayz: 5 } } }).join('\n'), /training\.episodes\.wayz: unknown field/);
    assert.deepEqual(issues({ training: { episodes: {} }, meta: { trainClasses: [0, 1, 2, 3, 4], testClasses: [4, 5, 6, 7, 8] } }), [
      'meta.testClasses: [4,5,6,7,8] shares class 4 with meta.trainClasses; held-out classes must not be used to choose coefficients',
    ]);
    assert.deepEqual(issues({ training: { episodes: { classes: 'train' } } }), ['training.episodes.classes: "train" names meta.trainClasses, which is not set']);
    assert.deepEqual(issues({ training: { episodes: { ways: 4, classes: [1, 2, 3] } } }), ['training.episodes.ways: 4 is not allowed: training.episodes.classes offers 3 classes']);
    assert.deepEqual(issues({ training: { episodes: { classes: [3, 4, 5, 11, 12] } } }), [
      'training.episodes.classes: class 11, 12 has no output unit (model.layers ends with 10); use smaller class indices, or training.episodes.relabel',
    ]);
    assert.deepEqual(issues({ training: { episodes: { relabel: true } } }), ['model.layers.2: 10 output units; with training.episodes.relabel the output layer has one unit per class of an episode (ways = 5)']);
    assert.deepEqual(issues({ training: { steps: 100, episodes: {} } }), [
      'training.steps: 100 is not allowed with training.episodes: each episode is one pass over its ways × shots samples; set training.episodes.count instead',
    ]);
    assert.deepEqual(issues({ training: { episodes: {} } }), [], 'the defaults are a valid 5-way 5-shot request');
  });

  it('K·M or Q·M larger than the data, and classes the data lacks', () => {
    const dataset = tinyDataset();
    const check = (episodes: Record<string, unknown>) =>
      episodeDataIssues(tinyConfig({ model: { layers: [6, 5, 8] }, training: { steps: undefined, episodes: { ...EPISODES, ...episodes } } }), dataset).map((i) => `${i.path}: ${i.message}`);
    assert.deepEqual(check({}), []);
    assert.deepEqual(check({ shots: 11, queries: 9 }), [
      'training.episodes.shots: 11 samples per class, but class 0 has 10 in the training split of tiny',
      'training.episodes.queries: 9 samples per class, but class 0 has 8 in the test split of tiny',
    ]);
    assert.deepEqual(check({ classes: [0, 7] , ways: 2 }), ['training.episodes.classes: class 7 is not in tiny, which has classes 0–5']);
    assert.deepEqual(check({ ways: 7 }), ['training.episodes.ways: 7 classes per episode, but training.episodes.classes offers 6']);
  });
});
