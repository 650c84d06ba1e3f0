/**
 * Recurrent networks: the delayed-recall sequences as specified, the update's error part against
 * central finite differences of the sequence's loss (backprop through time), feedback alignment
 * against backprop, and Oja's terms on every matrix against values worked out by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/engine/random';
import { copyTask, delayedRecall, sequenceAt, type Sequence } from '../../src/engine/recurrent/sequences';
import { forward, recurrentUpdate, trainOnSequence, RECURRENT_MATRICES, type RecurrentRule, type RecurrentWeights } from '../../src/engine/recurrent/recurrentNet';
import { evaluateMemory, participationRatio, spectralRadius } from '../../src/engine/recurrent/memoryEvaluation';
import { activationDerivatives } from '../../src/engine/model/activations';
import { orthogonalMatrix, recurrentOja } from '../../src/engine/recurrent/recurrentSetup';
import { parseExperiment } from '../../src/engine/config/validate';
import type { ConfigError } from '../../src/engine/config/issues';
import { runExperiment } from '../../src/engine/run/runExperiment';
import { loadDataset } from '../../src/engine/data/load';
import { train } from '../../src/engine/trainer';
import { readPoints } from '../../src/runFiles/runStore';
import { assertGradientMatchesFiniteDifferences, assertSimdFollowsReference, network, rule } from '../helpers/recurrentNetworks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('delayed-recall sequences', () => {
  it('a sequence of delay D is D + 2 steps: the one-hot symbol, D empty steps, the cue alone with the symbol as its one target', () => {
    const symbols = 5;
    const split = delayedRecall(new Random(3), 200, symbols, [0, 2, 7]);
    assert.equal(split.inputSize, symbols + 1);
    const seen = new Set<string>();
    for (let s = 0; s < split.count; s++) {
      const q = sequenceAt(split, s);
      assert.equal(q.steps, q.delay + 2);
      const row = (t: number) => Array.from(q.inputs.subarray(t * 6, (t + 1) * 6));
      const symbol = row(0).indexOf(1);
      assert.ok(symbol >= 0 && symbol < symbols && row(0).reduce((a, b) => a + b) === 1, 'step 1: one symbol');
      for (let t = 1; t <= q.delay; t++) assert.deepEqual(row(t), [0, 0, 0, 0, 0, 0], `step ${t + 1} empty`);
      assert.deepEqual(row(q.delay + 1), [0, 0, 0, 0, 0, 1], 'the last step: the cue channel only');
      assert.deepEqual(Array.from(q.targets), [...new Array(q.delay + 1).fill(-1), symbol]);
      seen.add(`${symbol}/${q.delay}`);
    }
    assert.equal(seen.size, symbols * 3, 'every symbol at every delay');
    assert.deepEqual(delayedRecall(new Random(3), 200, symbols, [0, 2, 7]), split, 'the same seed, the same sequences');
  });
});

/** A sequence with targets at three of its five steps, inputs uniform in [0, 1). */
function multiTarget(I: number, O: number, seed: number): Sequence {
  const random = new Random(seed);
  return { steps: 5, inputs: Float32Array.from({ length: 5 * I }, () => random.uniform()), targets: Int16Array.from([-1, 1, -1, 0, O - 1]), delay: 0 };
}

describe("the recurrent update's error term is backpropagation through time", () => {
  const sequences: [string, Sequence][] = [
    ['delayed recall, delay 3', sequenceAt(delayedRecall(new Random(9), 1, 3, [3]), 0)],
    ['targets at three steps', multiTarget(4, 3, 11)],
  ];
  for (const activation of ['tanh', 'softplus', 'linear'] as const) {
    for (const [name, sequence] of sequences) {
      it(`${activation}, ${name}: −ΔW/η equals central finite differences of the summed loss, every entry of every matrix`, () => {
        assertGradientMatchesFiniteDifferences(network(sequence.inputs.length / sequence.steps, 5, 3, 4), rule({ activation }), sequence);
      });
    }
  }

  it('feedback alignment with feedback matrices equal to the weights is backprop; with others, W_out learns the same and W_in, W_rec do not', () => {
    const sequence = multiTarget(4, 3, 12);
    const weights = network(4, 5, 3, 6);
    const trajectory = forward(weights, sequence, activationDerivatives('tanh', 10));
    const bp = recurrentUpdate(weights, rule(), sequence, trajectory);
    const same = recurrentUpdate(weights, rule({ feedback: { out: weights.out.slice(), rec: weights.rec.slice() } }), sequence, trajectory);
    for (const matrix of RECURRENT_MATRICES) assert.deepEqual(same[matrix], bp[matrix]);
    const other = network(4, 5, 3, 99);
    const fa = recurrentUpdate(weights, rule({ feedback: { out: other.out, rec: other.rec } }), sequence, trajectory);
    assert.deepEqual(fa.out, bp.out);
    assert.notDeepEqual(fa.in, bp.in);
    assert.notDeepEqual(fa.rec, bp.rec);
  });
});

