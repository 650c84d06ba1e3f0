/**
 * The paper's claims as experiments: arms (a config run over seeds, optionally tuned first on a
 * validation split carved from the training set) and claims that read a metric from two arms and
 * turn it into a verdict with the rule in verdict.ts. Several claims share arms, so each arm runs
 * once. Where the paper gives no setting, the one here is the tool's documented default.
 */
import type { VerdictRule } from './verdict';

export type Mode = 'quick' | 'full';

export interface ArmSpec {
  id: string;
  /** What the arm is, for the report. */
  title: string;
  /** The experiment document its runs start from. */
  config: Record<string, unknown>;
  /** Chosen per arm on the validation split with seed 1 (the test split is never looked at). */
  tune?: Record<string, unknown[]>;
}

/**
 * Which values a claim compares: one arm's; per seed the difference of two arms' (first minus
 * second); per seed how such a difference grows with x (its least-squares slope over the points,
 * times the span of x: the fitted rise from the first x to the last); or a constant (one per seed
 * of the other side, for a claim that an effect is above zero).
 */
export type Side =
  | { arm: string }
  | { difference: [string, string] }
  | { trend: Array<{ x: number; difference: [string, string] }> }
  | { constant: number };

export type MetricId = 'finalAccuracy' | 'log10MaxWeightNorm' | 'hiddenOrthonormality' | 'participationRatio' | 'log10ErrorNormSpread' | 'scarceAccuracy' | 'longestDelayAccuracy' | 'memoryCapacity';

export interface ClaimSpec {
  id: string;
  title: string;
  /** What the paper says, in a sentence. */
  statement: string;
  metric: MetricId;
  baseline: Side;
  treatment: Side;
  /** How the report names the two sides, baseline first. */
  sides: [string, string];
  /** What the per-seed values are, where it is not one arm's metric. */
  valuesNote?: string;
  rule: VerdictRule;
}

const CHANCE = 0.1;
const accuracyRule = (margin: number): VerdictRule => ({ margin, direction: 'higher', divergedValue: CHANCE });

const PAPER_NET = [784, 170, 130, 100, 70, 10];
const online = (rule: Record<string, unknown>, model: Record<string, unknown> = {}): Record<string, unknown> => ({
  data: { source: 'mnist' },
  model: { layers: PAPER_NET, activation: 'softplus', softplusBeta: 10, ...model },
  rule: { learningRate: 0.01, oja: 0, ...rule },
  training: { batchSize: 1, epochs: 1, evalEvery: 2000 },
});
/**
 * Meta-learning as the meta-learned-rule preset does it (5-way, K = 10 on the training digits 0–4, a
 * 784-100-10 network), then the learned rule on fresh held-out episodes at K = 1, 5 and 10.
 */
const metaLearned = (mode: Mode, rule: Record<string, unknown>, learn: string[]): Record<string, unknown> => ({
  data: { source: 'mnist' },
  model: { layers: [784, 100, 10], activation: 'softplus', softplusBeta: 10 },
  rule: { learningRate: 0.01, oja: 0, ...rule },
  training: { episodes: { ways: 5, shots: 10, queries: 10, classes: 'train' } },
  meta: {
    trainClasses: [0, 1, 2, 3, 4],
    testClasses: [5, 6, 7, 8, 9],
    learn,
    learningRate: 0.001,
    episodes: mode === 'full' ? 600 : 150,
    evaluate: { shots: SCARCE_SHOTS, episodes: mode === 'full' ? 100 : 50, classes: 'test' },
  },
});
/**
 * Short-term memory as the short-term-memory preset tests it: delayed recall of one of 8 symbols
 * after 5, 10, 20 or 40 empty steps in a 64-unit tanh RNN, 3,000 training sequences.
 */
