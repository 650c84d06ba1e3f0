/** Where the bundled MNIST digits live; they are written at build time by scripts/build-mnist.ts. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BUNDLED_MNIST = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 'test-images-idx3-ubyte.gz',
  testLabels: 'test-labels-idx1-ubyte.gz',
} as const;
export const BUNDLED_SPLIT_SEED = 20240816;
export const BUNDLED_TEST_COUNT = 2000;

/** The folder holding media/ (the package root), found from wherever this code was bundled into. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'media', 'mnist', BUNDLED_MNIST.testLabels))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new Error('the bundled MNIST digits are missing (media/mnist); run `npm run build` first');
}

export function bundledMnistFile(name: keyof typeof BUNDLED_MNIST): string {
  return join(packageRoot(), 'media', 'mnist', BUNDLED_MNIST[name]);
}