describe("Oja's term on each matrix", () => {
  it('one hidden unit, linear, two steps, a target at the second: every matrix by hand', () => {
    // h1 = a x1, h2 = a x2 + b h1; p = softmax(W_out h2) over 2 classes.
    const [a, b] = [0.5, -0.8];
    const out = [0.3, -0.2];
    const [x1, x2] = [1, 2];
    const weights: RecurrentWeights = { inputs: 1, hidden: 1, outputs: 2, in: Float64Array.of(a), rec: Float64Array.of(b), out: Float64Array.from(out) };
    const sequence: Sequence = { steps: 2, inputs: Float32Array.of(x1, x2), targets: Int16Array.of(-1, 0), delay: 1 };
    const theta = { in: 0.1, rec: 0.2, out: 0.3 };
    const delta = recurrentUpdate(weights, rule({ activation: 'linear', errorTerm: false, oja: theta }), sequence, forward(weights, sequence, activationDerivatives('linear', 10)));
    const h1 = a * x1;
    const h2 = a * x2 + b * h1;
    // O_in = mean_t (h_t x_t − h_t² a); O_rec = mean_t (h_t h_{t−1} − h_t² b), h_0 = 0.
    assert.ok(Math.abs(delta.in[0]! - (theta.in * ((h1 * x1 - h1 * h1 * a) + (h2 * x2 - h2 * h2 * a))) / 2) < 1e-15);
    assert.ok(Math.abs(delta.rec[0]! - (theta.rec * ((0 - h1 * h1 * b) + (h2 * h1 - h2 * h2 * b))) / 2) < 1e-15);
    // O_out = p h2ᵀ − p (pᵀ W_out) at the one target step.
    const z = out.map((w) => w * h2);
    const e = z.map((v) => Math.exp(v));
    const p = e.map((v) => v / (e[0]! + e[1]!));
    const u = p[0]! * out[0]! + p[1]! * out[1]!;
    assert.ok(Math.abs(delta.out[0]! - theta.out * p[0]! * (h2 - u)) < 1e-15);
    assert.ok(Math.abs(delta.out[1]! - theta.out * p[1]! * (h2 - u)) < 1e-15);
  });

  it('θ on one matrix changes that matrix only', () => {
    const sequence = multiTarget(4, 3, 13);
    const weights = network(4, 5, 3, 7);
    const trajectory = forward(weights, sequence, activationDerivatives('tanh', 10));
    const base = recurrentUpdate(weights, rule(), sequence, trajectory);
    for (const matrix of RECURRENT_MATRICES) {
      const withOja = recurrentUpdate(weights, rule({ oja: { in: 0, rec: 0, out: 0, [matrix]: 0.05 } }), sequence, trajectory);
      for (const other of RECURRENT_MATRICES) {
        if (other === matrix) assert.notDeepEqual(withOja[other], base[other], `θ_${matrix} moves W_${matrix}`);
        else assert.deepEqual(withOja[other], base[other], `θ_${matrix} leaves W_${other}`);
      }
    }
  });
});