const delayedRecall = (oja: number): Record<string, unknown> => ({
  data: { source: 'delayed-recall', symbols: 8, delay: [5, 10, 20, 40], trainSize: 3000, testSize: 400 },
  model: { kind: 'rnn', layers: [9, 64, 8], activation: 'tanh' },
  rule: { learningRate: 0.003, oja: { rec: oja } },
  training: { evalEvery: 1000 },
});
const RECALL_ETAS = [0.001, 0.003, 0.01];
/**
 * Memory capacity as the memory-capacity preset measures it: a 32-unit tanh RNN, delays 1 … 40,
 * 2,000 training sequences of 100 steps, W_rec orthogonal at `gain` to start.
 */
const memoryCapacity = (oja: number, gain: number): Record<string, unknown> => ({
  data: { source: 'memory-capacity', delay: 40, length: 100, trainSize: 2000, testSize: 100 },
  model: { kind: 'rnn', layers: [1, 32, 40], activation: 'tanh', init: { recurrent: { scheme: 'orthogonal', gain } } },
  rule: { learningRate: 0.0001, oja: { rec: oja } },
  // MC is judged at the end; each evaluation of 2,000 validation sequences takes seconds.
  training: { evalEvery: 2000 },
});
const CAPACITY_ETAS = [0.00003, 0.0001, 0.0003];
/** The data-scarce regime the meta-learning claim is judged in: one, five and ten samples per class. */
export const SCARCE_SHOTS = [1, 5, 10];
const deep = (hidden: number, oja: number, model: Record<string, unknown> = {}) => online({ oja }, { layers: [784, ...Array<number>(hidden).fill(100), 10], ...model });
/** The deepest network of the depth claim, in both modes; the normalisation trick uses it too. */
export const DEEPEST = 14;

