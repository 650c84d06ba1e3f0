/** Every shipped preset is valid, fits its data in every sweep member, and trains. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { parseExperiment } from '../../src/engine/config/validate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPresets, presetsDir } from '../../src/engine/presets';
import { expandSweep } from '../../src/engine/config/sweep';
import { loadDataset } from '../../src/engine/data/load';
import { initBackend } from '../../src/engine/backend';
import { runExperiment } from '../../src/engine/run/runExperiment';

before(async () => {
  await initBackend('auto');
});

describe('presets', () => {
  const presets = listPresets();

  it('ship the experiments of docs/SCIENCE.md', () => {
    assert.deepEqual(presets.map((p) => p.id).sort(), ['bad-initialisation', 'data-scarce', 'deep-network', 'feedback-alignment', 'hebbian-only', 'memory-capacity', 'meta-learned-rule', 'oja-pca', 'online-learning', 'short-term-memory']);
  });

  for (const preset of presets) {
    it(`${preset.id}: a comparison with ≥ 3 seeds, every member fits its data and trains`, async () => {
      assert.ok(preset.config.description, 'says what it shows');
      const members = expandSweep(preset.config);
      assert.ok(members.length >= 2, 'has a comparison built in');
      assert.ok((preset.config.sweep?.seed ?? []).length >= 3, 'at least 3 seeds');
      for (const member of members) loadDataset(member.config, { baseDir: presetsDir() });
      const out = mkdtempSync(join(tmpdir(), 'preset-'));
      const { training, meta } = members[0]!.config;
      const short = training.episodes ? { ...training, episodes: { ...training.episodes, count: 2 } } : { ...training, steps: 3, epochs: undefined };
      // A meta-learning preset: two meta-episodes and two evaluation episodes per K.
      const shortMeta = meta?.learn ? { meta: { ...meta, episodes: 2, ...(meta.evaluate ? { evaluate: { ...meta.evaluate, episodes: 2 } } : {}) } } : {};
      const { summary } = await runExperiment({ config: { ...members[0]!.config, training: short, ...shortMeta }, outDir: out, baseDir: presetsDir() });
      assert.equal(summary.status, 'completed');
    });
  }

  it("data-scarce: evaluates on held-out classes with coefficients its grids chose on the training classes (presets/tuning)", () => {
    const scarce = presets.find((p) => p.id === 'data-scarce')!.config;
    assert.equal(scarce.training.episodes!.classes, 'test');
    assert.ok(scarce.training.episodes!.count >= 100, '≥ 100 evaluation episodes');
    assert.deepEqual(scarce.sweep!['training.episodes.shots'], [1, 5, 10, 20, 50]);
    const grids = readdirSync(join(presetsDir(), 'tuning')).map((file) => parseExperiment(JSON.parse(readFileSync(join(presetsDir(), 'tuning', file), 'utf8')), file));
    assert.equal(grids.length, 3);
    for (const grid of grids) {
      assert.equal(grid.training.episodes!.classes, 'train');
      assert.deepEqual(grid.meta, scarce.meta, 'the same class split');
      assert.deepEqual(grid.sweep!['training.episodes.shots'], [1, 5, 10, 20, 50]);
    }
    // Each rule of the preset is a point of the grid for its feedback kind and terms.
    for (const rule of scarce.sweep!.rule as Array<Record<string, unknown>>) {
      const member = expandSweep({ ...scarce, sweep: { rule: [rule] } })[0]!.config.rule;
      const grid = grids.find((g) => g.rule.feedback === member.feedback && (g.rule.oja === 0) === (member.oja === 0) && Object.keys(g.rule.terms).join() === Object.keys(member.terms).join())!;
      assert.ok(grid, `a grid for ${JSON.stringify(rule)}`);
      const axes = grid.sweep!;
      assert.ok((axes['rule.learningRate'] as number[]).includes(member.learningRate));
      if (axes['rule.oja']) assert.ok((axes['rule.oja'] as number[]).includes(member.oja as number));
      if (axes['rule.terms.errorHebbian']) assert.ok((axes['rule.terms.errorHebbian'] as number[]).includes(member.terms.errorHebbian as number));
    }
  });
});
