/**
 * What a recurrent network remembers, on held-out sequences: accuracy and loss per delay (the memory
 * curve; for the memory-capacity task, r²_k of ridge readouts per delay and their sum), the mean
 * ‖h_t‖ against t (signals exploding or vanishing in time), the hidden states'
 * participation ratio, and the recurrent matrix's norm and spectral radius.
 */
import { activationDerivatives } from '../model/activations';
import { CapacityReadouts } from './memoryCapacity';
import { forward, largestAt, type RecurrentRule, type RecurrentWeights } from './recurrentNet';
import { sequenceAt, type SequenceSplit } from './sequences';

export interface MemoryCurve {
  /** What `delays` holds: each sequence's delay (absent), or a target's position in its sequence (the copy task). */
  axis?: 'position';
  /**
   * The delays (or positions) present, ascending, and at each: accuracy and mean loss over its target
   * steps; with metric "r2" (memory capacity), r²_k of the ridge readout for delay k and its mean squared error.
   */
  delays: number[];
  accuracy: number[];
  loss: number[];
  metric?: 'r2';
  /** Memory capacity: MC = Σ_k r²_k. */
  capacity?: number;
}

export interface RecurrentDiagnostics {
  /** ‖W_rec‖_F. */
  recurrentNorm: number;
  /** ‖W_in‖_F and ‖W_out‖_F (absent from points recorded before they were). */
  inputNorm?: number;
  outputNorm?: number;
  spectralRadius: number;
  /** Mean ‖h_t‖ over the sequences that reach step t, t = 1 … the longest. */
  hiddenNorms: number[];
  /** (Σλ)² / Σλ² of the hidden states' covariance (over every step of every sequence). */
  participationRatio: number;
  /** θ_rec · mean ‖h_t‖². */
  stability: number;
}

export interface MemoryEvaluation {
  loss: number;
  accuracy: number;
  curve: MemoryCurve;
  diagnostics: RecurrentDiagnostics;
}

/** The memory-capacity readouts' relative ridge (λ = ridge · tr(ΦᵀΦ)/(N + 1)) where data.ridge is absent. */
export const DEFAULT_RIDGE = 1e-6;

/**
 * For regression splits (memory capacity), the accuracy is MC / K (the mean r²) and the loss the
 * network's own squared error per target step.
 */
