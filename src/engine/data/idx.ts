/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (`*-idx3-ubyte`, `*-idx1-ubyte`),
 * plain or gzip-compressed. Errors say which file and what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export class IdxError extends Error {
  constructor(file: string, problem: string) {
    super(`${basename(file)}: ${problem}`);
    this.name = 'IdxError';
  }
}

const UNSIGNED_BYTE = 0x08;

export function readIdxFile(file: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new IdxError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new IdxError(file, `is not a valid gzip file (${(error as Error).message}); it may be truncated`);
    }
  }
  return parseIdx(bytes, file);
}

export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new IdxError(file, `is ${bytes.length} bytes long, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new IdxError(file, 'is not an IDX file (the first two bytes must be zero)');
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new IdxError(file, `holds data type 0x${bytes[2]!.toString(16).padStart(2, '0')}; only unsigned bytes (0x08) are supported`);
  }
  const rank = bytes[3]!;
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerLength) throw new IdxError(file, `has a truncated header (rank ${rank})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw new IdxError(file, `is truncated: the header promises ${dims.join(' × ')} = ${expected} values but only ${actual} follow`);
  }
  if (actual > expected) throw new IdxError(file, `has ${actual - expected} bytes after the ${dims.join(' × ')} values it declares`);
  return { dims, data: bytes.subarray(headerLength, headerLength + expected) };
}

/** Reads a matching images/labels pair into a split, scaling pixels to [0, 1]. */
export function readIdxPair(imagesFile: string, labelsFile: string): { split: import('./dataset').Split; inputSize: number } {
  const images = readIdxFile(imagesFile);
  const labels = readIdxFile(labelsFile);
  if (images.dims.length < 2) throw new IdxError(imagesFile, `has rank ${images.dims.length}; an images file has rank 3 (count × rows × columns)`);
  if (labels.dims.length !== 1) throw new IdxError(labelsFile, `has rank ${labels.dims.length}; a labels file has rank 1`);
  const count = images.dims[0]!;
  if (count === 0) throw new IdxError(imagesFile, 'holds no images; a split needs at least one');
  if (labels.dims[0] !== count) {
    throw new IdxError(labelsFile, `has ${labels.dims[0]} labels but ${basename(imagesFile)} has ${count} images`);
  }
  const inputSize = images.dims.slice(1).reduce((a, b) => a * b, 1);
  const inputs = new Float32Array(images.data.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = images.data[i]! / 255;
  return { split: { count, inputs, labels: Uint8Array.from(labels.data) }, inputSize };
}

/** Encodes an IDX file of unsigned bytes (used to build the bundled set and in tests). */
export function encodeIdx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = UNSIGNED_BYTE;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
