/** The package folder is found by its manifest, not by any one data file inside it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../src/engine/packageRoot';
import { KERNEL_FILE, kernelModule } from '../../src/engine/executors/wasm/kernels';

describe('package root', () => {
  it('is the folder whose package.json names plasticity-lab', () => {
    const root = packageRoot();
    assert.equal(root, resolve(__dirname, '..', '..'));
    assert.equal(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name, 'plasticity-lab');
  });

  it('serves the SIMD kernels from media/wasm whatever else media/ holds', () => {
    assert.ok(existsSync(join(packageRoot(), KERNEL_FILE)), 'run `npm run build` first');
    assert.ok(kernelModule() instanceof WebAssembly.Module);
  });
});
