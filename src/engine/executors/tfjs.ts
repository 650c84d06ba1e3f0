/**
 * The TensorFlow.js executor, for batch size > 1: the same rule as the online executor, on
 * tensors, with both terms averaged over the batch. Per-step work stays on the device; the loss
 * is accumulated there and read only at evaluation points.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import { ojaPerLayer, type NetworkParams } from '../model/params';
import type { TrainingExecutor } from './executor';
import { derivativeFromOutput, forward, matMulAtB } from './tfjsOps';

export class TfjsExecutor implements TrainingExecutor {
  readonly name = 'tfjs' as const;
  readonly divergedAtStep = null;
  private readonly weights: tf.Variable<tf.Rank.R2>[];
  private readonly biases: Array<tf.Variable<tf.Rank.R1> | null>;
  private readonly feedback: tf.Tensor2D[] | null;
  private readonly inputs: tf.Tensor2D;
  private readonly targets: tf.Tensor2D;
  private readonly lossSum = tf.variable(tf.scalar(0));
  private readonly adam: { m: tf.Variable[]; v: tf.Variable[]; mb: Array<tf.Variable | null>; vb: Array<tf.Variable | null> } | null;
  private readonly theta: number[];
  private lossCount = 0;
  private t = 0;

  constructor(
    private readonly config: ExperimentConfig,
    params: NetworkParams,
    feedback: Float32Array[] | null,
    train: Split,
  ) {
    this.weights = params.map((p) => tf.variable(tf.tensor2d(p.weights, [p.nOut, p.nIn])));
    this.biases = params.map((p) => (p.bias ? tf.variable(tf.tensor1d(p.bias)) : null));
    this.feedback = feedback ? feedback.map((f, l) => tf.tensor2d(f, [params[l]!.nOut, params[l]!.nIn])) : null;
    const inputSize = params[0]!.nIn;
    const classes = params[params.length - 1]!.nOut;
    this.inputs = tf.tensor2d(train.inputs, [train.count, inputSize]);
    this.targets = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes), 'float32') as tf.Tensor2D);
    this.theta = ojaPerLayer(config);
    this.adam =
      config.rule.optimizer === 'adam'
        ? {
            m: this.weights.map((w) => tf.variable(tf.zerosLike(w))),
            v: this.weights.map((w) => tf.variable(tf.zerosLike(w))),
            mb: this.biases.map((b) => (b ? tf.variable(tf.zerosLike(b)) : null)),
            vb: this.biases.map((b) => (b ? tf.variable(tf.zerosLike(b)) : null)),
          }
        : null;
  }

  step(indices: ArrayLike<number>): void {
    const { model, rule } = this.config;
    const eta = rule.learningRate;
    this.t++;
    tf.tidy(() => {
      const index = tf.tensor1d(Int32Array.from(indices), 'int32');
      const x = tf.gather(this.inputs, index) as tf.Tensor2D;
      const target = tf.gather(this.targets, index) as tf.Tensor2D;
      const n = indices.length;
      const { outputs, logits } = forward(x, this.weights, this.biases, model);
      this.lossSum.assign(tf.add(this.lossSum, tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits))))));
      this.lossCount += n;

      let e = tf.sub(outputs[outputs.length - 1]!, target) as tf.Tensor2D;
      for (let l = this.weights.length - 1; l >= 0; l--) {
        const w = this.weights[l]!;
        const a = outputs[l]!;
        const y = outputs[l + 1]!;
        const theta = this.theta[l]!;
        let next: tf.Tensor2D = w;
        if (rule.errorTerm) next = tf.sub(next, this.errorStep(l, tf.div(matMulAtB(e, a), n), eta));
        if (theta !== 0) {
          // θ/n · Yᵀ (A − Y W): Oja's term reassociated, never forming y yᵀ.
          const oja = matMulAtB(y, tf.sub(a, tf.matMul(y, w)));
          next = tf.add(next, tf.mul(oja, theta / n));
        }
        const eBelow: tf.Tensor2D | null = l > 0 && rule.errorTerm ? tf.mul<tf.Tensor2D>(tf.matMul(e, this.feedback ? this.feedback[l]! : w), derivativeFromOutput(a, model)) : null;
        const bias = this.biases[l];
        if (bias && rule.errorTerm) bias.assign(tf.sub(bias, this.biasStep(l, tf.mean(e, 0), eta)));
        if (next !== w) w.assign(next);
        if (eBelow) e = eBelow;
      }
    });
  }

  private errorStep(l: number, grad: tf.Tensor, eta: number): tf.Tensor {
    if (!this.adam) return tf.mul(grad, eta);
    return this.adamStep(this.adam.m[l]!, this.adam.v[l]!, grad, eta);
  }

  private biasStep(l: number, grad: tf.Tensor, eta: number): tf.Tensor {
    if (!this.adam) return tf.mul(grad, eta);
    return this.adamStep(this.adam.mb[l]!, this.adam.vb[l]!, grad, eta);
  }

  private adamStep(m: tf.Variable, v: tf.Variable, grad: tf.Tensor, eta: number): tf.Tensor {
    const { beta1, beta2, epsilon } = this.config.rule.adam;
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(grad, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(grad), 1 - beta2)));
    const mHat = tf.div(m, 1 - beta1 ** this.t);
    const vHat = tf.div(v, 1 - beta2 ** this.t);
    return tf.div(tf.mul(mHat, eta), tf.add(tf.sqrt(vHat), epsilon));
  }

  takeLoss() {
    const sum = this.lossSum.dataSync()[0]!;
    this.lossSum.assign(tf.scalar(0));
    const count = this.lossCount;
    this.lossCount = 0;
    return { sum, count };
  }

  params(): NetworkParams {
    return this.weights.map((w, l) => ({
      nOut: w.shape[0],
      nIn: w.shape[1],
      weights: w.dataSync().slice() as Float32Array,
      bias: this.biases[l] ? (this.biases[l]!.dataSync().slice() as Float32Array) : null,
    }));
  }

  dispose(): void {
    const adam = this.adam ? [...this.adam.m, ...this.adam.v, ...this.adam.mb, ...this.adam.vb] : [];
    tf.dispose([...this.weights, ...this.biases.filter((b) => b !== null), ...(this.feedback ?? []), this.inputs, this.targets, this.lossSum, ...adam.filter((t) => t !== null)] as tf.Tensor[]);
  }
}
