/** The trainer and run folders: determinism, divergence as a result, stop, and what lands on disk. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend';
import { runExperiment } from '../../src/engine/run/runExperiment';
import { loadRunForExport, runsToCsv } from '../../src/runFiles/export';
import { runIdFor } from '../../src/runFiles/runFolder';
import { prepareRun } from '../../src/engine/trainer';
import { loadDataset } from '../../src/engine/data/load';
import { ConfigError } from '../../src/engine/config/issues';
import { parseExperiment } from '../../src/engine/config/validate';
import { tinyConfig } from '../helpers/fixtures';

let out: string;
before(async () => {
  await initBackend('auto');
  out = mkdtempSync(join(tmpdir(), 'runs-'));
});

const readJsonLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('determinism', () => {
  for (const batchSize of [1, 4]) {
    it(`same config and seed give identical metrics (batch ${batchSize})`, async () => {
      const config = tinyConfig({ training: { batchSize, steps: 30, evalEvery: 10 } });
      const a = await runExperiment({ config, outDir: out, baseDir: out });
      const b = await runExperiment({ config, outDir: out, baseDir: out });
      const strip = (points: Array<Record<string, unknown>>) => points.map(({ elapsedSec: _, ...rest }) => rest);
      assert.deepEqual(strip(readJsonLines(join(a.runDir, 'metrics.jsonl'))), strip(readJsonLines(join(b.runDir, 'metrics.jsonl'))));
      const c = await runExperiment({ config: tinyConfig({ seed: 8, training: { batchSize, steps: 30, evalEvery: 10 } }), outDir: out, baseDir: out });
      assert.notDeepEqual(c.result.points[3]!.testLoss, a.result.points[3]!.testLoss);
    });
  }

  it('draws init, feedback weights and data order from the seed only', () => {
    const config = tinyConfig({ rule: { feedback: 'feedback-alignment' } });
    const a = prepareRun(config);
    const b = prepareRun(config);
    assert.deepEqual(a.params[1]!.weights, b.params[1]!.weights);
    assert.deepEqual(a.feedback![1], b.feedback![1]);
    assert.notDeepEqual(a.feedback![1], a.params[1]!.weights);
    assert.deepEqual(a.random.permutation(10), b.random.permutation(10));
  });

  it('shuffle: false keeps file order; the same seed gives the same order otherwise', () => {
    const first = prepareRun(tinyConfig()).random.permutation(20);
    assert.deepEqual(prepareRun(tinyConfig()).random.permutation(20), first);
    assert.notDeepEqual([...first], [...Array(20).keys()]);
  });
});

describe("the terms' shares of the update", () => {
  it('with rule.terms, every point after the first gives each term its share, and they sum to 1; without, none', async () => {
    const config = tinyConfig({ rule: { oja: 0.05, terms: { sanger: 0.05, decay: 0.001 } }, training: { steps: 20, evalEvery: 10 } });
    const withTerms = await runExperiment({ config, outDir: out, baseDir: out });
    const { points } = withTerms.result;
    assert.equal(points[0]!.layers[0]!.termShares, undefined, 'no step yet');
    for (const point of points.slice(1)) {
      for (const layer of point.layers) {
        const shares = layer.termShares!;
        assert.deepEqual(Object.keys(shares).sort(), ['decay', 'error', 'errorHebbian', 'hebbian', 'oja', 'ojaSingle', 'sanger']);
        assert.ok(Math.abs(Object.values(shares).reduce((a, b) => a + b, 0) - 1) < 1e-9);
        assert.ok(shares.sanger! > 0 && shares.decay! > 0 && shares.hebbian === 0);
      }
    }
    const plain = await runExperiment({ config: tinyConfig({ training: { steps: 20, evalEvery: 10 } }), outDir: out, baseDir: out });
    assert.ok(plain.result.points.every((p) => p.layers.every((l) => l.termShares === undefined)));
    // The CSV export carries them last, a column per layer and term (empty for the run without terms).
    const csv = runsToCsv([loadRunForExport(withTerms.runDir), loadRunForExport(plain.runDir)]).trim().split('\n');
    const header = csv[0]!.split(',');
    const column = header.indexOf('layer2.share.sanger');
    assert.ok(column > header.indexOf('status'), 'after the existing columns');
    // Counted from the end: quoted config values before them hold commas.
    const cell = (row: string) => row.split(',').at(column - header.length);
    assert.equal(Number(cell(csv[2]!)), points[1]!.layers[1]!.termShares!.sanger);
    assert.equal(cell(csv.at(-1)!), '');
  });
});

describe('run folders', () => {
  it('hold config.json, metrics.jsonl with every evaluation point, and summary.json', async () => {
    const config = tinyConfig({ training: { steps: 25, evalEvery: 10 } });
    const { runDir, summary } = await runExperiment({ config, outDir: out, baseDir: out, saveWeights: true });
    assert.deepEqual(readdirSync(runDir).sort(), ['config.json', 'metrics.jsonl', 'summary.json', 'weights.json']);
    assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')), config);
    const points = readJsonLines(join(runDir, 'metrics.jsonl'));
    assert.deepEqual(points.map((p) => p.step), [0, 10, 20, 25]);
    assert.equal(points[0].trainLoss, null);
    assert.equal(points[0].layers.length, 3);
    for (const key of ['weightNorm', 'orthonormality', 'activationNorm', 'participationRatio', 'errorNorm', 'ojaErrorRatio', 'stability']) {
      assert.equal(typeof points[3].layers[1][key], 'number', key);
    }
    const onDisk = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    assert.deepEqual(onDisk, summary);
    assert.equal(summary.status, 'completed');
    assert.equal(summary.steps, 25);
    assert.equal(summary.final!.step, 25);
    assert.equal(summary.final!.testAccuracy, points[3].testAccuracy);
    assert.ok(['tensorflow', 'wasm', 'cpu'].includes(summary.backend));
    assert.equal(summary.executor, 'online');
    assert.ok(summary.timing.stepsPerSec > 0);
    assert.deepEqual(summary.weightNorms, points[3].layers.map((l: { weightNorm: number }) => l.weightNorm));
    const weights = JSON.parse(readFileSync(join(runDir, 'weights.json'), 'utf8'));
    assert.equal(weights.format, 'plasticity-lab/weights@1');
    assert.deepEqual(weights.layers.map((l: { shape: number[] }) => l.shape), [[5, 6], [4, 5], [3, 4]]);
  });

  it('a saved weights file starts a new run from exactly those weights', async () => {
    const first = await runExperiment({ config: tinyConfig(), outDir: out, baseDir: out, saveWeights: true });
    const from = join(first.runDir, 'weights.json');
    const config = tinyConfig({ seed: 99, model: { init: { from } }, training: { steps: 1, evalEvery: 1 } });
    const second = await runExperiment({ config, outDir: out, baseDir: out });
    assert.deepEqual(second.result.points[0]!.layers.map((l) => l.weightNorm), first.result.points.at(-1)!.layers.map((l) => l.weightNorm));
  });

  it('a weights file of the wrong shape is bad input naming the field', async () => {
    const file = join(out, 'bad-weights.json');
    writeFileSync(file, JSON.stringify({ format: 'plasticity-lab/weights@1', layers: [{ shape: [5, 7], data: [] }, {}, {}] }));
    await assert.rejects(runExperiment({ config: tinyConfig({ model: { init: { from: file } } }), outDir: out, baseDir: out }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /model\.init\.from: .*bad-weights.json: layers\[0\]\.shape is \[5,7\]; model.layers needs \[5, 6\]/);
      return true;
    });
  });
});

describe('divergence and stopping', () => {
  for (const [executor, batchSize] of [['online', 1], ['online-js', 1], ['tfjs', 4]] as const) {
    it(`a diverging run ends as "diverged" with its step and keeps its points (${executor})`, async () => {
      const config = tinyConfig({ model: { init: { gain: 3 } }, rule: { learningRate: 0, oja: 50 }, training: { batchSize, steps: 200, evalEvery: 5 } });
      const { summary, runDir } = await runExperiment({ config, outDir: out, baseDir: out, executor });
      assert.equal(summary.executor, executor);
      assert.equal(summary.status, 'diverged');
      assert.ok(summary.divergedAtStep! >= 1 && summary.divergedAtStep! < 200, `step ${summary.divergedAtStep}`);
      assert.match(summary.reason!, new RegExp(`at step ${summary.divergedAtStep}`));
      assert.ok(readJsonLines(join(runDir, 'metrics.jsonl')).length >= 1);
      assert.equal(summary.final, null, 'a diverged run has no final accuracy (its step-0 point is not one)');
    });
  }

  it('a stop request ends the run as "stopped", keeping every point so far', async () => {
    const controller = new AbortController();
    const config = tinyConfig({ data: { trainSize: 64 }, training: { steps: 10_000_000, evalEvery: 2000 } });
    const { summary, runDir } = await runExperiment({
      config,
      outDir: out,
      baseDir: out,
      signal: controller.signal,
      onPoint: (point) => {
        if (point.step >= 4000) controller.abort();
      },
    });
    assert.equal(summary.status, 'stopped');
    assert.ok(summary.steps >= 4000 && summary.steps < 10_000_000);
    const points = readJsonLines(join(runDir, 'metrics.jsonl'));
    assert.equal(points.at(-1).step, summary.steps, 'a final point at the stopping step');
  });
});

describe('data', () => {
  it('the bundled MNIST split has 8000 training and 2000 test digits, every digit present', () => {
    const dataset = loadDataset(parseExperiment({ data: { source: 'mnist' }, model: { layers: [784, 10] } }), { baseDir: out });
    assert.equal(dataset.train.count, 8000);
    assert.equal(dataset.test.count, 2000);
    const counts = new Array(10).fill(0);
    for (const l of [...dataset.train.labels, ...dataset.test.labels]) counts[l]++;
    // The mnist package's per-digit counts.
    assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    assert.ok(dataset.train.inputs.every((v) => v >= 0 && v <= 1));
  });

  it('a model that does not fit the data is bad input naming the layer', () => {
    assert.throws(() => loadDataset(tinyConfig({ data: { source: 'mnist' }, model: { layers: [100, 10] } }), { baseDir: out }), /model\.layers\.0: 100 does not match the 784 input values per sample/);
    assert.throws(() => loadDataset(tinyConfig({ data: { source: 'mnist' }, model: { layers: [784, 5] } }), { baseDir: out }), /model\.layers\.1: 5 output units cannot represent the 10 classes/);
  });
});

describe('run ids', () => {
  it('are readable and sortable: name, UTC time, sweep label', () => {
    const at = new Date(Date.UTC(2026, 10, 27, 9, 5, 7));
    assert.equal(runIdFor("Oja's PCA", 'oja=0.01 seed=2', at), 'ojas-pca-20261127-090507-oja=0.01-seed=2');
    assert.equal(runIdFor('!!!', '', at), 'run-20261127-090507');
  });
});

describe('dataset cache', () => {
  it('reads a set once and serves every size from it', () => {
    const small = loadDataset(parseExperiment({ data: { source: 'mnist', trainSize: 100, testSize: 50 }, model: { layers: [784, 10] } }), { baseDir: out });
    const full = loadDataset(parseExperiment({ data: { source: 'mnist' }, model: { layers: [784, 10] } }), { baseDir: out });
    assert.equal(small.train.count, 100);
    assert.equal(small.test.count, 50);
    assert.equal(small.train.inputs.buffer, full.train.inputs.buffer, 'the same memory, not a second copy');
    assert.deepEqual(small.train.labels, full.train.labels.subarray(0, 100));
  });
});