describe('what a recurrent network remembers', () => {
  it('the spectral radius of known matrices: a scaled rotation (a complex pair), a diagonal, a nilpotent one', () => {
    const r = 0.95;
    const angle = 0.7;
    assert.ok(Math.abs(spectralRadius([r * Math.cos(angle), -r * Math.sin(angle), r * Math.sin(angle), r * Math.cos(angle)], 2) - r) < 1e-9);
    assert.ok(Math.abs(spectralRadius([0.5, 0, 0, 0, -0.9, 0, 0, 0, 0.2], 3) - 0.9) < 1e-9);
    assert.equal(spectralRadius([0, 1, 0, 0], 2), 0);
  });

  it('the participation ratio is (Σλ)²/Σλ² of the states’ covariance: 2 for two equal independent directions, 1 for one', () => {
    // States ±e1 and ±e2 in equal numbers: covariance diag(c, c) → 2. States ±e1 only: → 1.
    const statesOf = (vectors: number[][]) => {
      const n = vectors[0]!.length;
      const sum = new Float64Array(n);
      const second = new Float64Array(n * n);
      for (const v of vectors) v.forEach((x, i) => { sum[i]! += x; v.forEach((y, j) => (second[i * n + j]! += x * y)); });
      return participationRatio(sum, second, vectors.length, n);
    };
    assert.ok(Math.abs(statesOf([[1, 0], [-1, 0], [0, 1], [0, -1]]) - 2) < 1e-12);
    assert.ok(Math.abs(statesOf([[1, 0], [-1, 0], [2, 0], [-2, 0]]) - 1) < 1e-12);
  });

  it('trained online on delayed recall, a small network recalls at short delays far above chance, and the memory curve says per delay', () => {
    const symbols = 4;
    const delays = [0, 1, 2];
    const train = delayedRecall(new Random(1), 3000, symbols, delays);
    const test = delayedRecall(new Random(2), 300, symbols, delays);
    const random = new Random(5);
    const matrix = (n: number, fanIn: number) => Float64Array.from({ length: n }, () => (random.uniform() * 2 - 1) * Math.sqrt(3 / fanIn));
    const N = 24;
    const weights: RecurrentWeights = { inputs: symbols + 1, hidden: N, outputs: symbols, in: matrix(N * (symbols + 1), symbols + 1), rec: matrix(N * N, N), out: matrix(symbols * N, N) };
    const r = rule({ learningRate: 0.05, oja: { in: 0, rec: 0.001, out: 0 } });
    const before = evaluateMemory(weights, r, test);
    for (let s = 0; s < train.count; s++) trainOnSequence(weights, r, sequenceAt(train, s));
    const after = evaluateMemory(weights, r, test);
    assert.deepEqual(after.curve.delays, delays);
    assert.ok(before.accuracy < 0.45, `before training: ${before.accuracy}`);
    after.curve.accuracy.forEach((accuracy, k) => assert.ok(accuracy > 0.9, `delay ${delays[k]}: ${accuracy} (chance 0.25)`));
    assert.ok(after.loss < before.loss / 3, `loss ${before.loss} → ${after.loss}`);
    assert.equal(after.diagnostics.hiddenNorms.length, 4, 'steps 1 … D + 2 of the longest sequence');
    assert.ok(after.diagnostics.hiddenNorms.every((n) => n > 0));
    assert.ok(Math.abs(after.diagnostics.recurrentNorm - Math.hypot(...weights.rec)) < 1e-12);
    assert.ok(after.diagnostics.participationRatio >= 1 && after.diagnostics.participationRatio <= N);
  });
});

describe('truncated backpropagation through time (training.bptt)', () => {
  it('a horizon at least the sequence is full BPTT; a horizon of 1 lets the recall error reach only the cue step', () => {
    const sequence = sequenceAt(delayedRecall(new Random(4), 1, 3, [3]), 0);
    const weights = network(4, 5, 3, 8);
    const trajectory = forward(weights, sequence, activationDerivatives('tanh', 10));
    const full = recurrentUpdate(weights, rule(), sequence, trajectory);
    assert.deepEqual(recurrentUpdate(weights, rule({ bptt: sequence.steps }), sequence, trajectory), full);
    const one = recurrentUpdate(weights, rule({ bptt: 1 }), sequence, trajectory);
    assert.deepEqual(one.out, full.out, "W_out's gradient does not go through time");
    // W_in's gradient at step t is δa_t x_tᵀ: with only the cue step (x = the cue channel), the symbol's column stays zero.
    const symbol = Array.from(sequence.inputs.subarray(0, 4)).indexOf(1);
    const column = (delta: Float64Array, j: number) => Array.from({ length: 5 }, (_, i) => delta[i * 4 + j]!);
    assert.ok(column(one.in, symbol).every((v) => v === 0));
    assert.ok(column(full.in, symbol).some((v) => v !== 0));
    assert.ok(column(one.in, 3).some((v) => v !== 0), 'the cue column learns');
  });
});

