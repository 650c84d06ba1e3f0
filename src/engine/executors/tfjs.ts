/**
 * The TensorFlow.js executor, for batch size > 1: the same rule as the online executor, on
 * tensors, with both terms averaged over the batch. Per-step work stays on the device; the loss
 * is accumulated there and read only at evaluation points.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import { extraTerms, ojaPerLayer, type NetworkParams } from '../model/params';
import { EXTRA_TERMS, type ExtraTerm } from '../config/schema';
import type { TrainingExecutor } from './executor';
import { derivativeFromOutput, forward, layerNormBackward, matMulAtB } from './tfjsOps';

type NormVariables = { gain: tf.Variable<tf.Rank.R1>; shift: tf.Variable<tf.Rank.R1> } | null;

export class TfjsExecutor implements TrainingExecutor {
  readonly name = 'tfjs' as const;
  readonly divergedAtStep = null;
  private readonly weights: tf.Variable<tf.Rank.R2>[];
  private readonly biases: Array<tf.Variable<tf.Rank.R1> | null>;
  /** Layer normalisation's learned gain and shift, per layer (null where there are none). */
  private readonly norms: NormVariables[];
  private readonly feedback: tf.Tensor2D[] | null;
  private readonly inputs: tf.Tensor2D;
  private readonly targets: tf.Tensor2D;
  private readonly lossSum = tf.variable(tf.scalar(0));
  /** Per layer, the summed norms of Oja's steps and of the error term's steps, kept on the device. */
  private readonly stepNormSums: tf.Variable<tf.Rank.R1>;
  /** Adam's moments, by parameter name (W3, b3, gain3, shift3). */
  private readonly adam: Map<string, { m: tf.Variable; v: tf.Variable }> | null;
  private readonly theta: number[];
  /** Coefficients of the local terms beyond error and Oja, by layer; null when there are none. */
  private readonly terms: Record<ExtraTerm, number[]> | null;
  private lossCount = 0;
  private get normsPerLayer(): number {
    return this.terms ? 2 + EXTRA_TERMS.length : 2;
  }
  private t = 0;

  constructor(
    private readonly config: ExperimentConfig,
    params: NetworkParams,
    feedback: Float32Array[] | null,
    train: Split,
  ) {
    this.weights = params.map((p) => tf.variable(tf.tensor2d(p.weights, [p.nOut, p.nIn])));
    this.biases = params.map((p) => (p.bias ? tf.variable(tf.tensor1d(p.bias)) : null));
    this.norms = params.map((p) => (p.gain && p.shift ? { gain: tf.variable(tf.tensor1d(p.gain)), shift: tf.variable(tf.tensor1d(p.shift)) } : null));
    this.feedback = feedback ? feedback.map((f, l) => tf.tensor2d(f, [params[l]!.nOut, params[l]!.nIn])) : null;
    const inputSize = params[0]!.nIn;
    const classes = params[params.length - 1]!.nOut;
    this.inputs = tf.tensor2d(train.inputs, [train.count, inputSize]);
    this.targets = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes), 'float32') as tf.Tensor2D);
    this.theta = ojaPerLayer(config);
    this.terms = extraTerms(config);
    this.adam = config.rule.optimizer === 'adam' ? new Map() : null;
    // Per layer: Oja's, the error term's, then each local term's (with rule.terms).
    this.stepNormSums = tf.variable(tf.zeros([this.normsPerLayer * params.length]));
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
      const { outputs, logits, normalized } = forward(x, this.weights, this.biases, model, this.norms);
      this.lossSum.assign(tf.add(this.lossSum, tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits))))));
      this.lossCount += n;

      let e = tf.sub(outputs[outputs.length - 1]!, target) as tf.Tensor2D;
      const perLayer = this.normsPerLayer;
      const norms: tf.Scalar[] = new Array(perLayer * this.weights.length).fill(tf.scalar(0));
      for (let l = this.weights.length - 1; l >= 0; l--) {
        const w = this.weights[l]!;
        const a = outputs[l]!;
        const y = outputs[l + 1]!;
        const theta = this.theta[l]!;
        let next: tf.Tensor2D = w;
        if (rule.errorTerm) {
          const errorStep = this.errorStep(`W${l}`, tf.div(matMulAtB(e, a), n), eta);
          norms[perLayer * l + 1] = tf.norm(errorStep) as tf.Scalar;
          next = tf.sub(next, errorStep);
        }
        if (theta !== 0) {
          // θ/n · Yᵀ (A − Y W): Oja's term reassociated, never forming y yᵀ.
          const oja = tf.mul(matMulAtB(y, tf.sub(a, tf.matMul(y, w))), theta / n);
          norms[perLayer * l] = tf.norm(oja) as tf.Scalar;
          next = tf.add(next, oja);
        }
        // errorHebbian reads the layer below's error, complete: it is computed below, from the old
        // weights, and the term added once it is there.
        let eBelow: tf.Tensor2D | null = l > 0 && rule.errorTerm ? tf.mul<tf.Tensor2D>(tf.matMul(e, this.feedback ? this.feedback[l]! : w), derivativeFromOutput(a, model)) : null;
        const below = normalized[l - 1];
        if (eBelow && below) {
          // eBelow is ∂L/∂h of the normalised layer below; its gain and shift step, then ∂L/∂z goes on.
          const norm = this.norms[l - 1];
          const dz = layerNormBackward(eBelow, below.normalized, below.invStd, norm?.gain ?? null);
          if (norm) {
            norm.gain.assign(tf.sub(norm.gain, this.errorStep(`gain${l - 1}`, tf.mean(tf.mul(eBelow, below.normalized), 0), eta)));
            norm.shift.assign(tf.sub(norm.shift, this.errorStep(`shift${l - 1}`, tf.mean(eBelow, 0), eta)));
          }
          eBelow = dz;
        }
        if (this.terms) {
          const steps = extraTermsSteps(this.terms, l, w, a, y, e, eBelow, n);
          EXTRA_TERMS.forEach((term, k) => {
            const step = steps[term];
            if (!step) return;
            norms[perLayer * l + 2 + k] = tf.norm(step) as tf.Scalar;
            next = tf.add(next, step);
          });
        }
        const bias = this.biases[l];
        if (bias && rule.errorTerm) bias.assign(tf.sub(bias, this.errorStep(`b${l}`, tf.mean(e, 0), eta)));
        if (next !== w) w.assign(next);
        if (eBelow) e = eBelow;
      }
      this.stepNormSums.assign(tf.add(this.stepNormSums, tf.stack(norms)));
    });
  }

  takeStepNorms() {
    const sums = this.stepNormSums.dataSync();
    this.stepNormSums.assign(tf.zerosLike(this.stepNormSums));
    const layers = this.weights.map((_, l) => l);
    const at = (l: number, k: number) => sums[this.normsPerLayer * l + k]!;
    const terms = this.terms ? Object.fromEntries(EXTRA_TERMS.map((term, k) => [term, layers.map((l) => at(l, 2 + k))])) : undefined;
    return { oja: layers.map((l) => at(l, 0)), error: layers.map((l) => at(l, 1)), ...(terms ? { terms } : {}) };
  }

  /** The error term's step for one parameter: η g, or Adam's step (moments kept by name). */
  private errorStep(name: string, grad: tf.Tensor, eta: number): tf.Tensor {
    if (!this.adam) return tf.mul(grad, eta);
    let moments = this.adam.get(name);
    if (!moments) {
      moments = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(grad)), v: tf.variable(tf.zerosLike(grad)) }));
      this.adam.set(name, moments);
    }
    return this.adamStep(moments.m, moments.v, grad, eta);
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
      ...(this.norms[l] ? { gain: this.norms[l]!.gain.dataSync().slice() as Float32Array, shift: this.norms[l]!.shift.dataSync().slice() as Float32Array } : {}),
    }));
  }

  dispose(): void {
    const adam = [...(this.adam?.values() ?? [])].flatMap(({ m, v }) => [m, v]);
    const norms = this.norms.flatMap((n) => (n ? [n.gain, n.shift] : []));
    tf.dispose([...this.weights, ...this.biases.filter((b) => b !== null), ...norms, ...(this.feedback ?? []), this.inputs, this.targets, this.lossSum, this.stepNormSums, ...adam] as tf.Tensor[]);
  }
}

