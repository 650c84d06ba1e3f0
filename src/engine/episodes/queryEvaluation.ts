/**
 * Episodes' query loss and accuracy: on the SIMD kernels' test pass, made once per run and loaded
 * with each episode's query samples, or in TensorFlow.js where the kernels are missing.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import type { NetworkParams } from '../model/params';
import { TestSetForward } from '../diagnostics/testSetForward';
import { forward, paramTensors } from '../executors/tfjsOps';

export class QueryEvaluator {
  private kernels: TestSetForward | null | undefined;

  constructor(private readonly config: ExperimentConfig) {}

  evaluate(params: NetworkParams, query: Split): { loss: number; accuracy: number } {
    if (this.kernels === undefined) this.kernels = TestSetForward.create(this.config, query);
    else this.kernels?.load(query);
    if (this.kernels) {
      const { lossSum, correct } = this.kernels.evaluate(params);
      return { loss: lossSum / query.count, accuracy: correct / query.count };
    }
    return tensorLossAndAccuracy(this.config, params, query);
  }
}

/** The same in TensorFlow.js (where the kernels are missing). */
export function tensorLossAndAccuracy(config: ExperimentConfig, params: NetworkParams, query: Split): { loss: number; accuracy: number } {
  const classes = params[params.length - 1]!.nOut;
  const values = tf.tidy(() => {
    const { weights, biases, norms } = paramTensors(params);
    const inputs = tf.tensor2d(query.inputs, [query.count, params[0]!.nIn]);
    const labels = tf.tensor1d(query.labels, 'int32');
    const { logits } = forward(inputs, weights, biases, config.model, norms);
    const targets = tf.cast(tf.oneHot(labels, classes), 'float32');
    const lossSum = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits))));
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
    return tf.stack([lossSum, correct]);
  });
  const [lossSum, correct] = values.dataSync();
  values.dispose();
  return { loss: lossSum! / query.count, accuracy: correct! / query.count };
}
