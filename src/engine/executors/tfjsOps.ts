/** Activation helpers on tensors, mirroring model/activations.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config/schema';
import type { NetworkParams } from '../model/params';

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

/**
 * Forward pass: outputs[0] = inputs, outputs[l+1] = layer l's output, the last as softmax;
 * also returns the logits for the loss.
 */
export function forward(
  inputs: tf.Tensor2D,
  weights: tf.Tensor2D[],
  biases: Array<tf.Tensor1D | null>,
  model: ModelConfig,
): { outputs: tf.Tensor2D[]; logits: tf.Tensor2D } {
  const outputs = [inputs];
  let logits = inputs;
  weights.forEach((w, l) => {
    const z = affine(outputs[l]!, w, biases[l]!);
    if (l < weights.length - 1) outputs.push(activate(z, model));
    else {
      logits = z;
      outputs.push(tf.softmax(z));
    }
  });
  return { outputs, logits };
}

export function paramTensors(params: NetworkParams): { weights: tf.Tensor2D[]; biases: Array<tf.Tensor1D | null> } {
  return {
    weights: params.map((p) => tf.tensor2d(p.weights, [p.nOut, p.nIn])),
    biases: params.map((p) => (p.bias ? tf.tensor1d(p.bias) : null)),
  };
}
