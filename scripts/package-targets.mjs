// The platform packages a release builds, and how (docs/RELEASING.md). `--list` prints them as JSON
// (a release workflow's matrix); `<target>` builds that one .vsix. Where @tensorflow/tfjs-node has a
// prebuilt library the package is "native": it ships the native backend with every production
// node_modules file, so it must be built on a machine of that platform (npm ci there downloads the
// library). Elsewhere it is "portable": the wasm backend, which runs wherever Node does, so any
// machine builds it. `universal` (no --target) is the portable package for every other platform.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** vsce's targets: [target, kind, the CI runner that can build it]. */
const TARGETS = [
  ['linux-x64', 'native', 'ubuntu-latest'],
  ['linux-arm64', 'native', 'ubuntu-24.04-arm'],
  ['darwin-x64', 'native', 'macos-13'],
  ['darwin-arm64', 'native', 'macos-latest'],
  ['win32-x64', 'native', 'windows-latest'],
  ['win32-arm64', 'portable', 'ubuntu-latest'],
  ['linux-armhf', 'portable', 'ubuntu-latest'],
  ['alpine-x64', 'portable', 'ubuntu-latest'],
  ['alpine-arm64', 'portable', 'ubuntu-latest'],
  ['universal', 'portable', 'ubuntu-latest'],
].map(([target, kind, runner]) => ({ target, kind, runner, file: `${name}-${target}-${version}.vsix` }));

/** The vsce target of the machine this runs on (for a native package, the one it must match). */
function hostTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  return `${process.platform}-${arch}`;
}

const [arg] = process.argv.slice(2);
if (arg === '--list' || arg === undefined) {
  process.stdout.write(`${JSON.stringify(TARGETS, null, 2)}\n`);
} else {
  const entry = TARGETS.find((t) => t.target === arg);
  if (!entry) {
    process.stderr.write(`error: ${arg}: not a target; the targets are ${TARGETS.map((t) => t.target).join(', ')}\n`);
    process.exit(2);
  }
  if (entry.kind === 'native' && entry.target !== hostTarget()) {
    process.stderr.write(`error: ${arg} ships the native TensorFlow library installed by npm ci, so build it on ${arg} (this machine is ${hostTarget()}); runner: ${entry.runner}\n`);
    process.exit(2);
  }
  if (entry.kind === 'native' && !existsSync(join(root, 'node_modules', '@tensorflow', 'tfjs-node', 'lib'))) {
    process.stderr.write(`error: ${arg}: @tensorflow/tfjs-node is not installed here (npm ci could not download its library), so this package would not hold the native backend\n`);
    process.exit(2);
  }
  const targetFlags = entry.target === 'universal' ? [] : ['--target', entry.target];
  const out = ['--out', join(root, entry.file)];
  if (entry.kind === 'native') execFileSync('node', [join(root, 'scripts', 'vsce-native.mjs'), 'package', ...targetFlags, ...out], { cwd: root, stdio: 'inherit' });
  else execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', ...targetFlags, ...out], { cwd: root, stdio: 'inherit' });
}
