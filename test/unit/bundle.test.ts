/** The built extension bundle: the editor's process never loads TensorFlow.js (training runs in workers). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const BUNDLE = resolve(__dirname, '..', '..', 'dist', 'extension.js');

describe('the extension bundle (dist/extension.js)', () => {
  it('requires nothing from @tensorflow, eagerly or lazily', () => {
    assert.ok(existsSync(BUNDLE), 'run `npm run build` first');
    const code = readFileSync(BUNDLE, 'utf8');
    const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!);
    assert.ok(required.includes('vscode'), 'the pattern finds the requires the bundle makes');
    assert.deepEqual(required.filter((name) => name.startsWith('@tensorflow')), []);
    assert.doesNotMatch(code, /@tensorflow\//, 'no TensorFlow.js module is named anywhere in the bundle');
  });

  it('leaves the in-process pool and the trainer out (they belong to the command line and the workers)', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    assert.doesNotMatch(code, /class InProcessPool/);
    assert.doesNotMatch(code, /function runExperiment\(/);
  });
});
