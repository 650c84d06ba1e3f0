/** An episode's query loss and accuracy: the SIMD kernels' test pass, or TensorFlow.js where they are missing. */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import type { NetworkParams } from '../model/params';
import { TestSetForward } from '../diagnostics/testSetForward';
import { forward, paramTensors } from '../executors/tfjsOps';

export function queryLossAndAccuracy(config: ExperimentConfig, params: NetworkParams, query: Split): { loss: number; accuracy: number } {
  const kernels = TestSetForward.create(config, query);
  if (kernels) {
    const { lossSum, correct } = kernels.evaluate(params);
    return { loss: lossSum / query.count, accuracy: correct / query.count };
  }
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
