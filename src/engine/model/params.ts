/** Network parameters as flat Float32Arrays: layer l maps n_in → n_out with W row-major [n_out, n_in]. */
import type { ExperimentConfig, ModelConfig } from '../config/schema';
import type { Random } from '../random';

export interface LayerParams {
  nOut: number;
  nIn: number;
  weights: Float32Array;
  bias: Float32Array | null;
}

export type NetworkParams = LayerParams[];

export function layerShapes(layers: readonly number[]): Array<{ nOut: number; nIn: number }> {
  return layers.slice(1).map((nOut, l) => ({ nOut, nIn: layers[l]! }));
}

/** Draws one matrix per layer with the configured scheme and gain. */
export function drawMatrices(model: ModelConfig, random: Random): Float32Array[] {
  const { scheme, gain } = model.init;
  return layerShapes(model.layers).map(({ nOut, nIn }) => {
    const values = new Float32Array(nOut * nIn);
    if (scheme === 'xavier-uniform') {
      const limit = gain * Math.sqrt(6 / (nIn + nOut));
      for (let i = 0; i < values.length; i++) values[i] = (2 * random.uniform() - 1) * limit;
    } else {
      const std = scheme === 'xavier-normal' ? gain * Math.sqrt(2 / (nIn + nOut)) : gain * Math.sqrt(2 / nIn);
      for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
    }
    return values;
  });
}

export function initialParams(config: ExperimentConfig, random: Random, fromFile: NetworkParams | null): NetworkParams {
  if (fromFile) return cloneParams(fromFile);
  return drawMatrices(config.model, random).map((weights, l) => {
    const { nOut, nIn } = layerShapes(config.model.layers)[l]!;
    return { nOut, nIn, weights, bias: config.model.bias ? new Float32Array(nOut) : null };
  });
}

export function cloneParams(params: NetworkParams): NetworkParams {
  return params.map((p) => ({ ...p, weights: p.weights.slice(), bias: p.bias ? p.bias.slice() : null }));
}

/** θ for each weight layer, with ojaOnOutput applied. */
export function ojaPerLayer(config: ExperimentConfig): number[] {
  const count = config.model.layers.length - 1;
  const { oja, ojaOnOutput } = config.rule;
  return Array.from({ length: count }, (_, l) => {
    if (l === count - 1 && !ojaOnOutput) return 0;
    return Array.isArray(oja) ? oja[l]! : oja;
  });
}
