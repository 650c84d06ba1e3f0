/** Activation helpers on tensors, mirroring model/activations.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config/schema';
import { isNormalized, type NetworkParams } from '../model/params';
import { LAYER_NORM_EPSILON } from '../model/layerNorm';

export function activate(z: tf.Tensor2D, model: ModelConfig): tf.Tensor2D {
  switch (model.activation) {
    case 'softplus':
      return tf.div<tf.Tensor2D>(tf.softplus(tf.mul(z, model.softplusBeta)), model.softplusBeta);
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'linear':
      return z;
  }
}

/** σ'(z) written from y = σ(z). */
export function derivativeFromOutput(y: tf.Tensor2D, model: ModelConfig): tf.Tensor2D {
  switch (model.activation) {
    case 'softplus':
      // −expm1(−βy), not 1 − exp(−βy): float32 cancels tiny slopes to 0 in the latter.
      return tf.neg(tf.expm1(tf.mul(y, -model.softplusBeta))) as tf.Tensor2D;
    case 'relu':
      return tf.cast(tf.greater(y, 0), 'float32') as tf.Tensor2D;
    case 'tanh':
      return tf.sub<tf.Tensor2D>(1, tf.square(y));
    case 'linear':
      return tf.onesLike(y);
  }
}

// Explicit transposes: wasm's transposed matMul paths are ~10× slower (2000×784 · (170×784)ᵀ:
// 278 ms with the flag, 26 ms with tf.transpose; `plasticity-lab bench` shows the effect).
/** a bᵀ */
export function matMulABt(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, tf.transpose(b));
}

/** aᵀ b */
export function matMulAtB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.transpose(a), b);
}

/** z = a Wᵀ (+ b). */
export function affine(a: tf.Tensor2D, weights: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  const z = matMulABt(a, weights);
  return bias ? (tf.add(z, bias) as tf.Tensor2D) : z;
}

/** A normalised layer's learned gain and shift (null without them). */
export type NormTensors = { gain: tf.Tensor1D; shift: tf.Tensor1D } | null;

/** Per-sample layer normalisation (model/layerNorm.ts) of each row of z: h = γ ẑ + β, keeping ẑ and 1/σ for the backward pass. */
export function layerNorm(z: tf.Tensor2D, norm: NormTensors): { h: tf.Tensor2D; normalized: tf.Tensor2D; invStd: tf.Tensor2D } {
  const { mean, variance } = tf.moments(z, 1, true);
  const invStd = tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)) as tf.Tensor2D;
  const normalized = tf.mul<tf.Tensor2D>(tf.sub(z, mean), invStd);
  const h = norm ? tf.add<tf.Tensor2D>(tf.mul(normalized, norm.gain), norm.shift) : normalized;
  return { h, normalized, invStd };
}

/** ∂L/∂h → ∂L/∂z per row: (1/σ)(ĝ − mean ĝ − ẑ mean(ĝ ẑ)), ĝ = γ g. */
export function layerNormBackward(g: tf.Tensor2D, normalized: tf.Tensor2D, invStd: tf.Tensor2D, gain: tf.Tensor1D | null): tf.Tensor2D {
  const scaled = gain ? tf.mul<tf.Tensor2D>(g, gain) : g;
  const meanG = tf.mean(scaled, 1, true);
  const meanGX = tf.mean(tf.mul(scaled, normalized), 1, true);
  return tf.mul(invStd, tf.sub(tf.sub(scaled, meanG), tf.mul(normalized, meanGX)));
}

export interface ForwardPass {
  outputs: tf.Tensor2D[];
  logits: tf.Tensor2D;
  /** Per layer, ẑ and 1/σ where the layer is normalised. */
  normalized: Array<{ normalized: tf.Tensor2D; invStd: tf.Tensor2D } | null>;
}

/**
 * Forward pass: outputs[0] = inputs, outputs[l+1] = layer l's output, the last as softmax;
 * also returns the logits for the loss.
 */
export function forward(
  inputs: tf.Tensor2D,
  weights: tf.Tensor2D[],
  biases: Array<tf.Tensor1D | null>,
  model: ModelConfig,
  norms: NormTensors[] = [],
): ForwardPass {
  const outputs = [inputs];
  const normalized: ForwardPass['normalized'] = [];
  let logits = inputs;
  weights.forEach((w, l) => {
    let z = affine(outputs[l]!, w, biases[l]!);
    if (isNormalized(model, l)) {
      const pass = layerNorm(z, norms[l] ?? null);
      z = pass.h;
      normalized.push({ normalized: pass.normalized, invStd: pass.invStd });
    } else normalized.push(null);
    if (l < weights.length - 1) outputs.push(activate(z, model));
    else {
      logits = z;
      outputs.push(tf.softmax(z));
    }
  });
  return { outputs, logits, normalized };
}

export function paramTensors(params: NetworkParams): { weights: tf.Tensor2D[]; biases: Array<tf.Tensor1D | null>; norms: NormTensors[] } {
  return {
    weights: params.map((p) => tf.tensor2d(p.weights, [p.nOut, p.nIn])),
    biases: params.map((p) => (p.bias ? tf.tensor1d(p.bias) : null)),
    norms: params.map((p) => (p.gain && p.shift ? { gain: tf.tensor1d(p.gain), shift: tf.tensor1d(p.shift) } : null)),
  };
}
