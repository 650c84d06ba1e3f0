/**
 * Downloads of the standard IDX datasets (user-invoked only). Each file goes to `<name>.part`,
 * resumes with an HTTP Range request when a partial file is there, is checked (length against
 * Content-Length, IDX structure with the expected counts, and SHA-256 when one is given), and only
 * then renamed into place: a half-downloaded file never looks like a finished one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { httpGet, NetworkError } from './httpGet';
import { join } from 'node:path';
import { readIdxFile } from '../engine/data/idx';

export interface DatasetFile {
  name: string;
  /** Expected IDX dimensions after decompression. */
  dims: number[];
  sha256?: string;
}

export interface DatasetSpec {
  id: 'mnist' | 'fashion-mnist';
  title: string;
  defaultBaseUrl: string;
  files: { trainImages: DatasetFile; trainLabels: DatasetFile; testImages: DatasetFile; testLabels: DatasetFile };
}

const standardFiles = (): DatasetSpec['files'] => ({
  trainImages: { name: 'train-images-idx3-ubyte.gz', dims: [60000, 28, 28] },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', dims: [60000] },
  testImages: { name: 't10k-images-idx3-ubyte.gz', dims: [10000, 28, 28] },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', dims: [10000] },
});

export const DATASETS: DatasetSpec[] = [
  { id: 'mnist', title: 'MNIST (70,000 handwritten digits)', defaultBaseUrl: 'https://ossci-datasets.s3.amazonaws.com/mnist/', files: standardFiles() },
  { id: 'fashion-mnist', title: 'Fashion-MNIST (70,000 clothing images)', defaultBaseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/', files: standardFiles() },
];

export interface DownloadProgress {
  file: string;
  /** Bytes of all files so far, and in all (null until every length is known). */
  received: number;
  total: number | null;
}

export class DownloadError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DownloadError';
  }
}

/** Nothing from the server for this long before its first answer: give up, naming the address. */
const CONNECT_TIMEOUT_MS = 20_000;
/** No data for this long in the middle of a file: give up (the .part file resumes next time). */
const IDLE_TIMEOUT_MS = 30_000;

export interface DownloadOptions {
  spec: DatasetSpec;
  baseUrl: string;
  targetDir: string;
  signal?: AbortSignal;
  onProgress?(progress: DownloadProgress): void;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export async function downloadDataset(options: DownloadOptions): Promise<Record<keyof DatasetSpec['files'], string>> {
  const { targetDir } = options;
  const created = !existsSync(targetDir);
  mkdirSync(targetDir, { recursive: true });
  try {
    return await downloadInto(options);
  } catch (error) {
    // A download that got nowhere leaves no empty folder behind (a partial file stays, to resume).
    if (created && readdirSync(targetDir).length === 0) rmSync(targetDir, { recursive: true, force: true });
    throw error;
  }
}

async function downloadInto(options: DownloadOptions): Promise<Record<keyof DatasetSpec['files'], string>> {
  const { spec, targetDir } = options;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const entries = Object.entries(spec.files) as Array<[keyof DatasetSpec['files'], DatasetFile]>;
  const received = new Map<string, number>();
  const lengths = new Map<string, number>();
  const report = (file: string) => {
    const total = lengths.size === entries.length ? [...lengths.values()].reduce((a, b) => a + b, 0) : null;
    options.onProgress?.({ file, received: [...received.values()].reduce((a, b) => a + b, 0), total });
  };

  const result = {} as Record<keyof DatasetSpec['files'], string>;
  for (const [key, file] of entries) {
    const target = join(targetDir, file.name);
    result[key] = target;
    if (existsSync(target) && isValid(target, file)) {
      const size = statSync(target).size;
      received.set(file.name, size);
      lengths.set(file.name, size);
      report(file.name);
      continue;
    }
    await fetchFile(new URL(file.name, base).href, target, file, options, (bytes, length) => {
      received.set(file.name, bytes);
      if (length !== null) lengths.set(file.name, length);
      report(file.name);
    });
  }
  return result;
}

function isValid(path: string, file: DatasetFile): boolean {
  try {
    verify(path, file);
    return true;
  } catch {
    return false;
  }
}

function verify(path: string, file: DatasetFile): void {
  let dims: number[];
  try {
    dims = readIdxFile(path).dims;
  } catch (error) {
    throw new DownloadError(file.name, `is not a valid IDX file (${(error as Error).message})`);
  }
  if (dims.join('×') !== file.dims.join('×')) throw new DownloadError(file.name, `holds ${dims.join(' × ')} values; expected ${file.dims.join(' × ')}`);
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function fetchFile(
  url: string, target: string, file: DatasetFile, options: Pick<DownloadOptions, 'signal' | 'connectTimeoutMs' | 'idleTimeoutMs'>, onBytes: (bytes: number, length: number | null) => void,
): Promise<void> {
  const part = `${target}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  let response: IncomingMessage;
  try {
    response = await httpGet(url, {
      headers: have > 0 ? { Range: `bytes=${have}-` } : {},
      ...(options.signal ? { signal: options.signal } : {}),
      connectTimeoutMs: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new DownloadError(file.name, `could not be fetched from ${url}: ${(error as Error).message}`);
  }
  const status = response.statusCode ?? 0;
  const ok = status >= 200 && status < 300;
  const resumed = status === 206;
  if (!ok) {
    response.resume();
    throw new DownloadError(file.name, `the server answered ${status} ${response.statusMessage ?? ''} for ${url}`);
  }
  const start = resumed ? have : 0;
  const declared = response.headers['content-length'] ?? null;
  const length = declared !== null ? start + Number(declared) : null;
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  let bytes = start;
  onBytes(bytes, length);
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      onBytes(bytes, length);
    }
  } catch (error) {
    // A cancelled request ends its body with a bare "aborted": say it was the user's cancel.
    if (options.signal?.aborted) throw options.signal.reason;
    const what = error instanceof NetworkError ? error.message : `the connection broke off (${(error as Error).message})`;
    throw new DownloadError(file.name, `${what} while fetching ${url}; run the download again to resume`);
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  if (length !== null && bytes !== length) throw new DownloadError(file.name, `arrived with ${bytes} of ${length} bytes; run the download again to resume`);
  try {
    verify(part, file);
    if (file.sha256) {
      const actual = await sha256(part);
      if (actual !== file.sha256.toLowerCase()) throw new DownloadError(file.name, `has SHA-256 ${actual}; expected ${file.sha256}`);
    }
  } catch (error) {
    rmSync(part, { force: true }); // a complete but wrong file will not get better by resuming
    throw error;
  }
  renameSync(part, target);
}
