/** Sharding a sweep and aggregating runs over seeds, against hand-computed values. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, shardMembers } from '../../src/engine/config/shard';
import { expandSweep } from '../../src/engine/config/sweep';
import { parseExperiment } from '../../src/engine/config/validate';
import { bands, groupRuns } from '../../src/shared/aggregate';
import { flatten } from '../../src/shared/configDiff';

describe('shards', () => {
  const members = expandSweep(parseExperiment({ sweep: { 'rule.oja': [0, 0.0003, 0.001, 0.003], seed: [1, 2, 3] } }));

  it('every member lands in exactly one shard, for any number of shards', () => {
    for (const count of [1, 2, 3, 5, 12, 20]) {
      const seen = Array.from({ length: count }, (_, i) => shardMembers(members, { index: i + 1, count })).flat().map((m) => m.index);
      assert.deepEqual([...seen].sort((a, b) => a - b), members.map((m) => m.index), `${count} shards`);
    }
  });

  it('takes members round-robin', () => {
    assert.deepEqual(shardMembers(members, parseShard('2/5')).map((m) => m.index), [1, 6, 11]);
  });

  it('rejects malformed shards, saying what is expected', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2']) assert.throws(() => parseShard(bad), /expected i\/n with 1 <= i <= n/);
  });
});

describe('aggregation over seeds', () => {
  const run = (id: string, oja: number, seed: number, accuracies: number[]) => ({
    id,
    fields: flatten({ name: 'x', seed, rule: { oja, learningRate: 0.01 } }),
    points: accuracies.map((a, i) => ({ step: i * 100, testAccuracy: a })),
  });
  const accuracy = (p: { testAccuracy: number }) => p.testAccuracy;

  it('groups by every field but the seed, with mean ± sd, min and max per step', () => {
    const groups = groupRuns([run('a', 0, 1, [0.1, 0.5]), run('b', 0, 2, [0.3, 0.7]), run('c', 0.001, 1, [0.2, 0.9]), run('d', 0, 3, [0.2, 0.6])]);
    assert.equal(groups.length, 2);
    const bp = groups.find((g) => g.key['rule.oja'] === '0')!;
    assert.deepEqual(bp.members.map((m) => m.id), ['a', 'b', 'd']);
    assert.deepEqual(Object.keys(bp.key), ['rule.oja'], 'the key names only what differs between groups');
    // step 100: 0.5, 0.7, 0.6 → mean 0.6, sd = sqrt(((−0.1)² + 0.1² + 0²)/2) = 0.1
    const at100 = bands(bp.members, accuracy)[1]!;
    assert.equal(at100.n, 3);
    assert.ok(Math.abs(at100.mean - 0.6) < 1e-12);
    assert.ok(Math.abs(at100.sd - 0.1) < 1e-12);
    assert.deepEqual([at100.min, at100.max], [0.5, 0.7]);
    const oja = groups.find((g) => g.key['rule.oja'] === '0.001')!;
    assert.deepEqual(bands(oja.members, accuracy).map((b) => [b.n, b.sd]), [[1, 0], [1, 0]]);
  });

  it('can group over another field instead, and skips non-finite values', () => {
    const runs = [run('a', 0, 1, [0.1, NaN]), run('b', 0.001, 1, [0.3, 0.5])];
    const groups = groupRuns(runs, ['rule.oja']);
    assert.equal(groups.length, 1);
    assert.deepEqual(bands(groups[0]!.members, accuracy).map((b) => [b.step, b.n, b.mean]), [[0, 2, 0.2], [100, 1, 0.5]]);
  });
});
