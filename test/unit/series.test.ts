/** Dashboard series helpers: decimation keeps extremes within a budget; smoothing is an EMA. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, drawnTrainLoss, smooth } from '../../webview-ui/dashboard/series';
import { fieldAxis, parameterAxis, parameterScatter, sweepSummary, sweptFields, type RunResult } from '../../webview-ui/dashboard/sweepSeries';

describe('decimate', () => {
  const series = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) + (i === 5003 ? 40 : 0) }));
  it('returns short series unchanged', () => assert.equal(decimate(series.slice(0, 100), 200).length, 100));
  it('keeps the first, the last and every spike within the budget', () => {
    const out = decimate(series, 300);
    assert.ok(out.length <= 300, `${out.length}`);
    assert.deepEqual(out[0], series[0]);
    assert.deepEqual(out.at(-1), series.at(-1));
    assert.ok(out.some((p) => p.x === 5003), 'the spike survives');
    assert.ok(out.every((p, i) => i === 0 || p.x > out[i - 1]!.x), 'x stays increasing');
  });
});

describe('drawnTrainLoss', () => {
  const at = (steps: number[]) => steps.map((step, i) => ({ step, trainLoss: i === 0 ? null : 0.1 * i }));
  const drawn = (points: ReturnType<typeof at>) => points.map((p, i) => drawnTrainLoss(p, i, points));
  it('leaves out a last point that averages under a quarter of the interval before it (a stop just after an evaluation)', () => {
    assert.deepEqual(drawn(at([0, 1000, 2000, 2001])), [null, 0.1, 0.2, null]);
    assert.deepEqual(drawn(at([0, 1000, 2000, 2249])), [null, 0.1, 0.2, null]);
  });
  it('keeps a last point over a quarter of the interval or more, and every point before the last', () => {
    assert.deepEqual(drawn(at([0, 1000, 2000, 2250])), [null, 0.1, 0.2, 0.1 * 3]);
    assert.deepEqual(drawn(at([0, 1000, 1001, 2001])), [null, 0.1, 0.2, 0.1 * 3]);
    assert.deepEqual(drawn(at([0, 3])), [null, 0.1]);
  });
});

describe('smooth', () => {
  it('is an exponential moving average, hand-computed', () => {
    const out = smooth([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 3 }], 0.5);
    assert.deepEqual(out.map((p) => p.y), [1, 2, 2.5]);
  });
  it('0 leaves the series alone', () => assert.deepEqual(smooth([{ x: 0, y: 5 }], 0), [{ x: 0, y: 5 }]));
});

describe('parameter → result views of a sweep', () => {
  // A 2 × 2 grid over η and θ, two seeds each; final accuracies chosen by hand.
  const run = (eta: string, oja: string, seed: string, final: number) => ({
    fields: { 'rule.learningRate': eta, 'rule.oja': oja, seed, 'model.activation': '"softplus"' },
    final,
  });
  const runs = [
    run('0.01', '0', '1', 0.8), run('0.01', '0', '2', 0.82),
    run('0.01', '0.001', '1', 0.85), run('0.01', '0.001', '2', 0.86),
    run('0.1', '0', '1', 0.5), run('0.1', '0', '2', 0.52),
    run('0.1', '0.001', '1', 0.7), run('0.1', '0.001', '2', 0.72),
  ];
  it('finds the swept fields, leaving the seed and unchanged fields out', () => {
    assert.deepEqual(sweptFields(runs), ['rule.learningRate', 'rule.oja']);
    assert.deepEqual(sweptFields([run('0.01', '0', '1', 0.1), run('0.01', '0', '2', 0.2)]), []);
  });
  it('groups each field\'s points by the other swept field', () => {
    const swept = sweptFields(runs);
    const byOja = parameterScatter(runs, 'rule.learningRate', swept);
    assert.deepEqual(byOja.map((g) => g.label), ['oja=0', 'oja=0.001']);
    assert.deepEqual(byOja[1]!.points, [{ x: '0.01', y: 0.85 }, { x: '0.01', y: 0.86 }, { x: '0.1', y: 0.7 }, { x: '0.1', y: 0.72 }]);
    const byEta = parameterScatter(runs, 'rule.oja', swept);
    assert.deepEqual(byEta.map((g) => g.label), ['learningRate=0.01', 'learningRate=0.1']);
    assert.deepEqual(byEta[1]!.points.map((p) => p.x), ['0', '0', '0.001', '0.001']);
  });
  it('a swept field that is not a number still splits the series (BP and FA points are not mixed)', () => {
    const mixed = [run('0.01', '0', '1', 0.8), run('0.01', '0.001', '1', 0.85)].flatMap((r) => [
      { ...r, fields: { ...r.fields, 'rule.feedback': '"backprop"' } },
      { ...r, fields: { ...r.fields, 'rule.feedback': '"feedback-alignment"' }, final: r.final - 0.3 },
    ]);
    const all = sweptFields(mixed);
    assert.deepEqual(all, ['rule.feedback', 'rule.oja']);
    const groups = parameterScatter(mixed, 'rule.oja', all);
    assert.deepEqual(groups.map((g) => g.label), ['feedback="backprop"', 'feedback="feedback-alignment"']);
    assert.deepEqual(groups[1]!.points, [{ x: '0', y: 0.8 - 0.3 }, { x: '0.001', y: 0.85 - 0.3 }]);
    // And the feedback kind gets a scatter of its own: its values as categories, in grid order.
    const byFeedback = parameterScatter(mixed, 'rule.feedback', all);
    assert.deepEqual(byFeedback.map((g) => g.label), ['oja=0', 'oja=0.001']);
    const axis = fieldAxis(mixed, 'rule.feedback');
    assert.equal(axis.type, 'category');
    assert.deepEqual(axis.labels, ['backprop', 'feedback-alignment']);
    assert.deepEqual(byFeedback[0]!.points.map((p) => axis.place(p.x)), ['backprop', 'feedback-alignment']);
  });
  it('lays values out on a log axis when positive and two decades wide, evenly spaced when zero sits beside a decade, else linearly', () => {
    assert.equal(parameterAxis([0.001, 0.01, 0.1]).type, 'logarithmic');
    assert.equal(parameterAxis([1, 2, 50]).type, 'linear');
    assert.equal(parameterAxis([0, 0.001, 0.002]).type, 'linear');
    assert.equal(parameterAxis([0, 0.0003]).type, 'category', 'two values: evenly spaced, labelled');
    assert.deepEqual(parameterAxis([0.003, 0.01]).labels, ['0.003', '0.01']);
    const theta = parameterAxis([0.003, 0, 0.0003, 0.001, 0.0003]);
    assert.equal(theta.type, 'category');
    assert.deepEqual(theta.labels, ['0', '0.0003', '0.001', '0.003']);
    assert.equal(theta.position(0.001), '0.001');
    assert.equal(parameterAxis([0, 0.001, 0.1]).type, 'category');
    assert.equal(parameterAxis([0.5, 1, 2]).position(2), 2);
    // 5% of the span beyond each end, so no point sits on the chart's edge, but not below zero.
    const padded = parameterAxis([0.003, 0.006, 0.01]).suggested!;
    assert.ok(Math.abs(padded.min - 0.00265) < 1e-15 && Math.abs(padded.max - 0.01035) < 1e-15);
    assert.equal(parameterAxis([0, 0.001, 0.002]).suggested!.min, 0);
    assert.equal(parameterAxis([-1, 0, 1]).suggested!.min, -1.1);
  });
  it('summarises final accuracy per value: mean and sample sd over the seeds, values in order', () => {
    const at = (oja: number, seed: number, final: number): RunResult => ({ fields: { 'rule.oja': String(oja), seed: String(seed) }, final });
    const summary = sweepSummary([at(0.001, 1, 0.7), at(0, 1, 0.9), at(0.001, 2, 0.8), at(0, 2, 0.92), at(0.001, 3, 0.9)], 'rule.oja');
    assert.deepEqual(summary.map((p) => [p.value, p.n]), [['0', 2], ['0.001', 3]]);
    // 0: mean 0.91, sd = sqrt(2 * 0.01² / 1) = 0.01414…; 0.001: mean 0.8, sd = sqrt((0.01 + 0 + 0.01) / 2) = 0.1.
    assert.ok(Math.abs(summary[0]!.mean - 0.91) < 1e-12 && Math.abs(summary[0]!.sd - Math.SQRT2 * 0.01) < 1e-12);
    assert.ok(Math.abs(summary[1]!.mean - 0.8) < 1e-12 && Math.abs(summary[1]!.sd - 0.1) < 1e-12);
  });
  it('summarises a swept layer list too: grid order, the lists written short on the axis', () => {
    const deep = (hidden: number) => JSON.stringify([784, ...Array(hidden).fill(100), 10]);
    const at = (hidden: number, seed: number, final: number): RunResult => ({ fields: { 'model.layers': deep(hidden), seed: String(seed) }, final });
    const runs = [at(2, 1, 0.9), at(14, 1, 0.1), at(2, 2, 0.92), at(14, 2, 0.12)];
    assert.deepEqual(sweepSummary(runs, 'model.layers').map((p) => [p.value, p.n]), [[deep(2), 2], [deep(14), 2]]);
    const axis = fieldAxis(runs, 'model.layers');
    assert.deepEqual([axis.type, axis.labels], ['category', ['784-100-100-10', '784-100x14-10']]);
    assert.equal(fieldAxis([at(2, 1, 0.9), { fields: { 'model.layers': deep(2), seed: '2', 'rule.oja': '0.001' }, final: 0.5 }], 'rule.oja').type, 'category');
  });
});