export function arms(mode: Mode): ArmSpec[] {
  const full = mode === 'full';
  const etas = full ? [0.003, 0.01, 0.03, 0.1] : [0.003, 0.01, 0.03];
  const thetas = full ? [0.00003, 0.0001, 0.0003, 0.001, 0.003] : [0.0001, 0.0003, 0.001];
  const depths = full ? [2, 6, 10, 14] : [2, DEEPEST];
  const gains = full ? [0.1, 0.3, 2, 3] : [0.1, 0.3, 3];
  const trickEtas = [0.001, 0.003, 0.01, 0.03];
  const adamEtas = [0.0003, 0.001, 0.003];
  const largeEta = (rule: Record<string, unknown>, batchSize = 1) => ({ ...online({ learningRate: 0.1, ...rule }), training: { batchSize, epochs: 1, evalEvery: 2000 } });
  return [
    { id: 'online-bp', title: 'backprop, batch 1, η tuned', config: online({}), tune: { 'rule.learningRate': etas } },
    { id: 'online-oja', title: 'backprop + Oja, batch 1, η and θ tuned', config: online({ oja: 0.0003 }), tune: { 'rule.learningRate': etas, 'rule.oja': thetas } },
    ...depths.flatMap((hidden) => [
      { id: `depth-${hidden}-bp`, title: `${hidden} hidden layers of 100, backprop`, config: deep(hidden, 0) },
      { id: `depth-${hidden}-oja`, title: `${hidden} hidden layers of 100, backprop + Oja (θ 0.0003)`, config: deep(hidden, 0.0003) },
    ]),
    ...gains.flatMap((gain) => [
      { id: `gain-${gain}-bp`, title: `init gain ${gain}, backprop`, config: online({}, { init: { gain } }) },
      { id: `gain-${gain}-oja`, title: `init gain ${gain}, backprop + Oja (θ 0.001)`, config: online({ oja: 0.001 }, { init: { gain } }) },
    ]),
    // The trick table's own arms (tricks.ts). Mini-batches matter at a large η, so there η is the
    // setting; elsewhere every column gets its best η on the validation split (and Oja its best θ),
    // so a trick is never judged at a learning rate that suits only the other columns.
    { id: 'large-eta-bp', title: 'backprop, batch 1, η 0.1', config: largeEta({}) },
    { id: 'large-eta-bp-batch16', title: 'backprop, mini-batches of 16, η 0.1', config: largeEta({}, 16) },
    { id: 'large-eta-oja', title: 'backprop + Oja, batch 1, η 0.1, θ tuned', config: largeEta({ oja: 0.001 }), tune: { 'rule.oja': thetas } },
    { id: 'gain-0.3-bp-tuned', title: 'init gain 0.3, backprop, η tuned', config: online({}, { init: { gain: 0.3 } }), tune: { 'rule.learningRate': trickEtas } },
    { id: 'gain-0.3-adam', title: 'init gain 0.3, backprop with Adam, η tuned', config: online({ optimizer: 'adam', learningRate: 0.001 }, { init: { gain: 0.3 } }), tune: { 'rule.learningRate': adamEtas } },
    { id: 'gain-0.3-oja-tuned', title: 'init gain 0.3, backprop + Oja, η and θ tuned', config: online({ oja: 0.001 }, { init: { gain: 0.3 } }), tune: { 'rule.learningRate': trickEtas, 'rule.oja': thetas } },
    { id: `depth-${DEEPEST}-bp-tuned`, title: `${DEEPEST} hidden layers of 100, backprop, η tuned`, config: deep(DEEPEST, 0), tune: { 'rule.learningRate': trickEtas } },
    { id: `depth-${DEEPEST}-layer-norm`, title: `${DEEPEST} hidden layers of 100, backprop with layer normalisation, η tuned`, config: deep(DEEPEST, 0, { normalization: 'layer' }), tune: { 'rule.learningRate': trickEtas } },
    { id: `depth-${DEEPEST}-oja-tuned`, title: `${DEEPEST} hidden layers of 100, backprop + Oja, η and θ tuned`, config: deep(DEEPEST, 0.0003), tune: { 'rule.learningRate': trickEtas, 'rule.oja': thetas } },
    { id: 'fa', title: 'feedback alignment', config: online({ feedback: 'feedback-alignment' }) },
    { id: 'fa-oja', title: 'feedback alignment + Oja (θ 0.0003)', config: online({ feedback: 'feedback-alignment', oja: 0.0003 }) },
    { id: 'oja-alone', title: "Oja's term alone (no error term, θ 0.0003)", config: online({ errorTerm: false, oja: 0.0003 }) },
    { id: 'bp-oja-fixed', title: 'backprop + Oja (θ 0.0003)', config: online({ oja: 0.0003 }) },
    { id: 'meta-bp', title: 'backprop, η meta-learned (5-way K = 10, digits 0–4)', config: metaLearned(mode, {}, ['error']) },
    {
      id: 'meta-rule',
      title: 'feedback alignment + errorHebbian + Oja, all three coefficients meta-learned',
      config: metaLearned(mode, { feedback: 'feedback-alignment', oja: 0.001, terms: { errorHebbian: 0.001 } }, ['error', 'errorHebbian', 'oja']),
    },
    { id: 'stm-bp', title: 'RNN, backprop through time, η tuned', config: delayedRecall(0), tune: { 'rule.learningRate': RECALL_ETAS } },
    { id: 'stm-oja', title: 'RNN, backprop through time + Oja on W_rec, η and θ_rec tuned', config: delayedRecall(0.001), tune: { 'rule.learningRate': RECALL_ETAS, 'rule.oja.rec': [0.0003, 0.001, 0.003] } },
    { id: 'mc-bp', title: 'RNN, backprop through time, η tuned', config: memoryCapacity(0, 1), tune: { 'rule.learningRate': CAPACITY_ETAS } },
    { id: 'mc-oja', title: 'RNN, backprop through time + Oja on W_rec, η and θ_rec tuned', config: memoryCapacity(0.1, 1), tune: { 'rule.learningRate': CAPACITY_ETAS, 'rule.oja.rec': [0.03, 0.1, 0.3] } },
    { id: 'mc-chaotic-bp', title: 'RNN from W_rec at gain 1.5, backprop through time (η 0.0001)', config: memoryCapacity(0, 1.5) },
    { id: 'mc-chaotic-oja', title: 'RNN from W_rec at gain 1.5, backprop through time + Oja on W_rec (θ_rec 0.1)', config: memoryCapacity(0.1, 1.5) },
    ...[0, 0.01].map((oja) => ({
      id: `pca-${oja}`,
      title: `linear 16 → 4 → 4 on correlated Gaussian data, Oja's term alone, θ ${oja}`,
      config: {
        data: { source: 'synthetic-gaussian', trainSize: 5000, testSize: 500, decay: 0.7 },
        model: { layers: [16, 4, 4], activation: 'linear', init: { gain: 0.5 } },
        rule: { learningRate: 0, errorTerm: false, oja, ojaOnOutput: false },
        training: { batchSize: 1, epochs: 2, evalEvery: 500, probeSize: 500 },
      },
    })),
  ];
}

