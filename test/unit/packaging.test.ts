/** What the .vsix packages hold, as `vsce ls` lists it (no packaging needed). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const list = (args: string[]) => execFileSync(args[0]!, args.slice(1), { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('packaging', () => {
  it('the portable package holds the entry points and wasm binaries the bundles load, and no maps, sources or docs', () => {
    const files = list([join(ROOT, 'node_modules', '.bin', 'vsce'), 'ls']);
    for (const needed of [
      'dist/worker.js',
      'media/wasm/online-kernels.wasm',
      'node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
      'node_modules/ajv/dist/runtime/equal.js',
      'node_modules/seedrandom/index.js',
    ]) {
      assert.ok(files.includes(needed), needed);
    }
    assert.deepEqual(files.filter((f) => /^node_modules\/.*\.(map|ts|md)$/.test(f) && !/LICENSE/.test(f)), []);
    assert.ok(files.length < 150, `${files.length} files`);
  });

  it('the native package (package:native) holds every production node_modules file but source maps', () => {
    const files = list(['node', join(ROOT, 'scripts', 'vsce-native.mjs'), 'ls']);
    assert.ok(files.includes('node_modules/@tensorflow/tfjs-core/dist/index.js'), 'the full tfjs-core, as tfjs-node loads it');
    assert.ok(files.includes('dist/worker.js'));
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
  });
});