describe('a recurrent run from its experiment', () => {
  it('orthogonal W_rec: W Wᵀ = gain² I', () => {
    const m = orthogonalMatrix(6, 1.5, new Random(3));
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
      let dot = 0;
      for (let k = 0; k < 6; k++) dot += m[i * 6 + k]! * m[j * 6 + k]!;
      assert.ok(Math.abs(dot - (i === j ? 2.25 : 0)) < 1e-12, `(${i}, ${j}): ${dot}`);
    }
  });

  it('θ per matrix: one number for all three, or { in, rec, out } with the rest 0; none on W_out without ojaOnOutput', () => {
    const config = (rule: Record<string, unknown>) => parseExperiment({ name: 'r', data: { source: 'delayed-recall' }, model: { kind: 'rnn', layers: [9, 16, 8] }, rule });
    assert.deepEqual(recurrentOja(config({ oja: 0.01 })), { in: 0.01, rec: 0.01, out: 0.01 });
    assert.deepEqual(recurrentOja(config({ oja: { rec: 0.02 } })), { in: 0, rec: 0.02, out: 0 });
    assert.deepEqual(recurrentOja(config({ oja: 0.01, ojaOnOutput: false })), { in: 0.01, rec: 0.01, out: 0 });
  });

  it('delayed recall end to end: points carry the memory curve per delay and the recurrent diagnostics, and the network learns', async () => {
    const config = parseExperiment({
      name: 'recall',
      seed: 2,
      data: { source: 'delayed-recall', symbols: 4, delay: [0, 2, 5], trainSize: 2000, testSize: 200 },
      model: { kind: 'rnn', layers: [5, 24, 4], activation: 'tanh', init: { recurrent: { scheme: 'orthogonal' } } },
      rule: { learningRate: 0.05, oja: { rec: 0.001 } },
      training: { evalEvery: 1000 },
    });
    const { result, summary, runDir } = await runExperiment({ config, outDir: mkdtempSync(join(tmpdir(), 'rnn-')), baseDir: process.cwd() });
    assert.equal(summary.status, 'completed');
    assert.deepEqual(result.points.map((p) => p.step), [0, 1000, 2000]);
    const last = result.points.at(-1)!;
    assert.deepEqual(last.memory!.delays, [0, 2, 5]);
    assert.ok(last.memory!.accuracy.every((a) => a > 0.9), `memory curve ${last.memory!.accuracy}`);
    assert.ok(result.points[0]!.testAccuracy < 0.5);
    assert.equal(last.recurrent!.hiddenNorms.length, 7, 'steps 1 … 7 of the longest sequences');
    assert.ok(last.recurrent!.spectralRadius > 0);
    assert.deepEqual(readPoints(runDir).at(-1)!.memory, last.memory, 'metrics.jsonl keeps the curve');
    // The same seed, the same run.
    const again = await runExperiment({ config, outDir: mkdtempSync(join(tmpdir(), 'rnn-')), baseDir: process.cwd() });
    assert.deepEqual(again.result.points.map((p) => p.testLoss), result.points.map((p) => p.testLoss));
  });

  it('bad recurrent configs are named', () => {
    const issues = (input: Record<string, unknown>) => {
      try {
        parseExperiment({ name: 'bad', ...input });
        return [];
      } catch (error) {
        return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    };
    const rnn = { data: { source: 'delayed-recall' }, model: { kind: 'rnn', layers: [9, 16, 8] } };
    assert.deepEqual(issues(rnn), []);
    assert.ok(issues({ ...rnn, model: { kind: 'rnn', layers: [9, 0, 8] } }).some((m) => m.startsWith('model.layers.1')), 'hidden size 0');
    assert.ok(issues({ ...rnn, data: { source: 'delayed-recall', delay: -1 } }).some((m) => m.startsWith('data.delay')), 'delay < 0');
    assert.ok(issues({ ...rnn, data: { source: 'delayed-recall', symbols: 1 } }).some((m) => m.startsWith('data.symbols')), 'V < 2');
    assert.ok(issues({ ...rnn, model: { kind: 'rnn', layers: [9, 16, 16, 8] } }).some((m) => /^model\.layers: .*an rnn is \[inputs per step, hidden units, outputs\]/.test(m)));
    assert.ok(issues({ ...rnn, model: { kind: 'rnn', layers: [9, 16, 8], normalization: 'layer' } }).some((m) => /^model\.normalization: "layer" is not available for an rnn/.test(m)));
    assert.ok(issues({ ...rnn, training: { batchSize: 8 } }).some((m) => /^training\.batchSize: 8: an rnn learns online/.test(m)));
    assert.ok(issues({ ...rnn, rule: { terms: { hebbian: 0.01 } } }).some((m) => /^rule\.terms\.hebbian: 0\.01: an rnn's rule is the error term and Oja's/.test(m)));
    assert.ok(issues({ ...rnn, rule: { oja: [0.1, 0.2] } }).some((m) => /^rule\.oja: .*one number or \{ "in"/.test(m)));
    assert.ok(issues({ ...rnn, data: { source: 'mnist' } }).some((m) => /^data\.source: "mnist" has no sequences/.test(m)));
    assert.ok(issues({ data: { source: 'delayed-recall' }, model: { layers: [9, 16, 8] } }).some((m) => /^data\.source: "delayed-recall" is a sequence task; it needs model\.kind "rnn"/.test(m)));
    assert.ok(issues({ rule: { oja: { rec: 0.1 } } }).some((m) => /^rule\.oja: .*is for model\.kind "rnn"/.test(m)));
    assert.ok(issues({ training: { bptt: 5 } }).some((m) => /^training\.bptt: is for model\.kind "rnn"/.test(m)));
    assert.ok(issues({ data: { source: 'mnist', delay: 4 } }).some((m) => /^data\.delay: is a delayed-recall, copy or memory-capacity setting/.test(m)));
  });

  it('layer sizes that do not fit the task are named with what fits', async () => {
    const config = parseExperiment({ name: 'r', data: { source: 'delayed-recall', symbols: 5, trainSize: 10, testSize: 10 }, model: { kind: 'rnn', layers: [9, 16, 8] } });
    await assert.rejects(runExperiment({ config, outDir: mkdtempSync(join(tmpdir(), 'rnn-')), baseDir: process.cwd() }), /model\.layers\.0: 9 does not match the 6 input values per sample of delayed recall of 5 symbols/);
  });
});

describe('a forward pass counts a target right when its largest logit is the target', () => {
  it('logits [1, 3, 2] with target 1 are right, with target 2 wrong; the loss is −log softmax', () => {
    // One hidden unit with h = 1 at the target step (linear, W_in = 1, input 1), W_out = [1, 3, 2].
    const weights: RecurrentWeights = { inputs: 1, hidden: 1, outputs: 3, in: Float64Array.of(1), rec: Float64Array.of(0), out: Float64Array.of(1, 3, 2) };
    const at = (target: number) => forward(weights, { steps: 1, inputs: Float32Array.of(1), targets: Int16Array.of(target), delay: 0 }, activationDerivatives('linear', 10));
    const logSum = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2));
    assert.equal(at(1).correct, 1);
    assert.equal(at(2).correct, 0);
    assert.equal(at(0).correct, 0);
    assert.ok(Math.abs(at(1).loss - (logSum - 3)) < 1e-12);
    assert.ok(Math.abs(at(2).loss - (logSum - 2)) < 1e-12);
  });
});

