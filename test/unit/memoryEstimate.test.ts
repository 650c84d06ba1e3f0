/** The memory a run needs, estimated up front, and values the data cannot honour. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clampNotes, estimateMemory, memoryIssues } from '../../src/engine/memoryEstimate';
import { parseExperiment } from '../../src/engine/config/validate';

const mnist = { trainCount: 8000, testCount: 2000, inputSize: 784 };
const layers = (sizes: number[], extra: Record<string, unknown> = {}) => parseExperiment({ model: { layers: sizes }, ...extra });

describe('memory estimate', () => {
  it('adds up the allocations, by hand for a [4, 3, 2] network', () => {
    // 18 weights; probe 5 test samples (of 5); widths 4 + 3 + 2 = 9; widest layer 3.
    const estimate = estimateMemory(layers([4, 3, 2]), { trainCount: 10, testCount: 5, inputSize: 4 }, 'online', 'wasm');
    assert.deepEqual(estimate.parts.map((p) => p.bytes), [4 * 18, 4 * (5 * 4 + 2 * 500 * 3 + 18), 4 * (18 * 4 + 3 * 3 * 2 + 5 * 9 * 4)]);
    assert.equal(estimate.totalBytes, 72 + 12152 + 1080 + 4 * 15 * 4);
  });

  it('refuses what the wasm backend cannot hold, at the boundary measured (14,000 units run, 16,000 abort)', () => {
    const fits = estimateMemory(layers([784, 14000, 10]), mnist, 'online', 'wasm');
    assert.deepEqual(memoryIssues(fits), []);
    const [issue] = memoryIssues(estimateMemory(layers([784, 16000, 10]), mnist, 'online', 'wasm'));
    assert.equal(issue?.path, 'model.layers');
    assert.match(issue!.message, /^needs about 2\.\d GiB for the per-layer diagnostics \(W Wᵀ of a 16000-unit layer alone is 977 MiB\); one WebAssembly memory holds at most 2\.0 GiB$/);
    // The native backend has no such ceiling; the machine's memory is the limit there.
    assert.deepEqual(memoryIssues(estimateMemory(layers([784, 16000, 10]), mnist, 'online', 'tensorflow'), 24 * 1024 ** 3), []);
    assert.match(memoryIssues(estimateMemory(layers([784, 100000, 10]), mnist, 'online', 'tensorflow'), 24 * 1024 ** 3)[0]!.message, /^needs about \d+\.\d GiB; this machine allows 18\.0 GiB \(75% of 24\.0 GiB\)$/);
  });

  it('the paper networks are far from any limit', () => {
    for (const sizes of [[784, 170, 130, 100, 70, 10], [784, ...Array(14).fill(100), 10], [784, 1000, 1000, 10]]) {
      assert.deepEqual(memoryIssues(estimateMemory(layers(sizes), mnist, 'online', 'wasm')), [], sizes.join('-'));
    }
  });
});

describe('values the data cannot honour', () => {
  it('are said, with what the run does instead', () => {
    const config = parseExperiment({ data: { trainSize: 100000 }, training: { batchSize: 1e9, probeSize: 5000 } });
    assert.deepEqual(clampNotes(config, { trainCount: 8000, testCount: 2000, description: 'MNIST (bundled)' }), [
      'data.trainSize 100000 is more than the 8000 training samples of MNIST (bundled); all 8000 are used',
      'training.batchSize 1000000000 is more than the 8000 training samples; each step uses all 8000',
      'training.probeSize 5000 is more than the 2000 test samples; the diagnostics use all 2000',
    ]);
    assert.deepEqual(clampNotes(parseExperiment({}), { trainCount: 8000, testCount: 2000, description: 'x' }), []);
  });
});