export function evaluateMemory(weights: RecurrentWeights, rule: Pick<RecurrentRule, 'activation' | 'beta' | 'oja'>, split: SequenceSplit, ridge = DEFAULT_RIDGE): MemoryEvaluation {
  const derivatives = activationDerivatives(rule.activation, rule.beta);
  const N = weights.hidden;
  const byDelay = new Map<number, { targets: number; correct: number; loss: number }>();
  const normSums: number[] = [];
  const normCounts: number[] = [];
  const mean = new Float64Array(N);
  const second = new Float64Array(N * N);
  let states = 0;
  let squaredNorms = 0;
  let loss = 0;
  let targets = 0;
  let correct = 0;
  const regression = split.regression;
  const readouts = regression ? new CapacityReadouts(N, regression.delays.length, ridge) : null;
  for (let s = 0; s < split.count; s++) {
    const sequence = sequenceAt(split, s);
    const trajectory = forward(weights, sequence, derivatives);
    if (readouts && regression) {
      // The first half of the sequences fits the readouts, the second scores them.
      const fitting = s < split.count / 2;
      const K = regression.delays.length;
      for (let t = 1; t <= sequence.steps; t++) {
        if (sequence.targets[t - 1]! < 0) continue;
        const [state, targets] = [trajectory.hidden.subarray(t * N, (t + 1) * N), sequence.regression!.subarray((t - 1) * K, t * K)];
        if (fitting) readouts.fit(state, targets);
        else readouts.score(state, targets);
      }
    } else if (split.curve === 'position') {
      // Each target on its own: its position among the sequence's targets is the curve's x.
      let position = 0;
      for (let t = 1; t <= sequence.steps; t++) {
        const target = sequence.targets[t - 1]!;
        if (target < 0) continue;
        const p = trajectory.probabilities.subarray((t - 1) * weights.outputs, t * weights.outputs);
        const tally = byDelay.get(++position) ?? { targets: 0, correct: 0, loss: 0 };
        tally.targets++;
        if (largestAt(p) === target) tally.correct++;
        tally.loss -= Math.log(p[target]!);
        byDelay.set(position, tally);
      }
    } else {
      const tally = byDelay.get(sequence.delay) ?? { targets: 0, correct: 0, loss: 0 };
      tally.targets += trajectory.targets;
      tally.correct += trajectory.correct;
      tally.loss += trajectory.loss;
      byDelay.set(sequence.delay, tally);
    }
    loss += trajectory.loss;
    targets += trajectory.targets;
    correct += trajectory.correct;
    for (let t = 1; t <= sequence.steps; t++) {
      const h = trajectory.hidden.subarray(t * N, (t + 1) * N);
      let squared = 0;
      for (let i = 0; i < N; i++) {
        squared += h[i]! * h[i]!;
        mean[i]! += h[i]!;
        for (let j = 0; j < N; j++) second[i * N + j]! += h[i]! * h[j]!;
      }
      normSums[t - 1] = (normSums[t - 1] ?? 0) + Math.sqrt(squared);
      normCounts[t - 1] = (normCounts[t - 1] ?? 0) + 1;
      squaredNorms += squared;
      states++;
    }
  }
  const delays = [...byDelay.keys()].sort((a, b) => a - b);
  const capacity = readouts?.result();
  return {
    loss: loss / Math.max(1, targets),
    accuracy: capacity ? capacity.capacity / capacity.r2.length : correct / Math.max(1, targets),
    curve: capacity
      ? { delays: [...regression!.delays], accuracy: capacity.r2, loss: capacity.error, metric: 'r2', capacity: capacity.capacity }
      : {
          ...(split.curve === 'position' ? { axis: 'position' as const } : {}),
          delays,
          accuracy: delays.map((d) => byDelay.get(d)!.correct / Math.max(1, byDelay.get(d)!.targets)),
          loss: delays.map((d) => byDelay.get(d)!.loss / Math.max(1, byDelay.get(d)!.targets)),
        },
    diagnostics: {
      recurrentNorm: Math.hypot(...weights.rec),
      inputNorm: Math.hypot(...weights.in),
      outputNorm: Math.hypot(...weights.out),
      spectralRadius: spectralRadius(weights.rec, N),
      hiddenNorms: normSums.map((sum, t) => sum / normCounts[t]!),
      participationRatio: participationRatio(mean, second, states, N),
      stability: (rule.oja.rec * squaredNorms) / Math.max(1, states),
    },
  };
}

/**
 * The largest |eigenvalue| of the n × n matrix m, as the growth rate of ‖mᵏ v‖: the geometric mean
 * of the growth over the last half of `iterations` steps, which converges for a complex pair as well
 * as for a real eigenvalue (plain power iteration would oscillate on the former).
 */
export function spectralRadius(m: ArrayLike<number>, n: number, iterations = 400): number {
  let v = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  let next = new Float64Array(n);
  let logGrowth = 0;
  for (let k = 0; k < iterations; k++) {
    next.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[i]! += m[i * n + j]! * v[j]!;
    const norm = Math.hypot(...next);
    if (norm === 0) return 0;
    for (let i = 0; i < n; i++) next[i]! /= norm;
    if (k >= iterations / 2) logGrowth += Math.log(norm);
    [v, next] = [next, v];
  }
  return Math.exp(logGrowth / (iterations - Math.ceil(iterations / 2)));
}

/** (tr C)² / tr(C²) = (Σλ)² / Σλ² for the covariance C from the sums of h and of h hᵀ over `count` states. */
export function participationRatio(sum: Float64Array, second: Float64Array, count: number, n: number): number {
  if (count < 2) return 0;
  let trace = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = (second[i * n + j]! - (sum[i]! * sum[j]!) / count) / (count - 1);
      if (i === j) trace += c;
      squares += c * c;
    }
  }
  return squares > 0 ? (trace * trace) / squares : 0;
}
