/**
 * Bundles the integration suite that runs inside VS Code's extension host into dist-test/suite/.
 * The integration test calls it; `npm run build:vscode-tests` runs it alone (for the launch config).
 */
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

export const ROOT = resolve(__dirname, '..', '..');
export const SUITE_DIR = join(ROOT, 'dist-test', 'suite');

export async function buildSuite(): Promise<void> {
  await esbuild.build({
    entryPoints: { index: join(__dirname, 'suite', 'index.ts'), 'extension.test': join(__dirname, 'suite', 'extension.test.ts') },
    outdir: SUITE_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

if (require.main === module) void buildSuite();
