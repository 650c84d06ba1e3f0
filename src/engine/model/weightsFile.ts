/** The weights file format `plasticity-lab/weights@1` (docs/SCIENCE.md): read for init.from, written by --save-weights. */
import { readFileSync } from 'node:fs';
import type { ModelConfig } from '../config/schema';
import { ConfigError } from '../config/issues';
import { initialNormParams, layerShapes, type NetworkParams } from './params';

export const WEIGHTS_FORMAT = 'plasticity-lab/weights@1';

interface WeightsDocument {
  format: string;
  layers: Array<{ shape: [number, number]; data: number[]; bias?: number[]; gain?: number[]; shift?: number[] }>;
}

export function weightsDocument(params: NetworkParams): WeightsDocument {
  return {
    format: WEIGHTS_FORMAT,
    layers: params.map((p) => ({
      shape: [p.nOut, p.nIn],
      data: Array.from(p.weights),
      ...(p.bias ? { bias: Array.from(p.bias) } : {}),
      ...(p.gain && p.shift ? { gain: Array.from(p.gain), shift: Array.from(p.shift) } : {}),
    })),
  };
}

export function readWeightsFile(file: string, model: ModelConfig): NetworkParams {
  const fail = (message: string): never => {
    throw new ConfigError([{ path: 'model.init.from', message: `${file}: ${message}` }]);
  };
  let doc: WeightsDocument;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as WeightsDocument;
  } catch (error) {
    return fail(`cannot be read as JSON (${(error as Error).message})`);
  }
  if (doc?.format !== WEIGHTS_FORMAT) fail(`format is ${JSON.stringify(doc?.format)}; expected "${WEIGHTS_FORMAT}"`);
  const shapes = layerShapes(model.layers);
  if (!Array.isArray(doc.layers) || doc.layers.length !== shapes.length) {
    fail(`has ${Array.isArray(doc.layers) ? doc.layers.length : 0} layers; model.layers needs ${shapes.length}`);
  }
  return shapes.map(({ nOut, nIn }, l) => {
    const layer = doc.layers[l]!;
    if (!Array.isArray(layer.shape) || layer.shape[0] !== nOut || layer.shape[1] !== nIn) {
      fail(`layers[${l}].shape is ${JSON.stringify(layer.shape)}; model.layers needs [${nOut}, ${nIn}]`);
    }
    if (!Array.isArray(layer.data) || layer.data.length !== nOut * nIn || !layer.data.every(Number.isFinite)) {
      fail(`layers[${l}].data must be ${nOut * nIn} finite numbers`);
    }
    let bias: Float32Array | null = null;
    if (model.bias) {
      if (!Array.isArray(layer.bias) || layer.bias.length !== nOut || !layer.bias.every(Number.isFinite)) {
        fail(`layers[${l}].bias must be ${nOut} finite numbers when model.bias is true`);
      }
      bias = Float32Array.from(layer.bias!);
    }
    // Normalisation parameters are optional in the file: a network saved without them starts at gain 1, shift 0.
    const norm = initialNormParams(model, l, nOut);
    for (const key of ['gain', 'shift'] as const) {
      const values = layer[key];
      if (values === undefined || !norm[key]) continue;
      if (!Array.isArray(values) || values.length !== nOut || !values.every(Number.isFinite)) fail(`layers[${l}].${key} must be ${nOut} finite numbers`);
      norm[key] = Float32Array.from(values);
    }
    return { nOut, nIn, weights: Float32Array.from(layer.data), bias, ...norm };
  });
}
