/**
 * A vanilla recurrent network trained online, one sequence per update, in float64:
 *   h_t = σ(W_in x_t + W_rec h_{t−1}),  h_0 = 0,  z_t = W_out h_t (softmax cross-entropy where step t has a
 *   target class; ½‖z_t − y_t‖² where it has regression targets y_t).
 * The update, every piece from the weights before it:
 *   ΔW = −η G + θ O,
 * where G is the gradient of the sequence's summed loss by backpropagation through time (feedback
 * alignment: fixed random matrices F_out, F_rec carry the errors instead of W_out, W_rec), and Oja's
 * term, averaged over the steps (over the steps with targets for W_out, whose activity p is the softmax,
 * or z itself against regression targets):
 *   O_in  = mean_t (h_t x_tᵀ − h_t (h_tᵀ W_in)),   O_rec = mean_t (h_t h_{t−1}ᵀ − h_t (h_tᵀ W_rec)),
 *   O_out = mean_targets (p_t h_tᵀ − p_t (p_tᵀ W_out)).
 */
import type { Activation } from '../config/schema';
import { activationDerivatives, type Derivatives } from '../model/activations';
import type { Sequence } from './sequences';

export const RECURRENT_MATRICES = ['in', 'rec', 'out'] as const;
export type RecurrentMatrix = (typeof RECURRENT_MATRICES)[number];

/** Row-major float64 matrices: in N × I, rec N × N, out O × N. */
export interface RecurrentWeights {
  inputs: number;
  hidden: number;
  outputs: number;
  in: Float64Array;
  rec: Float64Array;
  out: Float64Array;
}

export interface RecurrentRule {
  activation: Activation;
  beta: number;
  learningRate: number;
  errorTerm: boolean;
  oja: Record<RecurrentMatrix, number>;
  /** Feedback alignment's fixed matrices (shaped like W_out and W_rec), or null for backprop. */
  feedback: { out: Float64Array; rec: Float64Array } | null;
  /** Truncation: each target's error flows back this many steps (absent: the whole sequence). */
  bptt?: number;
}

/** A sequence's forward pass: pre-activations and hidden states (h[0] = h_0 = 0), and the softmax at target steps. */
export interface Trajectory {
  /** hidden[t] for t = 0 … T (length (T + 1)·N). */
  hidden: Float64Array;
  /** σ'(a_t) for t = 1 … T, at (t − 1)·N. */
  slope: Float64Array;
  /** The output's activity p_t at target steps (the softmax, or z_t against regression targets), at (t − 1)·O (zero elsewhere). */
  probabilities: Float64Array;
  /** Summed loss over the target steps, and how many there were and how many were right (none, for regression). */
  loss: number;
  targets: number;
  correct: number;
}

export function forward(weights: RecurrentWeights, sequence: Sequence, derivatives: Derivatives): Trajectory {
  const { inputs: I, hidden: N, outputs: O } = weights;
  const T = sequence.steps;
  const hidden = new Float64Array((T + 1) * N);
  const slope = new Float64Array(T * N);
  const probabilities = new Float64Array(T * O);
  const d = new Float64Array(3);
  let loss = 0;
  let targets = 0;
  let correct = 0;
  for (let t = 1; t <= T; t++) {
    const x = (t - 1) * I;
    const previous = (t - 1) * N;
    for (let i = 0; i < N; i++) {
      let a = 0;
      for (let j = 0; j < I; j++) a += weights.in[i * I + j]! * sequence.inputs[x + j]!;
      for (let j = 0; j < N; j++) a += weights.rec[i * N + j]! * hidden[previous + j]!;
      derivatives(a, d);
      hidden[t * N + i] = d[0]!;
      slope[previous + i] = d[1]!;
    }
    if (sequence.targets[t - 1]! < 0) continue;
    const p = probabilities.subarray((t - 1) * O, t * O);
    for (let k = 0; k < O; k++) {
      let z = 0;
      for (let j = 0; j < N; j++) z += weights.out[k * N + j]! * hidden[t * N + j]!;
      p[k] = z;
    }
    const score = scoreOutput(p, sequence, t);
    loss += score.loss;
    targets++;
    if (score.correct) correct++;
  }
  return { hidden, slope, probabilities, loss, targets, correct };
}

