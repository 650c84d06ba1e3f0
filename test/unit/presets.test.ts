/** Every shipped preset is valid, fits its data in every sweep member, and trains. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
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

  it('ship the experiments of docs/SCIENCE.md that fit an MLP', () => {
    assert.deepEqual(presets.map((p) => p.id).sort(), ['bad-initialisation', 'deep-network', 'feedback-alignment', 'hebbian-only', 'oja-pca', 'online-learning']);
  });

  for (const preset of presets) {
    it(`${preset.id}: a comparison with ≥ 3 seeds, every member fits its data and trains`, async () => {
      assert.ok(preset.config.description, 'says what it shows');
      const members = expandSweep(preset.config);
      assert.ok(members.length >= 2, 'has a comparison built in');
      assert.ok((preset.config.sweep?.seed ?? []).length >= 3, 'at least 3 seeds');
      for (const member of members) loadDataset(member.config, { baseDir: presetsDir() });
      const out = mkdtempSync(join(tmpdir(), 'preset-'));
      const { summary } = await runExperiment({ config: { ...members[0]!.config, training: { ...members[0]!.config.training, steps: 3, epochs: undefined } }, outDir: out, baseDir: presetsDir() });
      assert.equal(summary.status, 'completed');
    });
  }
});
