/**
 * The extension's own folder (where package.json, media/ and presets/ live), found from wherever
 * this code was bundled into: dist/ in the package, src/ when the tests run the sources.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'plasticity-lab';
let found: string | undefined;

function isOurPackage(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

export function packageRoot(): string {
  if (found) return found;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (isOurPackage(dir)) return (found = dir);
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${__dirname}`);
}
