/**
 * The extension's integration suite, run by @vscode/test-electron's standard runTests in the real
 * extension host of the VS Code server (test/vscode/bin/code stands in for the VS Code executable).
 */
import { describe, it, before } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, ROOT, SUITE_DIR } from './buildSuite';

before(buildSuite);

describe('real VS Code', () => {
  it("the integration suite passes in VS Code's extension host", async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'plasticity-ws-'));
    await runTests({
      vscodeExecutablePath: join(__dirname, 'bin', 'code'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(SUITE_DIR, 'index.js'),
      launchArgs: [workspace],
    });
  });
});
