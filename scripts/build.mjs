// Builds everything: the bundled MNIST digits (once), the experiment JSON schema, the WebAssembly
// kernels and the bundles.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
execFileSync(tsx, [join(root, 'scripts', 'build-mnist.ts')], { stdio: 'inherit' });
execFileSync(tsx, [join(root, 'scripts', 'write-schema.ts')], { stdio: 'inherit' });
// The SIMD kernels: AssemblyScript → WebAssembly, loaded by the engine at run time. Meta-learning's
// are built twice: with relaxed SIMD's fused multiply-add where the runtime has it, and without.
mkdirSync(join(root, 'media', 'wasm'), { recursive: true });
const asc = (entry, out, features) =>
  execFileSync(
    join(root, 'node_modules', '.bin', 'asc'),
    [join(root, 'assembly', entry), '-O3', '--runtime', 'stub', '--noAssert', ...features.flatMap((f) => ['--enable', f]), '-o', join(root, 'media', 'wasm', out)],
    { stdio: 'inherit' },
  );
asc('onlineKernels.ts', 'online-kernels.wasm', ['simd']);
asc('metaKernels.ts', 'meta-kernels.wasm', ['simd']);
asc('metaKernels.ts', 'meta-kernels-fma.wasm', ['simd', 'relaxed-simd']);
asc('recurrentKernels.ts', 'recurrent-kernels.wasm', ['simd']);

mkdirSync(join(root, 'dist'), { recursive: true });
const nodeBundle = { outdir: join(root, 'dist'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
await esbuild.build({
  ...nodeBundle,
  entryPoints: {
    cli: join(root, 'src', 'cli', 'main.ts'),
    worker: join(root, 'src', 'worker', 'main.ts'),
  },
  // TensorFlow.js stays in node_modules: the optional native backend must register with the
  // same tfjs-core instance, and the wasm backend finds its binaries beside its own files.
  external: ['@tensorflow/*'],
});
await esbuild.build({
  ...nodeBundle,
  entryPoints: { extension: join(root, 'src', 'extension', 'extension.ts') },
  // The extension host never loads TensorFlow.js: training happens in the workers.
  external: ['vscode', '@tensorflow/*'],
});
await esbuild.build({
  entryPoints: {
    dashboard: join(root, 'webview-ui', 'dashboard', 'main.ts'),
    form: join(root, 'webview-ui', 'form', 'main.ts'),
    report: join(root, 'webview-ui', 'report', 'main.ts'),
  },
  outdir: join(root, 'dist', 'webview'),
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
writeFileSync(join(root, 'dist', 'package.json'), '{ "type": "commonjs" }\n');
console.log('built dist/: cli, worker, extension, webview/dashboard, webview/form, webview/report');