describe('validation sequences (data.validationSize)', () => {
  it('judge a recurrent run on sequences of their own stream, never the test ones', () => {
    const base = { name: 'v', data: { source: 'delayed-recall', symbols: 4, delay: [2, 6], trainSize: 50, testSize: 30 }, model: { kind: 'rnn', layers: [5, 8, 4] } };
    const test = loadDataset(parseExperiment(base), { baseDir: process.cwd() }).sequences!;
    const validation = loadDataset(parseExperiment({ ...base, data: { ...base.data, validationSize: 40 } }), { baseDir: process.cwd() }).sequences!;
    assert.equal(validation.test.count, 40);
    assert.deepEqual(validation.train, test.train, 'the same training sequences');
    assert.notDeepEqual(Array.from(validation.test.targets.subarray(0, 40)), Array.from(test.test.targets.subarray(0, 40)));
  });
});

describe('the SIMD recurrent update follows the float64 reference', () => {
  const cases: Array<[string, Partial<RecurrentRule>]> = [
    ['error term only', {}],
    ['Oja on every matrix', { oja: { in: 0.01, rec: 0.02, out: 0.03 } }],
    ['Oja on W_rec only', { oja: { in: 0, rec: 0.02, out: 0 } }],
    ["Oja's term alone (no error term)", { errorTerm: false, oja: { in: 0.01, rec: 0.02, out: 0.03 } }],
  ];
  for (const activation of ['tanh', 'softplus', 'relu', 'linear'] as const) {
    for (const feedback of [false, true]) {
      for (const [name, overrides] of cases) {
        it(`${activation}, ${feedback ? 'feedback alignment' : 'backprop'}, ${name}: the same weights and losses over 40 sequences of 2 to 9 steps`, () => {
          const other = network(5, 20, 4, 22, 0.4);
          const r = rule({ activation, learningRate: 0.05, ...(feedback ? { feedback: { out: other.out, rec: other.rec } } : {}), ...overrides });
          assertSimdFollowsReference(network(5, 20, 4, 21, 0.4), r, delayedRecall(new Random(6), 40, 4, [0, 3, 7]), 9);
        });
      }
    }
  }

  it('runs record which update they used: the SIMD one by default, the float64 one when asked or with truncated BPTT', async () => {
    const base = { name: 'x', data: { source: 'delayed-recall', symbols: 4, delay: [1, 3], trainSize: 200, testSize: 50 }, model: { kind: 'rnn', layers: [5, 12, 4], activation: 'tanh' }, rule: { learningRate: 0.05, oja: { rec: 0.01 } }, training: { evalEvery: 100 } };
    const dataset = loadDataset(parseExperiment(base), { baseDir: process.cwd() });
    const simd = await train(parseExperiment(base), { dataset, backend: 'cpu' });
    const reference = await train(parseExperiment(base), { dataset, backend: 'cpu', executor: 'online-js' });
    assert.deepEqual([simd.executor, reference.executor], ['online', 'online-js']);
    simd.points.forEach((p, k) => assert.ok(Math.abs(p.testLoss - reference.points[k]!.testLoss) < 1e-4 * reference.points[k]!.testLoss, `point ${k}`));
    const truncated = await train(parseExperiment({ ...base, training: { evalEvery: 100, bptt: 2 } }), { dataset, backend: 'cpu' });
    assert.equal(truncated.executor, 'online-js');
  });
});

