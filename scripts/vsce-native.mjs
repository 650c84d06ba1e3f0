// Runs vsce (package, ls, …) for a platform-specific package that ships the native TensorFlow
// backend: .vscodeignore keeps only the node_modules files the portable package needs, and
// @tensorflow/tfjs-node brings dependencies of its own (the full @tensorflow/tfjs among them), so
// here every production node_modules file goes in, source maps aside. Usage: node scripts/vsce-native.mjs package --target linux-x64
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const portable = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
const native = [...portable.filter((line) => !line.startsWith('!node_modules/')), '!node_modules/**/!(*.map)'];
const ignoreFile = join(mkdtempSync(join(tmpdir(), 'vsce-native-')), '.vscodeignore');
writeFileSync(ignoreFile, `${native.join('\n')}\n`);
const [command = 'package', ...rest] = process.argv.slice(2);
execFileSync(join(root, 'node_modules', '.bin', 'vsce'), [command, '--ignoreFile', ignoreFile, ...rest], { cwd: root, stdio: 'inherit' });