export function claims(mode: Mode): ClaimSpec[] {
  const depths = mode === 'full' ? [2, 6, 10, 14] : [2, DEEPEST];
  const deepest = DEEPEST;
  const gains = mode === 'full' ? [0.1, 0.3, 2, 3] : [0.1, 0.3, 3];
  return [
    {
      id: 'online-learning',
      title: 'Online learning (batch size 1)',
      statement: "Oja's rule improves pure backprop trained one sample at a time.",
      metric: 'finalAccuracy',
      baseline: { arm: 'online-bp' },
      treatment: { arm: 'online-oja' },
      sides: ['backprop', 'backprop + Oja'],
      rule: accuracyRule(0.01),
    },
    {
      id: 'depth',
      title: `Depth without normalisation (${depths.join(', ')} hidden layers)`,
      statement: "Oja's gain over backprop grows with depth.",
      metric: 'finalAccuracy',
      // Every depth counts: per seed, the gain's least-squares line over the depths, as its rise
      // from the shallowest to the deepest, against no rise.
      baseline: { constant: 0 },
      treatment: { trend: depths.map((d) => ({ x: d, difference: [`depth-${d}-oja`, `depth-${d}-bp`] as [string, string] })).reverse() },
      sides: ['no growth', `growth of Oja's gain, ${depths[0]} → ${deepest} layers`],
      valuesNote: `per seed, Oja's gain (backprop + Oja minus backprop) fitted by least squares against depth over ${depths.join(', ')} hidden layers, as its rise from ${depths[0]} to ${deepest}`,
      rule: { margin: 0.05, direction: 'higher', divergedValue: CHANCE },
    },
    ...gains.map(
      (gain): ClaimSpec => ({
        id: `initialisation-${gain}`,
        title: `Sub-optimal initialisation (gain ${gain})`,
        statement: `From weights scaled by ${gain}, backprop + Oja learns where pure backprop struggles.`,
        metric: 'finalAccuracy',
        baseline: { arm: `gain-${gain}-bp` },
        treatment: { arm: `gain-${gain}-oja` },
        sides: ['backprop', 'backprop + Oja'],
        rule: accuracyRule(0.05),
      }),
    ),
    {
      id: 'feedback-alignment',
      title: 'Feedback alignment: bounded weights',
      statement: "Feedback alignment's weights grow without bound; with Oja's term they stay bounded.",
      // Unbounded growth is a matter of orders of magnitude: compared as log10, a margin of one order.
      metric: 'log10MaxWeightNorm',
      baseline: { arm: 'fa' },
      treatment: { arm: 'fa-oja' },
      sides: ['feedback alignment', 'FA + Oja'],
      rule: { margin: 1, direction: 'lower', divergedValue: 308 },
    },
    {
      id: 'feedback-alignment-accuracy',
      title: 'Feedback alignment: accuracy',
      statement: "Feedback alignment + Oja learns better than feedback alignment alone.",
      metric: 'finalAccuracy',
      baseline: { arm: 'fa' },
      treatment: { arm: 'fa-oja' },
      sides: ['feedback alignment', 'FA + Oja'],
      rule: accuracyRule(0.02),
    },
    {
      id: 'hebbian-only',
      title: "Oja's term alone (no error term)",
      statement: "Oja's term gives no goal-directed credit by itself: without the error term, accuracy stays near chance.",
      metric: 'finalAccuracy',
      baseline: { arm: 'oja-alone' },
      treatment: { arm: 'bp-oja-fixed' },
      sides: ['Oja alone', 'backprop + Oja'],
      rule: accuracyRule(0.2),
    },
    {
      id: 'signals',
      title: `Exploding or vanishing error signals (${deepest} hidden layers)`,
      statement: "Oja's rule keeps error signals of similar size across layers (largest ÷ smallest per-layer error norm, at the end).",
      // A ratio spanning orders of magnitude: compared as log10, a margin of half an order.
      metric: 'log10ErrorNormSpread',
      baseline: { arm: `depth-${deepest}-bp` },
      treatment: { arm: `depth-${deepest}-oja` },
      sides: ['backprop', 'backprop + Oja'],
      rule: { margin: 0.5, direction: 'lower', divergedValue: 308 },
    },
    {
      id: 'subspaces',
      title: 'Richer activation subspaces',
      statement: "Oja's rule preserves richer hidden activations (mean participation ratio of the hidden layers, at the end).",
      metric: 'participationRatio',
      baseline: { arm: 'online-bp' },
      treatment: { arm: 'online-oja' },
      sides: ['backprop', 'backprop + Oja'],
      rule: { margin: 0.5, direction: 'higher', divergedValue: 1 },
    },
    {
      id: 'meta-learned-rule',
      title: 'Meta-learned rule with data scarce (K = 1, 5, 10)',
      statement: "A local rule whose coefficients (errorHebbian and Oja's among them) are meta-learned surpasses backprop, with its learning rate meta-learned the same way, when data is scarce.",
      metric: 'scarceAccuracy',
      baseline: { arm: 'meta-bp' },
      treatment: { arm: 'meta-rule' },
      sides: ['backprop, η learned', 'FA + errorHebbian + Oja, learned'],
      // Five classes an episode: a failed run counts at that chance, 20%.
      rule: { margin: 0.02, direction: 'higher', divergedValue: 0.2 },
    },
    {
      id: 'short-term-memory',
      title: 'Short-term memory in an RNN (recall after 40 steps)',
      statement: "Oja's term on the recurrent weights improves short-term memory: recall at long delays, each rule at its best learning rate.",
      metric: 'longestDelayAccuracy',
      baseline: { arm: 'stm-bp' },
      treatment: { arm: 'stm-oja' },
      sides: ['backprop', 'backprop + Oja on W_rec'],
      // Eight symbols: a failed run counts at chance, 1/8.
      rule: { margin: 0.02, direction: 'higher', divergedValue: 0.125 },
    },
    {
      id: 'memory-capacity',
      title: 'Memory capacity of an RNN (MC over delays 1–40)',
      statement: "Oja's term on the recurrent weights raises memory capacity (Σ_k r²_k of linear readouts of the input k steps back), each rule at its best learning rate.",
      metric: 'memoryCapacity',
      baseline: { arm: 'mc-bp' },
      treatment: { arm: 'mc-oja' },
      sides: ['backprop', 'backprop + Oja on W_rec'],
      // A run that failed remembers nothing: MC 0. A margin of one delay's worth of variance.
      rule: { margin: 1, direction: 'higher', divergedValue: 0 },
    },
    {
      id: 'memory-capacity-chaotic',
      title: 'Memory capacity from a chaotic start (W_rec gain 1.5)',
      statement: "From recurrent weights that amplify (spectral radius 1.5), Oja's term on W_rec keeps the network's memory where backprop through time alone loses it.",
      metric: 'memoryCapacity',
      baseline: { arm: 'mc-chaotic-bp' },
      treatment: { arm: 'mc-chaotic-oja' },
      sides: ['backprop', 'backprop + Oja on W_rec'],
      rule: { margin: 1, direction: 'higher', divergedValue: 0 },
    },
    {
      id: 'pca',
      title: "Oja's PCA (the mechanism)",
      statement: "Oja's term alone drives a linear layer's rows to an orthonormal basis: ‖W Wᵀ − I‖ falls.",
      metric: 'hiddenOrthonormality',
      baseline: { arm: 'pca-0' },
      treatment: { arm: 'pca-0.01' },
      sides: ['θ = 0', 'θ = 0.01'],
      rule: { margin: 0.1, direction: 'lower', divergedValue: Number.MAX_VALUE },
    },
  ];
}