/**
 * The output z_t at a target step t (1 … T), in place, becomes its activity: the softmax against a
 * target class, or z_t itself against regression targets; the loss there (cross-entropy, or
 * ½‖z_t − y_t‖²), and whether the largest logit was the target's (never, for regression).
 */
export function scoreOutput(z: Float64Array, sequence: Sequence, t: number): { loss: number; correct: boolean } {
  const y = regressionTargets(sequence, t, z.length);
  if (!y) return scoreTarget(z, sequence.targets[t - 1]!);
  let loss = 0;
  for (let k = 0; k < z.length; k++) loss += 0.5 * (z[k]! - y[k]!) ** 2;
  return { loss, correct: false };
}

/** dz = ∂loss/∂z_t from the activity scoreOutput left: p − onehot(target), or z − y. */
export function outputError(activity: ArrayLike<number>, sequence: Sequence, t: number, dz: { [k: number]: number; length: number }): void {
  const y = regressionTargets(sequence, t, dz.length);
  const target = sequence.targets[t - 1]!;
  for (let k = 0; k < dz.length; k++) dz[k] = activity[k]! - (y ? y[k]! : k === target ? 1 : 0);
}

function regressionTargets(sequence: Sequence, t: number, outputs: number): Float32Array | null {
  return sequence.regression ? sequence.regression.subarray((t - 1) * outputs, t * outputs) : null;
}

