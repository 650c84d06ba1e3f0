/**
 * Evaluation with TensorFlow.js: test loss and accuracy over the whole test split, and the
 * per-layer diagnostics (docs/SCIENCE.md) on a fixed probe batch. All values come back in one read.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import { ojaPerLayer, type NetworkParams } from '../model/params';
import { derivativeFromOutput, forward, layerNormBackward, matMulABt, matMulAtB, paramTensors, type NormTensors } from '../executors/tfjsOps';
import type { LayerDiagnostics } from './metrics';
import { TestSetForward } from './testSetForward';

const CHUNK = 2000;
const PER_LAYER = 7;

export interface Evaluation {
  testLoss: number;
  testAccuracy: number;
  layers: LayerDiagnostics[];
}

export class Evaluator {
  private readonly chunks: Array<{ inputs: tf.Tensor2D; labels: tf.Tensor1D; targets: tf.Tensor2D }> = [];
  private readonly probe: { inputs: tf.Tensor2D; targets: tf.Tensor2D };
  private readonly theta: number[];
  private readonly testCount: number;
  /** Test loss and accuracy on the SIMD kernels; null where they are missing (then tensors do it). */
  private readonly testForward: TestSetForward | null;
  /** Fixed FA matrices, uploaded once (they never change during a run). */
  private readonly feedback: tf.Tensor2D[] | null;

  constructor(
    private readonly config: ExperimentConfig,
    test: Split,
    feedback: Float32Array[] | null,
    /** false: test loss and accuracy through TensorFlow.js even where the kernels exist. */
    useKernels = true,
  ) {
    const shapes = config.model.layers.slice(1).map((nOut, l) => [nOut, config.model.layers[l]!] as [number, number]);
    this.feedback = feedback ? feedback.map((f, l) => tf.tensor2d(f, shapes[l]!)) : null;
    const layers = config.model.layers;
    const inputSize = layers[0]!;
    const classes = layers[layers.length - 1]!;
    this.testCount = test.count;
    this.testForward = useKernels ? TestSetForward.create(config, test) : null;
    for (let start = 0; !this.testForward && start < test.count; start += CHUNK) {
      const end = Math.min(test.count, start + CHUNK);
      const labels = tf.tensor1d(test.labels.subarray(start, end), 'int32');
      this.chunks.push({
        inputs: tf.tensor2d(test.inputs.subarray(start * inputSize, end * inputSize), [end - start, inputSize]),
        labels,
        targets: tf.tidy(() => tf.cast(tf.oneHot(labels, classes), 'float32') as tf.Tensor2D),
      });
    }
    const probeCount = Math.min(config.training.probeSize, test.count);
    this.probe = tf.tidy(() => ({
      inputs: tf.tensor2d(test.inputs.subarray(0, probeCount * inputSize), [probeCount, inputSize]),
      targets: tf.cast(tf.oneHot(tf.tensor1d(test.labels.subarray(0, probeCount), 'int32'), classes), 'float32') as tf.Tensor2D,
    }));
    this.theta = ojaPerLayer(config);
  }

  evaluate(params: NetworkParams): Evaluation {
    const probeCount = this.probe.inputs.shape[0];
    const test = this.testForward?.evaluate(params, probeCount);
    const values = tf.tidy(() => {
      const { weights, biases, norms } = paramTensors(params);
      let lossSum: tf.Tensor = tf.scalar(0);
      let correct: tf.Tensor = tf.scalar(0);
      for (const chunk of this.chunks) {
        const { logits } = forward(chunk.inputs, weights, biases, this.config.model, norms);
        lossSum = tf.add(lossSum, tf.neg(tf.sum(tf.mul(chunk.targets, tf.logSoftmax(logits)))));
        correct = tf.add(correct, tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), chunk.labels), 'float32')));
      }
      const diagnostics = this.diagnostics(weights, biases, norms, test?.firstOutputs);
      return tf.concat([tf.stack([lossSum, correct]), diagnostics]);
    });
    const flat = values.dataSync();
    values.dispose();
    const count = this.testCount;
    const lossSum = test ? test.lossSum : flat[0]!;
    const correct = test ? test.correct : flat[1]!;
    const layers = params.map((_, l) => {
      const at = 2 + l * PER_LAYER;
      const layer: LayerDiagnostics = {
        weightNorm: flat[at]!,
        orthonormality: flat[at + 1]!,
        activationNorm: flat[at + 2]!,
        participationRatio: flat[at + 3]!,
        errorNorm: flat[at + 4]!,
        // From the steps the executor took since the previous point: the trainer fills it in.
        ojaErrorRatio: null,
        stability: flat[at + 5]!,
      };
      if (this.feedback) layer.alignmentAngle = flat[at + 6]!;
      return layer;
    });
    return { testLoss: lossSum / count, testAccuracy: correct / count, layers };
  }

  /**
   * PER_LAYER values per layer, stacked into one 1-D tensor. `probeOutputs` (each layer's outputs
   * on the probe, logits last) come from the kernels' test pass when it ran; else a forward pass.
   */
  private diagnostics(weights: tf.Tensor2D[], biases: Array<tf.Tensor1D | null>, norms: NormTensors[], probeOutputs?: Float32Array[]): tf.Tensor1D {
    const { model } = this.config;
    const n = this.probe.inputs.shape[0];
    const last = weights.length - 1;
    // Normalised layers need ẑ and 1/σ for their error signals: only a forward pass in tensors keeps them.
    const pass = probeOutputs && model.normalization === 'none' ? null : forward(this.probe.inputs, weights, biases, model, norms);
    const outputs = pass
      ? pass.outputs
      : [this.probe.inputs, ...probeOutputs!.map((values, l) => {
          const out = tf.tensor2d(values, [n, weights[l]!.shape[0]]);
          return l === last ? tf.softmax(out) : out;
        })];
    const throughNorm = (l: number, g: tf.Tensor2D) => {
      const below = pass?.normalized[l];
      return below ? layerNormBackward(g, below.normalized, below.invStd, norms[l]?.gain ?? null) : g;
    };
    // Error signals as the rule computes them, and the true backprop ones for the FA angle.
    const errors: tf.Tensor2D[] = new Array(weights.length);
    const trueErrors: tf.Tensor2D[] = new Array(weights.length);
    errors[last] = tf.sub(outputs[last + 1]!, this.probe.targets);
    trueErrors[last] = errors[last]!;
    for (let l = last; l > 0; l--) {
      const slope = derivativeFromOutput(outputs[l]!, model);
      const feedback = this.feedback ? this.feedback[l]! : weights[l]!;
      errors[l - 1] = throughNorm(l - 1, tf.mul(tf.matMul(errors[l]!, feedback), slope));
      trueErrors[l - 1] = this.feedback ? throughNorm(l - 1, tf.mul(tf.matMul(trueErrors[l]!, weights[l]!), slope)) : errors[l - 1]!;
    }
    const rows = weights.map((w, l) => {
      const y = outputs[l + 1]!;
      const e = errors[l]!;
      const theta = this.theta[l]!;
      const rowNorms = (m: tf.Tensor2D) => tf.sqrt(tf.sum(tf.square(m), 1));
      const meanSquaredNorm = tf.mean(tf.sum(tf.square(y), 1));
      return tf.stack([
        frobenius(w),
        frobenius(tf.sub(matMulABt(w, w), tf.eye(w.shape[0]))),
        tf.mean(rowNorms(y)),
        participationRatio(y),
        tf.mean(rowNorms(e)),
        tf.mul(meanSquaredNorm, theta),
        this.feedback ? meanAngleDegrees(e, trueErrors[l]!) : tf.scalar(0),
      ]);
    });
    return tf.concat(rows) as tf.Tensor1D;
  }

  dispose(): void {
    tf.dispose([...this.chunks.flatMap((c) => [c.inputs, c.labels, c.targets]), this.probe.inputs, this.probe.targets, ...(this.feedback ?? [])]);
  }
}

