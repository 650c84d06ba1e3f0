/**
 * The memory-capacity task: its sequences as specified, squared-error targets in the update (against
 * finite differences and by hand, on the float64 reference and the SIMD update), the ridge readouts'
 * r²_k and MC on a network whose memory is known exactly, and a run end to end.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../src/engine/random';
import { memoryCapacityTask, sequenceAt, type Sequence } from '../../src/engine/recurrent/sequences';
import { forward, recurrentUpdate, type RecurrentWeights } from '../../src/engine/recurrent/recurrentNet';
import { evaluateMemory } from '../../src/engine/recurrent/memoryEvaluation';
import { CapacityReadouts } from '../../src/engine/recurrent/memoryCapacity';
import { activationDerivatives } from '../../src/engine/model/activations';
import { parseExperiment } from '../../src/engine/config/validate';
import type { ConfigError } from '../../src/engine/config/issues';
import { runExperiment } from '../../src/engine/run/runExperiment';
import { comparisonTable, seedAggregateTable } from '../../src/cli/report';
import { buildReport, reportMarkdown } from '../../src/reproduce/report';
import { finishedLine } from '../../src/cli/runCommand';
import { loadRunForExport, runsToCsv } from '../../src/runFiles/export';
import { assertGradientMatchesFiniteDifferences, assertSimdFollowsReference, network, rule } from '../helpers/recurrentNetworks';

describe('memory-capacity sequences', () => {
  it('one input u_t in [−1, 1) per step; after a washout of K steps, the targets are u_{t−k} for each delay k', () => {
    const delays = [1, 2, 5];
    const split = memoryCapacityTask(new Random(4), 30, 12, delays);
    assert.equal(split.inputSize, 1);
    assert.deepEqual(split.regression?.delays, delays);
    assert.equal(split.regression?.values.length, 30 * 12 * 3, 'a value per delay at every step');
    const all = Array.from(split.inputs);
    assert.ok(all.every((u) => u >= -1 && u < 1), 'u in [−1, 1)');
    assert.ok(Math.abs(all.reduce((s, u) => s + u, 0) / all.length) < 0.1, 'mean near 0');
    assert.ok(Math.min(...all) < -0.9 && Math.max(...all) > 0.9, 'spread over the range');
    for (let s = 0; s < split.count; s++) {
      const q = sequenceAt(split, s);
      assert.equal(q.steps, 12);
      for (let t = 1; t <= 12; t++) {
        assert.equal(q.targets[t - 1], t > 5 ? 0 : -1, `sequence ${s}, step ${t}: a target only after the washout`);
        if (t > 5) delays.forEach((k, o) => assert.equal(q.regression![(t - 1) * 3 + o], q.inputs[t - 1 - k], `u_{t−${k}}`));
      }
    }
    assert.deepEqual(memoryCapacityTask(new Random(4), 30, 12, delays), split, 'the same seed, the same sequences');
  });
});

describe('regression targets in the recurrent update', () => {
  const sequence = sequenceAt(memoryCapacityTask(new Random(8), 1, 7, [1, 2, 3]), 0);
  for (const activation of ['tanh', 'linear'] as const) {
    it(`${activation}: −ΔW/η equals central finite differences of Σ_t ½‖z_t − y_t‖², every entry of every matrix`, () => {
      assertGradientMatchesFiniteDifferences(network(1, 5, 3, 31), rule({ activation }), sequence);
    });
  }

  it("one linear unit, three steps, targets u_{t−1} at steps 2 and 3: the loss and W_out's error and Oja terms by hand (the output's activity is z)", () => {
    const [a, b, c] = [0.7, 0.4, -0.6];
    const u = [0.5, -0.3, 0.8];
    const weights: RecurrentWeights = { inputs: 1, hidden: 1, outputs: 1, in: Float64Array.of(a), rec: Float64Array.of(b), out: Float64Array.of(c) };
    const q: Sequence = { steps: 3, inputs: Float32Array.from(u), targets: Int16Array.of(-1, 0, 0), delay: 0, regression: Float32Array.of(0, u[0]!, u[1]!) };
    const [eta, theta] = [0.1, 0.2];
    const trajectory = forward(weights, q, activationDerivatives('linear', 10));
    const h1 = a * Math.fround(u[0]!);
    const h2 = a * Math.fround(u[1]!) + b * h1;
    const h3 = a * Math.fround(u[2]!) + b * h2;
    const [z2, z3] = [c * h2, c * h3];
    const [y2, y3] = [Math.fround(u[0]!), Math.fround(u[1]!)];
    assert.ok(Math.abs(trajectory.loss - (0.5 * (z2 - y2) ** 2 + 0.5 * (z3 - y3) ** 2)) < 1e-15);
    assert.equal(trajectory.targets, 2);
    assert.equal(trajectory.correct, 0, 'nothing is counted right against regression targets');
    const delta = recurrentUpdate(weights, rule({ activation: 'linear', learningRate: eta, oja: { in: 0, rec: 0, out: theta } }), q, trajectory);
    const error = -eta * ((z2 - y2) * h2 + (z3 - y3) * h3);
    const oja = (theta / 2) * (z2 * (h2 - z2 * c) + z3 * (h3 - z3 * c));
    assert.ok(Math.abs(delta.out[0]! - (error + oja)) < 1e-15, `${delta.out[0]} vs ${error + oja}`);
  });

  for (const feedback of [false, true]) {
    it(`the SIMD update follows the float64 reference on regression targets (${feedback ? 'feedback alignment' : 'backprop'}, Oja on every matrix)`, () => {
      const other = network(1, 20, 4, 42, 0.3);
      const r = rule({ learningRate: 0.01, oja: { in: 0.01, rec: 0.02, out: 0.03 }, ...(feedback ? { feedback: { out: other.out, rec: other.rec } } : {}) });
      assertSimdFollowsReference(network(1, 20, 4, 41, 0.3), r, memoryCapacityTask(new Random(5), 30, 15, [1, 2, 4, 6]), 15);
    });
  }
});

describe('memory capacity from ridge readouts', () => {
  it('by hand: a readout fitted to y = x (ridge 0) scores targets [1, 3, 2] at x = [1, 2, 3] with r² = 1/4 and squared error 2/3', () => {
    const readouts = new CapacityReadouts(1, 1, 0);
    for (const x of [-1, 0, 2, 5]) readouts.fit([x], [x]);
    [1, 3, 2].forEach((y, i) => readouts.score([i + 1], [y]));
    const { r2, error, capacity } = readouts.result();
    assert.ok(Math.abs(r2[0]! - 0.25) < 1e-12, `r² ${r2[0]}`);
    assert.ok(Math.abs(error[0]! - 2 / 3) < 1e-12, `error ${error[0]}`);
    assert.equal(capacity, r2[0]);
    assert.throws(() => readouts.fit([1], [1]), /already fitted/, 'fitting after scoring began would change what was scored');
  });

  it('by hand: two delays, y₁ = 2x + 1 and y₂ = −x, are recovered exactly from one unit and the bias', () => {
    const readouts = new CapacityReadouts(1, 2, 0);
    for (const x of [0.3, -0.7, 1.1]) readouts.fit([x], [2 * x + 1, -x]);
    for (const x of [0.5, -0.2, 0.9]) readouts.score([x], [2 * x + 1, -x]);
    const { r2, error, capacity } = readouts.result();
    r2.forEach((r) => assert.ok(Math.abs(r - 1) < 1e-12));
    error.forEach((e) => assert.ok(e < 1e-20));
    assert.ok(Math.abs(capacity - 2) < 1e-12);
  });

  it('a linear delay line of 4 units holds u_t … u_{t−3}: r² = 1 for delays 1 to 3, about 0 beyond, MC = 3', () => {
    // h_t = (u_t, h_{t−1,1}, h_{t−1,2}, h_{t−1,3}): W_in = e_1, W_rec shifts down by one.
    const N = 4;
    const rec = new Float64Array(N * N);
    for (let i = 1; i < N; i++) rec[i * N + i - 1] = 1;
    const delays = [1, 2, 3, 4, 6];
    const weights: RecurrentWeights = { inputs: 1, hidden: N, outputs: delays.length, in: Float64Array.of(1, 0, 0, 0), rec, out: new Float64Array(delays.length * N) };
    const split = memoryCapacityTask(new Random(12), 80, 40, delays);
    const { curve, accuracy, diagnostics } = evaluateMemory(weights, { activation: 'linear', beta: 10, oja: { in: 0, rec: 0, out: 0 } }, split);
    assert.deepEqual([diagnostics.inputNorm, diagnostics.recurrentNorm, diagnostics.outputNorm], [1, Math.sqrt(3), 0], '‖W_in‖, ‖W_rec‖, ‖W_out‖');
    assert.equal(curve.metric, 'r2');
    assert.deepEqual(curve.delays, delays);
    for (const k of [0, 1, 2]) assert.ok(curve.accuracy[k]! > 1 - 1e-9, `delay ${delays[k]}: r² ${curve.accuracy[k]}`);
    for (const k of [3, 4]) assert.ok(curve.accuracy[k]! < 0.01, `delay ${delays[k]}: r² ${curve.accuracy[k]}`);
    for (const k of [0, 1, 2]) assert.ok(curve.loss[k]! < 1e-9, 'no error where the state holds the input');
    // u is uniform on [−1, 1): variance 1/3, all of it missed beyond the line.
    for (const k of [3, 4]) assert.ok(Math.abs(curve.loss[k]! - 1 / 3) < 0.03, `delay ${delays[k]}: error ${curve.loss[k]}`);
    assert.ok(Math.abs(curve.capacity! - 3) < 0.02, `MC ${curve.capacity}`);
    assert.ok(Math.abs(accuracy - curve.capacity! / delays.length) < 1e-12, 'the accuracy is MC / K');
  });

  it('silent hidden states recall nothing: r² is 0 at every delay (not NaN), and so is MC', () => {
    const N = 12;
    const weights: RecurrentWeights = { inputs: 1, hidden: N, outputs: 2, in: new Float64Array(N), rec: new Float64Array(N * N), out: new Float64Array(2 * N) };
    const { curve } = evaluateMemory(weights, { activation: 'linear', beta: 10, oja: { in: 0, rec: 0, out: 0 } }, memoryCapacityTask(new Random(3), 20, 6, [1, 2]));
    assert.ok(curve.accuracy.every((r2) => r2 < 1e-12), `r² ${curve.accuracy}`);
    assert.ok(curve.capacity! < 1e-12);
  });
});

describe('a memory-capacity run', () => {
  const experiment = {
    name: 'mc',
    data: { source: 'memory-capacity', delay: 12, length: 40, trainSize: 300, testSize: 60 },
    // W_rec starts orthogonal at gain 0.5, forgetting fast: there is memory to gain by learning.
    model: { kind: 'rnn', layers: [1, 16, 12], activation: 'tanh', init: { recurrent: { scheme: 'orthogonal', gain: 0.5 } } },
    rule: { learningRate: 0.001, oja: { rec: 0 } },
    training: { evalEvery: 100 },
  };

  it('points carry r²_k per delay and MC; training on the recall targets raises MC; the summary and tables tell MC', async () => {
    const config = parseExperiment(experiment);
    const { result, summary, runDir } = await runExperiment({ config, outDir: mkdtempSync(join(tmpdir(), 'mc-')), baseDir: process.cwd() });
    assert.equal(result.status, 'completed');
    for (const point of result.points) {
      assert.equal(point.memory?.metric, 'r2');
      assert.deepEqual(point.memory?.delays, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const sum = point.memory!.accuracy.reduce((s, r2) => s + r2, 0);
      assert.ok(Math.abs(point.memory!.capacity! - sum) < 1e-12, 'MC = Σ r²_k');
      assert.ok(point.memory!.accuracy.every((r2) => r2 >= 0 && r2 <= 1));
      assert.ok(point.recurrent && point.recurrent.spectralRadius > 0);
    }
    const first = result.points[0]!.memory!.capacity!;
    const last = result.points.at(-1)!.memory!.capacity!;
    assert.ok(last > first + 1, `MC ${first} → ${last}`);
    assert.ok(result.points[0]!.memory!.accuracy[0]! > result.points[0]!.memory!.accuracy[11]!, 'the near past is recalled better than the far');
    assert.equal(summary.final?.memoryCapacity, last);
    const { inputNorm, recurrentNorm, outputNorm } = result.points.at(-1)!.recurrent!;
    assert.deepEqual(summary.weightNorms, [inputNorm, recurrentNorm, outputNorm], 'the table\'s ‖W_l‖ column: W_in, W_rec, W_out');
    assert.match(comparisonTable([summary]), new RegExp(`│ MC ${last.toFixed(2)}\\s+│`));
    assert.match(finishedLine('mc', summary, 'dir'), new RegExp(`^mc: completed, memory capacity MC ${last.toFixed(2)} `));
    const seeds = seedAggregateTable([{ ...summary, label: 'seed=1' }, { ...summary, label: 'seed=2', final: { ...summary.final!, memoryCapacity: last + 2 } }]);
    assert.match(seeds, new RegExp(`MC ${(last + 1).toFixed(2)} ± 1\\.41`));
    assert.match(seeds, /MC mean ± sd/);
    // The CSV export: MC, r²_k a column per delay, W's norms and W_rec's diagnostics, a row per point.
    const [header, ...rows] = runsToCsv([loadRunForExport(runDir)]).trim().split('\n').map((line) => line.split(','));
    // Counted from the end: these columns come last, and quoted config values before them hold commas.
    const column = (name: string) => rows.map((row) => Number(row[row.length - (header!.length - header!.indexOf(name))]));
    assert.deepEqual(column('memory.capacity'), result.points.map((p) => p.memory!.capacity!));
    assert.deepEqual(column('memory.r2.delay12'), result.points.map((p) => p.memory!.accuracy[11]!));
    assert.deepEqual(column('recurrent.spectralRadius'), result.points.map((p) => p.recurrent!.spectralRadius));
    assert.ok(header!.includes('recurrent.inputNorm') && header!.includes('memory.r2.delay1'));
    const report = buildReport({
      mode: 'quick', data: 'generated', seeds: [1], steps: null, startedAt: new Date(), claims: [], tricks: [],
      arms: [{ arm: { id: 'mc-arm', title: 'an MC arm', config: {} }, runs: [{ seed: 1, runDir: 'x', summary, points: result.points }], problems: [] }],
    });
    assert.match(reportMarkdown(report), new RegExp(`\\*\\*mc-arm\\*\\*: an MC arm\\. seed 1: MC ${last.toFixed(2)}`));
  });

  it('bad memory-capacity configs are named with what is allowed', () => {
    const issues = (data: Record<string, unknown>, layers = [1, 16, 12]) => {
      try {
        parseExperiment({ ...experiment, data: { source: 'memory-capacity', ...data }, model: { ...experiment.model, layers } });
        return [];
      } catch (error) {
        return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    };
    assert.deepEqual(issues({ delay: 12 }), []);
    assert.ok(issues({ delay: [0, 3] }, [1, 16, 2]).some((m) => /^data\.delay: \[0,3\]: memory capacity recalls past inputs, so every delay is at least 1/.test(m)));
    assert.ok(issues({ delay: 12, length: 12 }).some((m) => /^data\.length: 12 steps leave none after the washout of 12 \(the longest delay\); use at least 13/.test(m)));
    assert.ok(issues({ delay: 12, symbols: 4 }).some((m) => /^data\.symbols: is a delayed-recall or copy setting; data\.source is "memory-capacity"/.test(m)));
    assert.deepEqual(issues({ ridge: 0.1 }), []);
    assert.deepEqual(issues({ delay: [5] }, [1, 16, 1]), [], 'one delay, one output: a regression output, not a one-class classifier');
    assert.throws(() => parseExperiment({ name: 'x', data: { source: 'delayed-recall', ridge: 0.1 }, model: { kind: 'rnn', layers: [9, 8, 8] } }), /data\.ridge: is a memory-capacity setting; data\.source is "delayed-recall"/);
  });

  it('outputs that are not one per delay are named', async () => {
    const config = parseExperiment({ ...experiment, model: { ...experiment.model, layers: [1, 24, 10] } });
    await assert.rejects(runExperiment({ config, outDir: mkdtempSync(join(tmpdir(), 'mc-')), baseDir: process.cwd() }), /model\.layers\.2: 10 outputs: memory capacity over delays 1 … 12 \(sequences of 40 steps\) needs one per delay, 12/);
  });
});
