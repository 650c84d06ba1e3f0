/**
 * TensorFlow.js backend selection: native `tensorflow` (@tensorflow/tfjs-node, optional) when it
 * loads, else `wasm` (binaries ship in the npm package), else `cpu`. Loaded once per process.
 */
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKENDS, type BackendName, type BackendPreference } from '../protocol/hostWorker';
import { ConfigError } from './config/issues';

export { BACKENDS, type BackendName, type BackendPreference };

// Keeps the cpu backend's registration (a bare import is dropped for its sideEffects flag).
export const CPU_BACKEND_VERSION = version_cpu;

let nativeTried = false;
const nativeLoadFailure: { reason: string | null } = { reason: null };

function tryLoadNative(): boolean {
  if (!nativeTried) {
    nativeTried = true;
    try {
      // Optional dependency: absent where its native library could not be downloaded.
      require('@tensorflow/tfjs-node');
    } catch (error) {
      nativeLoadFailure.reason = (error as Error).message.split('\n')[0] ?? 'not installed';
    }
  }
  return tf.findBackend('tensorflow') !== null;
}

function wasmDir(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/** Makes `name` the active backend; resolves false if it cannot be used here. */
async function activate(name: BackendName): Promise<boolean> {
  if (name === 'tensorflow' && !tryLoadNative()) return false;
  if (name === 'wasm') setWasmPaths(wasmDir());
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

let active: BackendName | null = null;

export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendName> {
  if (active && (preference === 'auto' || preference === active)) return active;
  tf.enableProdMode();
  const order = preference === 'auto' ? BACKENDS : [preference];
  for (const name of order) {
    if (await activate(name)) {
      await tf.ready();
      active = name;
      return name;
    }
  }
  // Bad input, not a failed run: the user named a backend this installation cannot load.
  const how =
    preference === 'tensorflow'
      ? ` (${nativeLoadFailure.reason ?? 'not installed'}); it needs the optional package @tensorflow/tfjs-node, which downloads its native library when installed: npm install @tensorflow/tfjs-node. Or use "auto", "wasm" or "cpu"`
      : '; use "auto", "wasm" or "cpu"';
  throw new ConfigError([{ path: 'backend', message: `the ${preference} backend is not available here${how}` }]);
}

/** Which backends can be activated in this process (used by `bench`). */
export async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKENDS) if (await activate(name)) found.push(name);
  active = null;
  return found;
}

export function tfjsVersion(): string {
  return tf.version_core;
}
