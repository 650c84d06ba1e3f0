/** Dataset downloads from a local HTTP server serving Debian's Fashion-MNIST IDX files. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DATASETS, downloadDataset, type DownloadProgress } from '../../src/host/datasets';
import { readIdxPair } from '../../src/engine/data/idx';

const SOURCE = '/usr/share/datasets/fashion-mnist';
const fashion = DATASETS.find((d) => d.id === 'fashion-mnist')!;
let server: Server;
let baseUrl: string;
const requests: Array<{ url: string; range?: string }> = [];
/** Files whose next response is cut off halfway. */
const cutOnce = new Set<string>();
/** name → name served instead (wrong content). */
const swapped = new Map<string, string>();

before(async () => {
  assert.ok(existsSync(join(SOURCE, 'train-images-idx3-ubyte.gz')), `Debian's dataset-fashion-mnist package is needed (${SOURCE}); .ci/run installs it`);
  server = createServer((req: IncomingMessage, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push({ url: name, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const file = join(SOURCE, swapped.get(name) ?? name);
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const slice = body.subarray(start);
    res.writeHead(range ? 206 : 200, { 'content-length': String(slice.length), ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) });
    if (cutOnce.delete(name)) {
      res.write(slice.subarray(0, slice.length >> 1), () => res.destroy());
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => server?.close());

describe('dataset download', () => {
  it('fetches all four files with progress, and they read as a 60,000/10,000 split', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    const progress: DownloadProgress[] = [];
    const files = await downloadDataset({ spec: fashion, baseUrl, targetDir: dir, onProgress: (p) => progress.push(p) });
    const train = readIdxPair(files.trainImages, files.trainLabels);
    const test = readIdxPair(files.testImages, files.testLabels);
    assert.equal(train.split.count, 60000);
    assert.equal(test.split.count, 10000);
    assert.equal(train.inputSize, 784);
    assert.ok(progress.every((p, i) => i === 0 || p.received >= progress[i - 1]!.received), 'progress only grows');
    const last = progress.at(-1)!;
    assert.equal(last.total, 26421856 + 29491 + 4422079 + 5125);
    assert.equal(last.received, last.total);
    assert.ok(!existsSync(`${files.trainImages}.part`));
  });

  it('does not fetch files that are already there and valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    await downloadDataset({ spec: fashion, baseUrl, targetDir: dir });
    const before = requests.length;
    await downloadDataset({ spec: fashion, baseUrl, targetDir: dir });
    assert.equal(requests.length, before);
  });

  it('a cut-off transfer leaves only a .part file, and the next run resumes it with a Range request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    cutOnce.add('train-images-idx3-ubyte.gz');
    await assert.rejects(downloadDataset({ spec: fashion, baseUrl, targetDir: dir }), /train-images-idx3-ubyte\.gz: .* while fetching http:\/\/127\.0\.0\.1:\d+\/train-images-idx3-ubyte\.gz; run the download again to resume/);
    const part = join(dir, 'train-images-idx3-ubyte.gz.part');
    assert.ok(existsSync(part) && !existsSync(join(dir, 'train-images-idx3-ubyte.gz')));
    const partial = statSync(part).size;
    assert.ok(partial > 0 && partial < 26421856);
    const files = await downloadDataset({ spec: fashion, baseUrl, targetDir: dir });
    assert.equal(requests.filter((r) => r.url === 'train-images-idx3-ubyte.gz').at(-1)!.range, `bytes=${partial}-`);
    const hash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    assert.equal(hash(files.trainImages), hash(join(SOURCE, 'train-images-idx3-ubyte.gz')), 'byte for byte the source');
  });

  it('cancelling stops the transfer and leaves no finished file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    const controller = new AbortController();
    await assert.rejects(
      downloadDataset({ spec: fashion, baseUrl, targetDir: dir, signal: controller.signal, onProgress: (p) => p.received > 1_000_000 && controller.abort() }),
      (error: Error) => error.name === 'AbortError',
    );
    assert.ok(!existsSync(join(dir, 'train-images-idx3-ubyte.gz')));
  });

  it('rejects a file with the wrong content, naming it, and keeps no copy of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    swapped.set('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
    try {
      await assert.rejects(downloadDataset({ spec: fashion, baseUrl, targetDir: dir }), /t10k-images-idx3-ubyte\.gz: holds 10000 values; expected 10000 × 28 × 28/);
    } finally {
      swapped.clear();
    }
    assert.ok(!existsSync(join(dir, 't10k-images-idx3-ubyte.gz')) && !existsSync(join(dir, 't10k-images-idx3-ubyte.gz.part')));
  });

  it('checks a SHA-256 when one is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    const spec = { ...fashion, files: { ...fashion.files, testLabels: { ...fashion.files.testLabels, sha256: '0'.repeat(64) } } };
    await assert.rejects(downloadDataset({ spec, baseUrl, targetDir: dir }), /t10k-labels-idx1-ubyte\.gz: has SHA-256 [0-9a-f]{64}; expected 0{64}/);
  });

  it('a server that accepts and never answers times out, naming the address; no empty data folder is left', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    const dir = join(mkdtempSync(join(tmpdir(), 'data-')), 'fashion');
    const t0 = performance.now();
    try {
      await assert.rejects(downloadDataset({ spec: fashion, baseUrl: url, targetDir: dir, connectTimeoutMs: 500, idleTimeoutMs: 500 }), (error: Error) => {
        assert.equal(error.message, `train-images-idx3-ubyte.gz: could not be fetched from ${url}train-images-idx3-ubyte.gz: no answer within 0.5 s`);
        return true;
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    assert.ok(performance.now() - t0 < 5000);
    assert.equal(existsSync(dir), false, 'the folder it made for nothing is gone');
  });

  it('a transfer that stalls midway times out and keeps its .part file to resume', async () => {
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000000' });
      res.write(Buffer.alloc(1000));
    });
    await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/`;
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    try {
      await assert.rejects(downloadDataset({ spec: fashion, baseUrl: url, targetDir: dir, connectTimeoutMs: 2000, idleTimeoutMs: 500 }), /train-images-idx3-ubyte\.gz: the transfer stalled: no data for 0\.5 s while fetching http:\/\/127\.0\.0\.1:\d+\/train-images-idx3-ubyte\.gz; run the download again to resume/);
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
    assert.equal(statSync(join(dir, 'train-images-idx3-ubyte.gz.part')).size, 1000);
  });

  it('a port nothing listens on (9, which fetch refuses as a "bad port") says it cannot connect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    await assert.rejects(downloadDataset({ spec: fashion, baseUrl: 'http://127.0.0.1:9/', targetDir: dir }), /train-images-idx3-ubyte\.gz: could not be fetched from http:\/\/127\.0\.0\.1:9\/train-images-idx3-ubyte\.gz: cannot connect to 127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  });

  it('names the file and the status when the server has no such file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-'));
    writeFileSync(join(dir, 'placeholder'), '');
    await assert.rejects(downloadDataset({ spec: fashion, baseUrl: `${baseUrl}missing/`, targetDir: dir }), /train-images-idx3-ubyte\.gz: the server answered 404/);
  });
});
