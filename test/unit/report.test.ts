/** The command line's tables: diverged runs are counted, never averaged in. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonTable, DIVERGENCE_RULE, seedAggregateTable } from '../../src/cli/report';
import type { RunSummary } from '../../src/runFiles/summary';

function summary(label: string, status: RunSummary['status'], accuracy: number | null, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    format: 'plasticity-lab/summary@1', runId: label, name: 'exp', label, status, steps: 10, totalSteps: 10,
    final: accuracy === null ? null : { step: 10, trainLoss: 0.5, testLoss: 0.5, testAccuracy: accuracy },
    best: null, weightNorms: [], dataset: { description: 'd', trainCount: 1, testCount: 1 }, backend: 'wasm', executor: 'online',
    timing: { startedAt: '', endedAt: null, wallSec: 1, trainSec: 1, evalSec: 0, stepsPerSec: 10, evaluations: 1 },
    versions: { plasticityLab: '0', tfjs: '0', node: '0' }, ...extra,
  };
}

describe('seed table', () => {
  it('takes means over the runs that did not diverge, counts the diverged, and states the rule', () => {
    const table = seedAggregateTable([
      summary('gain=3 seed=1', 'diverged', null, { divergedAtStep: 7 }),
      summary('gain=3 seed=2', 'completed', 0.5),
      summary('gain=3 seed=3', 'completed', 0.7),
      summary('gain=1 seed=1', 'completed', 0.9),
      summary('gain=1 seed=2', 'completed', 0.8),
    ]);
    assert.match(table, /│ gain=3\s+│ 3\s+│ 2\s+│ 1\s+│ 60\.00% ± 14\.14\s+│ 50\.00% │ 70\.00% │/);
    assert.match(table, /│ gain=1\s+│ 2\s+│ 2\s+│ 0\s+│ 85\.00% ± 7\.07\s+│/);
    assert.ok(table.endsWith(DIVERGENCE_RULE));
  });

  it('a group whose every run diverged has no mean', () => {
    const table = seedAggregateTable([summary('seed=1', 'diverged', null), summary('seed=2', 'diverged', null)]);
    assert.match(table, /│ exp\s+│ 2\s+│ 0\s+│ 2\s+│ —\s+│ —\s+│ —\s+│/);
  });

  it('the comparison table says where a run diverged and shows no accuracy for it', () => {
    const table = comparisonTable([summary('seed=1', 'diverged', null, { divergedAtStep: 42 })]);
    assert.match(table, /│ seed=1 │ diverged at step 42 │ —\s+│/);
  });
});