describe('sequential MNIST (data.source "sequential-mnist")', () => {
  const base = { name: 's', data: { source: 'sequential-mnist', trainSize: 1500, testSize: 300 }, model: { kind: 'rnn', layers: [28, 48, 10], activation: 'tanh', init: { recurrent: { scheme: 'orthogonal' } } }, rule: { learningRate: 0.005 }, training: { evalEvery: 1500 } };

  it('reads each digit as 28 steps of its 28 rows, its label the one target at the last step', () => {
    const config = parseExperiment(base);
    const { sequences, inputSize, numClasses } = loadDataset(config, { baseDir: process.cwd() });
    const digits = loadDataset(parseExperiment({ name: 'd', data: { source: 'mnist', trainSize: 1500, testSize: 300 } }), { baseDir: process.cwd() });
    assert.deepEqual([inputSize, numClasses, sequences!.train.count, sequences!.test.count], [28, 10, 1500, 300]);
    for (const s of [0, 777]) {
      const q = sequenceAt(sequences!.train, s);
      assert.equal(q.steps, 28);
      assert.deepEqual(Array.from(q.inputs), Array.from(digits.train.inputs.subarray(s * 784, (s + 1) * 784)), 'row t at step t');
      assert.deepEqual(Array.from(q.targets), [...new Array(27).fill(-1), digits.train.labels[s]!]);
    }
  });

  it('a small RNN learns to classify the digits it reads row by row', async () => {
    const { result } = await runExperiment({ config: parseExperiment(base), outDir: mkdtempSync(join(tmpdir(), 'smnist-')), baseDir: process.cwd() });
    assert.ok(result.points[0]!.testAccuracy < 0.25, `before: ${result.points[0]!.testAccuracy}`);
    assert.ok(result.points.at(-1)!.testAccuracy > 0.45, `after 1,500 digits: ${result.points.at(-1)!.testAccuracy}`);
  });

  it('its layers and files are named when they do not fit', async () => {
    await assert.rejects(runExperiment({ config: parseExperiment({ ...base, model: { kind: 'rnn', layers: [784, 48, 10] } }), outDir: mkdtempSync(join(tmpdir(), 'smnist-')), baseDir: process.cwd() }), /model\.layers\.0: 784 does not match the 28 input values per sample of MNIST \(bundled\), read row by row/);
    assert.throws(() => parseExperiment({ ...base, data: { source: 'sequential-mnist', trainImages: 'x.gz' } }), /data\.trainLabels: is required when any IDX file is given/);
  });
});

