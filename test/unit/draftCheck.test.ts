/** The form's check of a draft: layer sizes against the data it names, from file headers. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkDraft } from '../../src/host/draftCheck';
import { encodeIdx } from '../../src/engine/data/idx';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'draft-'));
  // 30 images of 3 × 3, gzipped (the check reads the header from the first bytes); labels 0–3, four classes.
  const pixels = Uint8Array.from({ length: 30 * 9 }, (_, i) => (i * 37) % 256);
  writeFileSync(join(dir, 'images.gz'), gzipSync(encodeIdx([30, 3, 3], pixels)));
  writeFileSync(join(dir, 'labels'), encodeIdx([30], Uint8Array.from({ length: 30 }, (_, i) => i % 4)));
});

const idx = (layers: number[]) => ({ data: { source: 'idx', trainImages: 'images.gz', trainLabels: 'labels', testImages: 'images.gz', testLabels: 'labels' }, model: { layers } });
const issues = (draft: unknown) => checkDraft(draft, dir).issues.map((i) => `${i.path}: ${i.message}`);

describe('form draft check', () => {
  it('the bundled digits take 784 inputs and at least 10 outputs', () => {
    assert.deepEqual(issues({ model: { layers: [100, 10] } }), ['model.layers.0: 100 does not match the 784 input values per sample of MNIST (bundled)']);
    assert.deepEqual(issues({ model: { layers: [784, 30, 5] } }), ['model.layers.2: 5 output units cannot represent the 10 classes of MNIST (bundled)']);
    assert.deepEqual(issues({ model: { layers: [784, 30, 10] } }), []);
    assert.ok(checkDraft({ model: { layers: [784, 10] } }, dir).config, 'a draft that fits comes back as a config to run');
  });

  it('IDX files: values per sample from the (gzipped) images header, classes from the labels', () => {
    assert.deepEqual(issues(idx([9, 5, 4])), []);
    assert.deepEqual(issues(idx([8, 5, 4])), ['model.layers.0: 8 does not match the 9 input values per sample of IDX files']);
    assert.deepEqual(issues(idx([9, 3])), ['model.layers.1: 3 output units cannot represent the 4 classes of IDX files']);
  });

  it('schema problems come first; synthetic data and unreadable files add nothing here', () => {
    assert.deepEqual(issues({ rule: { learningRate: -1 } }), ['rule.learningRate: -1 is not allowed; must be >= 0']);
    assert.deepEqual(issues({ data: { source: 'synthetic-gaussian' }, model: { layers: [16, 4] } }), []);
    assert.deepEqual(issues({ ...idx([9, 4]), data: { ...idx([9, 4]).data, trainImages: 'missing.gz' } }), [], 'the run reports a missing file, with its name');
  });
});
