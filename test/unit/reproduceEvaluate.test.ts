/** From arm runs to claim numbers: metrics by hand, per-seed differences, divergences counted. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateClaim, metricOf, armsNeeded, type ArmRun } from '../../src/reproduce/evaluate';
import { arms, claims } from '../../src/reproduce/claims';
import { evaluateTrick, trickArms, tricks, TRICK_MATTERS } from '../../src/reproduce/tricks';
import { armRun, layer } from '../helpers/armRuns';
import type { LayerDiagnostics } from '../../src/engine/diagnostics/metrics';

const run = (seed: number, accuracy: number | null, layers?: LayerDiagnostics[][]) => armRun(seed, accuracy, layers ? { layers } : {});

describe('reproduction metrics', () => {
  it('read from the runs, by hand', () => {
    const r = run(1, 0.8, [
      [layer({ weightNorm: 3 }), layer({ weightNorm: 2 })],
      [layer({ weightNorm: 5, orthonormality: 0.2, participationRatio: 4, errorNorm: 0.5 }), layer({ weightNorm: 1, participationRatio: 9, errorNorm: 2 })],
    ]);
    assert.equal(metricOf('finalAccuracy', r), 0.8);
    assert.equal(metricOf('log10MaxWeightNorm', r), Math.log10(5), 'largest over every point and layer');
    assert.equal(metricOf('hiddenOrthonormality', r), 0.2);
    assert.equal(metricOf('participationRatio', r), 4, 'hidden layers only: the output layer is left out');
    assert.equal(metricOf('log10ErrorNormSpread', r), Math.log10(4), '2 ÷ 0.5');
    assert.equal(metricOf('finalAccuracy', run(2, null)), null, 'a diverged run has no value');
  });

  it("the meta-learning claim reads the learned rule's held-out accuracy, averaged over K = 1, 5, 10, a diverged K at five-way chance", () => {
    const meta = run(1, 0.7);
    const at = (shots: number, mean: number, divergedAtEpisode?: number) => ({ shots, episodes: 50, accuracy: { mean, sd: 0.1 }, loss: { mean: 1, sd: 0.1 }, ...(divergedAtEpisode ? { divergedAtEpisode } : {}) });
    meta.summary.metaEvaluation = [at(1, 0.3), at(5, 0.5), at(10, 0.7)];
    assert.ok(Math.abs(metricOf('scarceAccuracy', meta)! - 0.5) < 1e-12);
    meta.summary.metaEvaluation = [at(1, 0.3), at(5, 0.5), at(10, 0.6, 7)];
    assert.ok(Math.abs(metricOf('scarceAccuracy', meta)! - (0.3 + 0.5 + 0.2) / 3) < 1e-12);
    const claim = claims('quick').find((c) => c.id === 'meta-learned-rule')!;
    assert.deepEqual([claim.baseline, claim.treatment], [{ arm: 'meta-bp' }, { arm: 'meta-rule' }]);
    const configs = arms('quick').filter((a) => a.id.startsWith('meta-'));
    assert.deepEqual(configs.map((a) => (a.config.meta as { learn: string[] }).learn), [['error'], ['error', 'errorHebbian', 'oja']]);
    assert.deepEqual(configs.map((a) => (a.config.meta as { evaluate: { shots: number[] } }).evaluate.shots), [[1, 5, 10], [1, 5, 10]]);
  });

  it('the short-term memory claim reads recall at the longest delay from the last point\'s memory curve; the arms are the preset\'s RNN, each tuned', () => {
    const r = run(1, 0.9);
    r.points = [{ ...r.points[0]!, memory: { delays: [5, 10, 20, 40], accuracy: [1, 0.9, 0.7, 0.4], loss: [0, 0, 0, 0] } }];
    assert.equal(metricOf('longestDelayAccuracy', r), 0.4);
    assert.equal(metricOf('longestDelayAccuracy', run(2, 0.9)), null, 'no memory curve, no value');
    const claim = claims('quick').find((c) => c.id === 'short-term-memory')!;
    assert.deepEqual([claim.baseline, claim.treatment], [{ arm: 'stm-bp' }, { arm: 'stm-oja' }]);
    const configs = arms('quick').filter((a) => a.id.startsWith('stm-'));
    assert.deepEqual(configs.map((a) => (a.config.model as { kind: string }).kind), ['rnn', 'rnn']);
    assert.deepEqual(configs.map((a) => Object.keys(a.tune!)), [['rule.learningRate'], ['rule.learningRate', 'rule.oja.rec']]);
  });

  it("the memory-capacity claims read MC from the last point; the arms are the preset's RNN, tuned at gain 1 and at the preset's η from gain 1.5", () => {
    const r = run(1, 0.5);
    r.points = [{ ...r.points[0]!, memory: { delays: [1, 2, 3], accuracy: [0.9, 0.5, 0.1], loss: [0, 0, 0], metric: 'r2', capacity: 1.5 } }];
    assert.equal(metricOf('memoryCapacity', r), 1.5);
    assert.equal(metricOf('memoryCapacity', run(2, 0.9)), null, 'no memory curve, no value');
    const byId = new Map(claims('quick').map((c) => [c.id, c]));
    assert.deepEqual([byId.get('memory-capacity')!.baseline, byId.get('memory-capacity')!.treatment], [{ arm: 'mc-bp' }, { arm: 'mc-oja' }]);
    assert.deepEqual([byId.get('memory-capacity-chaotic')!.baseline, byId.get('memory-capacity-chaotic')!.treatment], [{ arm: 'mc-chaotic-bp' }, { arm: 'mc-chaotic-oja' }]);
    const configs = arms('quick').filter((a) => a.id.startsWith('mc-'));
    assert.deepEqual(configs.map((a) => (a.config.data as { source: string }).source), new Array(4).fill('memory-capacity'));
    assert.deepEqual(configs.map((a) => (a.config.model as { init: { recurrent: { gain: number } } }).init.recurrent.gain), [1, 1, 1.5, 1.5]);
    assert.deepEqual(configs.map((a) => (a.config.rule as { oja: { rec: number } }).oja.rec > 0), [false, true, false, true]);
    assert.deepEqual(configs.map((a) => (a.tune ? Object.keys(a.tune) : [])), [['rule.learningRate'], ['rule.learningRate', 'rule.oja.rec'], [], []]);
  });

  it('the depth trend pairs seeds, puts a diverged run at the failure value, and with two depths is the gain at the deeper minus the shallower', () => {
    const depth = claims('quick').find((c) => c.id === 'depth')!;
    const runs = new Map<string, ArmRun[]>([
      ['depth-2-oja', [run(1, 0.85), run(2, 0.86)]],
      ['depth-2-bp', [run(1, 0.9), run(2, 0.92)]],
      ['depth-14-oja', [run(1, 0.65), run(2, 0.6)]],
      ['depth-14-bp', [run(1, null), run(2, 0.11)]],
    ]);
    const result = evaluateClaim(depth, runs);
    // Gains: seed 1 −0.05 at 2 and 0.55 at 14 (0.65 − chance, diverged); seed 2 −0.06 and 0.49.
    assert.deepEqual(result.treatmentValues.map((v) => +v.toFixed(2)), [0.6, 0.55]);
    assert.deepEqual(result.baselineValues, [0, 0], 'against no growth, one per seed');
    assert.equal(result.treatmentDivergences, 1);
    // A paired test: the spread is that of the per-seed rises alone.
    assert.ok(Math.abs(result.standardError - Math.abs(0.6 - 0.55) / Math.sqrt(2) / Math.sqrt(2)) < 1e-9, String(result.standardError));
    assert.equal(result.verdict, 'supported');
  });

  it('in the full reproduction every depth counts: the least-squares rise of the gain from 2 to 14 layers', () => {
    const depth = claims('full').find((c) => c.id === 'depth')!;
    // Seed 1's gains at 2, 6, 10, 14: 0, 0.1, 0.2, 0.3 (slope 0.025 a layer: a rise of 0.3); seed 2's
    // 0.2, 0, 0, 0.2 (flat: no rise), where the two ends alone would say nothing about the middle.
    const gains: Record<number, [number, number]> = { 2: [0, 0.2], 6: [0.1, 0], 10: [0.2, 0], 14: [0.3, 0.2] };
    const runs = new Map<string, ArmRun[]>(
      Object.entries(gains).flatMap(([d, [g1, g2]]) => [
        [`depth-${d}-bp`, [run(1, 0.5), run(2, 0.5)]],
        [`depth-${d}-oja`, [run(1, 0.5 + g1), run(2, 0.5 + g2)]],
      ]),
    );
    const result = evaluateClaim(depth, runs);
    assert.deepEqual(result.treatmentValues.map((v) => +v.toFixed(6)), [0.3, 0]);
    assert.deepEqual(result.treatmentArms.slice(0, 2), ['depth-14-oja', 'depth-14-bp'], 'the deepest pair first');
    assert.equal(result.verdict, 'inconclusive', 'two seeds that disagree this much say nothing');
  });

  it('every claim names arms that exist, and its two sides', () => {
    for (const mode of ['quick', 'full'] as const) {
      const ids = new Set(arms(mode).map((a) => a.id));
      for (const claim of claims(mode)) {
        for (const id of armsNeeded([claim])) assert.ok(ids.has(id), `${mode}: ${claim.id} needs ${id}`);
        assert.equal(claim.sides.length, 2);
      }
    }
  });
});

describe('the trick table', () => {
  const spec = tricks().find((t) => t.id === 'adam')!;
  it("Oja's share of the trick's gain, by hand, a diverged run at chance", () => {
    const runs = new Map<string, ArmRun[]>([
      [spec.without, [run(1, 0.1), run(2, 0.12)]],
      [spec.with, [run(1, 0.9), run(2, 0.92)]],
      [spec.oja, [run(1, 0.7), run(2, null)]],
    ]);
    const result = evaluateTrick(spec, runs);
    assert.equal(result.columns.oja.diverged, 1);
    assert.ok(Math.abs(result.columns.oja.mean - 0.4) < 1e-12, 'the diverged run counts as chance: (0.7 + 0.1) / 2');
    // (0.4 − 0.11) / (0.91 − 0.11)
    assert.ok(Math.abs(result.recovered! - 0.29 / 0.8) < 1e-12, String(result.recovered));
  });

  it('no share where the trick gains less than the threshold, and none without runs', () => {
    const flat = new Map<string, ArmRun[]>([
      [spec.without, [run(1, 0.9)]],
      [spec.with, [run(1, 0.9 + TRICK_MATTERS / 2)]],
      [spec.oja, [run(1, 0.5)]],
    ]);
    assert.equal(evaluateTrick(spec, flat).recovered, null);
    assert.equal(evaluateTrick(spec, new Map()).recovered, null);
  });

  it('every arm a trick names exists in both modes', () => {
    for (const mode of ['quick', 'full'] as const) {
      const ids = new Set(arms(mode).map((a) => a.id));
      for (const id of trickArms(tricks())) assert.ok(ids.has(id), `${mode}: ${id}`);
    }
  });
});