/** The index of the largest value (the first, on a tie): the predicted class, from logits or their softmax alike. */
export function largestAt(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** Logits in p become the softmax; the target's cross-entropy, and whether the largest logit was the target's. */
export function scoreTarget(p: Float64Array, target: number): { loss: number; correct: boolean } {
  const best = largestAt(p);
  const max = p[best]!;
  let total = 0;
  for (let k = 0; k < p.length; k++) total += p[k] = Math.exp(p[k]! - max);
  for (let k = 0; k < p.length; k++) p[k]! /= total;
  return { loss: -Math.log(p[target]!), correct: best === target };
}

/** The step's change to each matrix (not yet applied), from the weights as they are. */
export function recurrentUpdate(weights: RecurrentWeights, rule: RecurrentRule, sequence: Sequence, trajectory: Trajectory): Record<RecurrentMatrix, Float64Array> {
  const { inputs: I, hidden: N, outputs: O } = weights;
  const T = sequence.steps;
  const { hidden, probabilities } = trajectory;
  const delta = { in: new Float64Array(N * I), rec: new Float64Array(N * N), out: new Float64Array(O * N) };
  if (rule.errorTerm) {
    const isTarget = (t: number) => sequence.targets[t - 1]! >= 0;
    if (rule.bptt === undefined || rule.bptt >= T) backpropagate(delta, weights, rule, sequence, trajectory, T, 1, isTarget);
    // Truncated: each target's error flows back through its own last `bptt` steps only.
    else for (let t = T; t >= 1; t--) if (isTarget(t)) backpropagate(delta, weights, rule, sequence, trajectory, t, Math.max(1, t - rule.bptt + 1), (s) => s === t);
  }
  addOja(delta.in, weights.in, rule.oja.in, N, I, T, (t) => hidden.subarray(t * N, (t + 1) * N), (t) => sequence.inputs.subarray((t - 1) * I, t * I));
  addOja(delta.rec, weights.rec, rule.oja.rec, N, N, T, (t) => hidden.subarray(t * N, (t + 1) * N), (t) => hidden.subarray((t - 1) * N, t * N));
  const targetSteps = Array.from({ length: T }, (_, k) => k + 1).filter((t) => sequence.targets[t - 1]! >= 0);
  addOja(delta.out, weights.out, rule.oja.out, O, N, targetSteps, (t) => probabilities.subarray((t - 1) * O, t * O), (t) => hidden.subarray(t * N, (t + 1) * N));
  return delta;
}

/**
 * −η times the gradient of the loss at the steps `injects` picks in last … first, backpropagated
 * from step `last` down to step `first` (through the feedback matrices under feedback alignment),
 * added to delta: g_t = B_outᵀ δz_t + B_recᵀ δa_{t+1}, δa_t = g_t ⊙ σ'(a_t).
 */
function backpropagate(
  delta: Record<RecurrentMatrix, Float64Array>, weights: RecurrentWeights, rule: RecurrentRule, sequence: Sequence, trajectory: Trajectory,
  last: number, first: number, injects: (t: number) => boolean,
): void {
  const { inputs: I, hidden: N, outputs: O } = weights;
  const { hidden, slope, probabilities } = trajectory;
  const bOut = rule.feedback ? rule.feedback.out : weights.out;
  const bRec = rule.feedback ? rule.feedback.rec : weights.rec;
  const eta = rule.learningRate;
  let next = new Float64Array(N);
  let current = new Float64Array(N);
  const dz = new Float64Array(O);
  for (let t = last; t >= first; t--) {
    const g = current.fill(0);
    const target = sequence.targets[t - 1]!;
    if (target >= 0 && injects(t)) {
      outputError(probabilities.subarray((t - 1) * O, t * O), sequence, t, dz);
      for (let k = 0; k < O; k++) {
        for (let j = 0; j < N; j++) {
          g[j]! += bOut[k * N + j]! * dz[k]!;
          delta.out[k * N + j]! -= eta * dz[k]! * hidden[t * N + j]!;
        }
      }
    }
    if (t < last) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) g[j]! += bRec[i * N + j]! * next[i]!;
    for (let i = 0; i < N; i++) g[i]! *= slope[(t - 1) * N + i]!;
    for (let i = 0; i < N; i++) {
      const da = g[i]!;
      if (da === 0) continue;
      for (let j = 0; j < I; j++) delta.in[i * I + j]! -= eta * da * sequence.inputs[(t - 1) * I + j]!;
      for (let j = 0; j < N; j++) delta.rec[i * N + j]! -= eta * da * hidden[(t - 1) * N + j]!;
    }
    [next, current] = [current, next];
  }
}

/** delta += θ · mean over `steps` (post_t pre_tᵀ − post_t (post_tᵀ W)) for W (rows × cols); `steps` is T (1 … T) or a list. */
function addOja(
  delta: Float64Array, w: Float64Array, theta: number, rows: number, cols: number, steps: number | number[],
  post: (t: number) => ArrayLike<number>, pre: (t: number) => ArrayLike<number>,
): void {
  const list = typeof steps === 'number' ? Array.from({ length: steps }, (_, k) => k + 1) : steps;
  if (theta === 0 || list.length === 0) return;
  const scale = theta / list.length;
  const u = new Float64Array(cols);
  for (const t of list) {
    const y = post(t);
    const x = pre(t);
    u.fill(0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) u[j]! += y[i]! * w[i * cols + j]!;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) delta[i * cols + j]! += scale * y[i]! * (x[j]! - u[j]!);
  }
}

/** One online update on `sequence`, in place; returns the forward pass it learned from. */
export function trainOnSequence(weights: RecurrentWeights, rule: RecurrentRule, sequence: Sequence): Trajectory {
  const trajectory = forward(weights, sequence, activationDerivatives(rule.activation, rule.beta));
  const delta = recurrentUpdate(weights, rule, sequence, trajectory);
  for (const name of RECURRENT_MATRICES) {
    const w = weights[name];
    const d = delta[name];
    for (let m = 0; m < w.length; m++) w[m]! += d[m]!;
  }
  return trajectory;
}