describe('the copy task (data.source "copy")', () => {
  it('L symbols, D empty steps, the cue alone, then L empty steps whose targets are the symbols in order', () => {
    const split = copyTask(new Random(8), 50, 5, 3, [0, 4]);
    for (let s = 0; s < split.count; s++) {
      const q = sequenceAt(split, s);
      const L = 3;
      assert.equal(q.steps, 2 * L + q.delay + 1);
      const row = (t: number) => Array.from(q.inputs.subarray(t * 6, (t + 1) * 6));
      const shown = [0, 1, 2].map((t) => row(t).indexOf(1));
      shown.forEach((symbol, t) => assert.ok(symbol >= 0 && symbol < 5 && row(t).reduce((a, b) => a + b) === 1, `step ${t + 1}: one symbol`));
      for (let t = L; t < L + q.delay; t++) assert.ok(row(t).every((v) => v === 0), `step ${t + 1} empty`);
      assert.deepEqual(row(L + q.delay), [0, 0, 0, 0, 0, 1], 'the cue');
      for (let t = L + q.delay + 1; t < q.steps; t++) assert.ok(row(t).every((v) => v === 0), 'the answer steps have no input');
      assert.deepEqual(Array.from(q.targets), [...new Array(L + q.delay + 1).fill(-1), ...shown]);
    }
  });

  it('its memory curve is accuracy per position copied, and a small network learns to copy', async () => {
    const config = parseExperiment({
      name: 'copy', seed: 3,
      data: { source: 'copy', symbols: 3, length: 3, delay: 1, trainSize: 4000, testSize: 200 },
      model: { kind: 'rnn', layers: [4, 32, 3], activation: 'tanh' },
      rule: { learningRate: 0.02 },
      training: { evalEvery: 4000 },
    });
    const { result } = await runExperiment({ config, outDir: mkdtempSync(join(tmpdir(), 'copy-')), baseDir: process.cwd() });
    const first = result.points[0]!.memory!;
    const last = result.points.at(-1)!.memory!;
    assert.equal(last.axis, 'position');
    assert.deepEqual(last.delays, [1, 2, 3]);
    assert.ok(first.accuracy.every((a) => a < 0.6), `before: ${first.accuracy}`);
    assert.ok(last.accuracy[0]! > 0.9, `position 1 after training: ${last.accuracy}`);
    // Overall accuracy is the mean over every target, which the positions split evenly.
    const mean = last.accuracy.reduce((a, b) => a + b) / 3;
    assert.ok(Math.abs(result.points.at(-1)!.testAccuracy - mean) < 1e-12);
  });

  it('length is a copy and memory-capacity setting only', () => {
    assert.throws(() => parseExperiment({ name: 'x', data: { source: 'delayed-recall', length: 4 }, model: { kind: 'rnn', layers: [9, 8, 8] } }), /data\.length: is a copy or memory-capacity setting; data\.source is "delayed-recall"/);
  });
});
