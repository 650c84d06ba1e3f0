/** The IDX reader: round trips, gzip, and a clear error for each kind of broken file. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx, readIdxFile, readIdxPair } from '../../src/engine/data/idx';

let dir: string;
const images = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
const labels = Uint8Array.from([7, 0, 9]);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'idx-'));
  writeFileSync(join(dir, 'images-idx3-ubyte'), encodeIdx([3, 2, 2], images));
  writeFileSync(join(dir, 'images-idx3-ubyte.gz'), gzipSync(encodeIdx([3, 2, 2], images)));
  writeFileSync(join(dir, 'labels-idx1-ubyte'), encodeIdx([3], labels));
  writeFileSync(join(dir, 'labels-short-idx1-ubyte'), encodeIdx([2], labels.subarray(0, 2)));
});

describe('IDX files', () => {
  it('header bytes follow the format: 0, 0, type 0x08, rank, big-endian dims', () => {
    const bytes = encodeIdx([3, 2, 2], images);
    assert.deepEqual([...bytes.subarray(0, 16)], [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]);
  });

  it('reads plain and gzipped files alike', () => {
    const plain = readIdxFile(join(dir, 'images-idx3-ubyte'));
    const gz = readIdxFile(join(dir, 'images-idx3-ubyte.gz'));
    assert.deepEqual(plain.dims, [3, 2, 2]);
    assert.deepEqual([...plain.data], [...images]);
    assert.deepEqual([...gz.data], [...images]);
  });

  it('reads an images/labels pair, scaling pixels by 1/255', () => {
    const { split, inputSize } = readIdxPair(join(dir, 'images-idx3-ubyte.gz'), join(dir, 'labels-idx1-ubyte'));
    assert.equal(inputSize, 4);
    assert.equal(split.count, 3);
    assert.deepEqual([...split.labels], [7, 0, 9]);
    assert.ok(Math.abs(split.inputs[5]! - 100 / 255) < 1e-7);
  });

  const broken: Array<[string, Uint8Array, RegExp]> = [
    ['too short', Uint8Array.from([0, 0]), /x: is 2 bytes long, too short for an IDX header/],
    ['bad magic', Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]), /not an IDX file/],
    ['float data', Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), /data type 0x0d; only unsigned bytes \(0x08\)/],
    ['truncated header', Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), /truncated header \(rank 3\)/],
    ['truncated data', encodeIdx([3, 2, 2], images).subarray(0, 20), /truncated: the header promises 3 × 2 × 2 = 12 values but only 4 follow/],
    ['trailing bytes', Uint8Array.from([...encodeIdx([2], Uint8Array.from([1, 2])), 9, 9]), /has 2 bytes after the 2 values it declares/],
  ];
  for (const [name, bytes, message] of broken) {
    it(`rejects ${name}`, () => assert.throws(() => parseIdx(bytes, '/some/where/x'), message));
  }

  it('rejects a damaged gzip file, naming it', () => {
    const gz = gzipSync(encodeIdx([3, 2, 2], images));
    const file = join(dir, 'cut-idx3-ubyte.gz');
    writeFileSync(file, gz.subarray(0, gz.length - 10));
    assert.throws(() => readIdxFile(file), /cut-idx3-ubyte.gz: is not a valid gzip file .*truncated/);
  });

  it('rejects a missing file, naming it', () => {
    assert.throws(() => readIdxFile(join(dir, 'nope-idx1-ubyte')), /nope-idx1-ubyte: cannot be read \(ENOENT\)/);
  });

  it('rejects images and labels that disagree in count', () => {
    assert.throws(() => readIdxPair(join(dir, 'images-idx3-ubyte'), join(dir, 'labels-short-idx1-ubyte')), /labels-short-idx1-ubyte: has 2 labels but images-idx3-ubyte has 3 images/);
  });

  it('rejects a labels file passed as images', () => {
    assert.throws(() => readIdxPair(join(dir, 'labels-idx1-ubyte'), join(dir, 'labels-idx1-ubyte')), /has rank 1; an images file has rank 3/);
  });
});