function frobenius(m: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.sum(tf.square(m))) as tf.Scalar;
}

/** (tr C)² / ‖C‖_F² for the covariance C of the rows of y, through the smaller Gram matrix. */
function participationRatio(y: tf.Tensor2D): tf.Scalar {
  const centred = tf.sub<tf.Tensor2D>(y, tf.mean(y, 0));
  const [rows, cols] = centred.shape;
  const gram = cols <= rows ? matMulAtB(centred, centred) : matMulABt(centred, centred);
  const trace = tf.sum(tf.square(centred));
  const frob2 = tf.sum(tf.square(gram));
  return tf.where(tf.greater(frob2, 0), tf.div(tf.square(trace), tf.maximum(frob2, 1e-30)), tf.scalar(0)) as tf.Scalar;
}

/** Mean over rows of the angle between a[i] and b[i], in degrees (rows with a zero vector count as 0°). */
function meanAngleDegrees(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  const dot = tf.sum(tf.mul(a, b), 1);
  const norms = tf.mul(tf.sqrt(tf.sum(tf.square(a), 1)), tf.sqrt(tf.sum(tf.square(b), 1)));
  const cosine = tf.where(tf.greater(norms, 0), tf.div(dot, tf.maximum(norms, 1e-30)), tf.onesLike(dot));
  return tf.mean(tf.mul(tf.acos(tf.clipByValue(cosine, -1, 1)), 180 / Math.PI)) as tf.Scalar;
}
