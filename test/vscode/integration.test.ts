/**
 * The extension's integration suite, run by @vscode/test-electron's standard runTests in the real
 * extension host of the VS Code server (test/vscode/bin/code stands in for the VS Code executable).
 */
import { describe, it, before } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';

const ROOT = resolve(__dirname, '..', '..');

before(async () => {
  await esbuild.build({
    entryPoints: { index: join(__dirname, 'suite', 'index.ts'), 'extension.test': join(__dirname, 'suite', 'extension.test.ts') },
    outdir: join(ROOT, 'dist-test', 'suite'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
});

describe('real VS Code', () => {
  it("the integration suite passes in VS Code's extension host", async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'plasticity-ws-'));
    await runTests({
      vscodeExecutablePath: join(__dirname, 'bin', 'code'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'dist-test', 'suite', 'index.js'),
      launchArgs: [workspace],
    });
  });
});