/**
 * The local terms beyond error and Oja for layer l, each its own step, averaged over the batch
 * (docs/SCIENCE.md), from the old weights: c_os (YᵀA − diag(Σ y²) W) ÷ n, c_s (YᵀA − LT(YᵀY) W) ÷ n,
 * c_h YᵀA ÷ n, −c_d W, and −c_eH Eᵀ E_below ÷ n. A term with coefficient 0 is absent.
 */
function extraTermsSteps(
  terms: Record<ExtraTerm, number[]>, l: number, w: tf.Tensor2D, a: tf.Tensor2D, y: tf.Tensor2D, e: tf.Tensor2D, eBelow: tf.Tensor2D | null, n: number,
): Partial<Record<ExtraTerm, tf.Tensor2D>> {
  const c = (term: ExtraTerm) => terms[term][l]!;
  const steps: Partial<Record<ExtraTerm, tf.Tensor2D>> = {};
  const hebbian = c('ojaSingle') !== 0 || c('sanger') !== 0 || c('hebbian') !== 0 ? matMulAtB(y, a) : null;
  if (c('ojaSingle') !== 0) steps.ojaSingle = tf.mul<tf.Tensor2D>(tf.sub(hebbian!, tf.mul(tf.reshape(tf.sum(tf.square(y), 0), [-1, 1]), w)), c('ojaSingle') / n);
  if (c('sanger') !== 0) steps.sanger = tf.mul<tf.Tensor2D>(tf.sub(hebbian!, tf.matMul(tf.linalg.bandPart(matMulAtB(y, y), -1, 0), w)), c('sanger') / n);
  if (c('hebbian') !== 0) steps.hebbian = tf.mul<tf.Tensor2D>(hebbian!, c('hebbian') / n);
  if (c('decay') !== 0) steps.decay = tf.mul<tf.Tensor2D>(w, -c('decay'));
  if (eBelow && c('errorHebbian') !== 0) steps.errorHebbian = tf.mul<tf.Tensor2D>(matMulAtB(e, eBelow), -c('errorHebbian') / n);
  return steps;
}
