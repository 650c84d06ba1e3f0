/** What the .vsix packages hold, as `vsce ls` lists it (no packaging needed). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import packageJson from '../../package.json';

const ROOT = resolve(__dirname, '..', '..');
const list = (args: string[]) => execFileSync(args[0]!, args.slice(1), { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('packaging', () => {
  it('the portable package holds the entry points and wasm binaries the bundles load, and no maps, sources or docs', () => {
    const files = list([join(ROOT, 'node_modules', '.bin', 'vsce'), 'ls']);
    for (const needed of [
      'dist/worker.js',
      'media/wasm/online-kernels.wasm',
      'media/wasm/meta-kernels.wasm',
      'media/wasm/meta-kernels-fma.wasm',
      'media/wasm/recurrent-kernels.wasm',
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

  it('the manifest carries what a Marketplace or Open VSX listing needs, and no packaging flag silences a check', () => {
    const manifest = packageJson as unknown as Record<string, unknown> & { scripts: Record<string, string> };
    for (const field of ['repository', 'bugs', 'homepage', 'galleryBanner', 'icon', 'license', 'publisher', 'description', 'keywords', 'categories']) {
      assert.ok(manifest[field], `package.json has ${field}`);
    }
    assert.match((manifest.repository as { url: string }).url, /^https:\/\/github\.com\/.+\.git$/);
    assert.ok((manifest.keywords as string[]).length >= 10 && (manifest.keywords as string[]).length <= 30, 'keywords people search for, within the Marketplace limit');
    assert.ok((manifest.description as string).length <= 200);
    // It spawns worker processes: it runs where the workspace is, never in a browser.
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    assert.equal(manifest.browser, undefined);
    for (const [name, script] of Object.entries(manifest.scripts)) {
      assert.doesNotMatch(script, /--allow-|--skip-|--no-rewrite-relative-links|--baseContentUrl/, `${name} silences a vsce check`);
    }
  });

  it('the icon is a 128×128 PNG, and the changelog follows Keep a Changelog with this version', () => {
    const icon = readFileSync(join(ROOT, packageJson.icon));
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, /keepachangelog\.com/);
    assert.match(changelog, /^## \[Unreleased\]$/m);
    assert.match(changelog, new RegExp(`^## \\[${packageJson.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });

  it('vsce ls lists the icon, README, changelog, licence and the bundled digits\' data licence', () => {
    const files = list([join(ROOT, 'node_modules', '.bin', 'vsce'), 'ls']);
    for (const needed of ['media/icon.png', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/MNIST-DATA-LICENSE.md']) assert.ok(files.includes(needed), needed);
    assert.match(readFileSync(join(ROOT, 'media', 'MNIST-DATA-LICENSE.md'), 'utf8'), /CC BY-SA 3\.0/);
  });

  it("every README picture exists, in docs/listing/, and each is one the UI scenarios or the pictures script takes", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    assert.ok(pictures.length >= 3, pictures.join(', '));
    const scenarios = readFileSync(join(ROOT, 'test', 'vscode', 'ui.test.ts'), 'utf8');
    const script = readFileSync(join(ROOT, 'scripts', 'update-pictures.mjs'), 'utf8');
    for (const picture of pictures) {
      assert.ok(picture.startsWith('docs/listing/') && existsSync(join(ROOT, picture)), picture);
      const name = picture.slice('docs/listing/'.length);
      assert.ok(scenarios.includes(`join(LISTING, '${name}')`) || script.includes(`'${name}'`), `${name}: no UI scenario or script takes it`);
    }
  });

  it('the platform packages: a list for a release matrix; a native one refuses another platform', () => {
    const listed = JSON.parse(execFileSync('node', [join(ROOT, 'scripts', 'package-targets.mjs'), '--list'], { encoding: 'utf8' })) as Array<{ target: string; kind: string; file: string }>;
    assert.deepEqual(listed.filter((t) => t.kind === 'native').map((t) => t.target).sort(), ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-x64']);
    assert.ok(listed.some((t) => t.target === 'universal'));
    for (const t of listed) assert.equal(t.file, `${packageJson.name}-${t.target}-${packageJson.version}.vsix`);
    const other = process.platform === 'darwin' ? 'win32-x64' : 'darwin-arm64';
    const refused = spawnSync('node', [join(ROOT, 'scripts', 'package-targets.mjs'), other], { encoding: 'utf8' });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, new RegExp(`^error: ${other} ships the native TensorFlow library installed by npm ci, so build it on ${other}`));
  });
});
