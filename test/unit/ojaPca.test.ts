/**
 * Oja's term alone (η = 0, linear layer) on correlated Gaussian data: the rows become
 * orthonormal (W Wᵀ → I) and span the top principal subspace.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend';
import { runExperiment } from '../../src/engine/run/runExperiment';
import { parseExperiment } from '../../src/engine/config/validate';
import { gaussianForConfig } from '../../src/engine/data/synthetic';

before(async () => {
  await initBackend('auto');
});

describe("Oja's rule as PCA", () => {
  it('converges to an orthonormal basis of the top-k principal subspace', async () => {
    const k = 3;
    const config = parseExperiment({
      name: 'oja-pca',
      seed: 3,
      data: { source: 'synthetic-gaussian', trainSize: 4000, testSize: 200, decay: 0.6 },
      // Hidden linear layer of k units learns by Oja's term alone; the output layer is left alone.
      model: { layers: [10, k, 4], activation: 'linear', init: { gain: 0.5 } },
      rule: { learningRate: 0, errorTerm: false, oja: 0.02, ojaOnOutput: false },
      training: { epochs: 3, evalEvery: 4000, probeSize: 200 },
    });
    const out = mkdtempSync(join(tmpdir(), 'pca-'));
    const { result, summary } = await runExperiment({ config, outDir: out, baseDir: out });
    assert.equal(summary.status, 'completed');
    const w = result.params![0]!.weights; // k × 10
    const n = 10;

    // W Wᵀ ≈ I, computed here in float64.
    let orthError = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let d = 0; d < n; d++) dot += w[i * n + d]! * w[j * n + d]!;
        orthError += (dot - (i === j ? 1 : 0)) ** 2;
      }
    }
    assert.ok(Math.sqrt(orthError) < 0.05, `‖W Wᵀ − I‖_F = ${Math.sqrt(orthError)}`);

    // Each row lies in span(q_1..q_k): the share of its energy in the top-k directions.
    const { basis } = gaussianForConfig(config);
    for (let i = 0; i < k; i++) {
      let inTop = 0;
      let total = 0;
      for (let c = 0; c < n; c++) {
        let projection = 0;
        for (let d = 0; d < n; d++) projection += w[i * n + d]! * basis[c]![d]!;
        total += projection ** 2;
        if (c < k) inTop += projection ** 2;
      }
      assert.ok(inTop / total > 0.97, `row ${i}: ${(100 * inTop / total).toFixed(1)}% in the top-${k} subspace`);
    }

    // The engine's own diagnostic agrees (orthonormality at the last evaluation point).
    assert.ok(result.points.at(-1)!.layers[0]!.orthonormality < 0.05);
    // And it started far from there: the test measures learning, not the initialisation.
    assert.ok(result.points[0]!.layers[0]!.orthonormality > 0.3, `initial ${result.points[0]!.layers[0]!.orthonormality}`);
  });
});
