/** Where the bundled MNIST digits live; they are written at build time by scripts/build-mnist.ts. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../packageRoot';

export const BUNDLED_MNIST = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 'test-images-idx3-ubyte.gz',
  testLabels: 'test-labels-idx1-ubyte.gz',
} as const;
export const BUNDLED_SPLIT_SEED = 20240816;
export const BUNDLED_TEST_COUNT = 2000;

export function bundledMnistFile(name: keyof typeof BUNDLED_MNIST): string {
  const file = join(packageRoot(), 'media', 'mnist', BUNDLED_MNIST[name]);
  if (!existsSync(file)) throw new Error(`the bundled MNIST digits are missing (${file}); run \`npm run build\` first`);
  return file;
}
