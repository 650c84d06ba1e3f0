/**
 * A recurrent run's starting point from its experiment: the weights (W_in, W_rec, W_out drawn in
 * that order from the run's generator, then feedback alignment's F_out and F_rec) and the rule.
 */
import type { ExperimentConfig } from '../config/schema';
import { drawMatrix } from '../model/params';
import type { Random } from '../random';
import type { RecurrentMatrix, RecurrentRule, RecurrentWeights } from './recurrentNet';

export function initialRecurrentWeights(config: ExperimentConfig, random: Random): RecurrentWeights {
  const [inputs, hidden, outputs] = config.model.layers as [number, number, number];
  const { scheme, gain, recurrent } = config.model.init;
  const recGain = recurrent?.gain ?? gain;
  const recScheme = recurrent?.scheme ?? scheme;
  const w = Float64Array.from(drawMatrix(scheme, gain, hidden, inputs, random));
  const rec = recScheme === 'orthogonal' ? orthogonalMatrix(hidden, recGain, random) : Float64Array.from(drawMatrix(recScheme, recGain, hidden, hidden, random));
  const out = Float64Array.from(drawMatrix(scheme, gain, outputs, hidden, random));
  return { inputs, hidden, outputs, in: w, rec, out };
}

export function recurrentFeedback(config: ExperimentConfig, random: Random): RecurrentRule['feedback'] {
  if (config.rule.feedback !== 'feedback-alignment') return null;
  const [, hidden, outputs] = config.model.layers as [number, number, number];
  const { scheme, gain } = config.model.init;
  return { out: Float64Array.from(drawMatrix(scheme, gain, outputs, hidden, random)), rec: Float64Array.from(drawMatrix(scheme, gain, hidden, hidden, random)) };
}

/** θ for each matrix: one number for all three, or { in, rec, out } (absent: 0); none on W_out without rule.ojaOnOutput. */
export function recurrentOja(config: ExperimentConfig): Record<RecurrentMatrix, number> {
  const oja = config.rule.oja;
  const each = typeof oja === 'number' ? { in: oja, rec: oja, out: oja } : Array.isArray(oja) ? { in: 0, rec: 0, out: 0 } : { in: oja.in ?? 0, rec: oja.rec ?? 0, out: oja.out ?? 0 };
  return config.rule.ojaOnOutput ? each : { ...each, out: 0 };
}

export function recurrentRuleOf(config: ExperimentConfig, feedback: RecurrentRule['feedback']): RecurrentRule {
  return {
    activation: config.model.activation,
    beta: config.model.softplusBeta,
    learningRate: config.rule.learningRate,
    errorTerm: config.rule.errorTerm,
    oja: recurrentOja(config),
    feedback,
    ...(config.training.bptt !== undefined ? { bptt: config.training.bptt } : {}),
  };
}

/**
 * A random orthogonal n × n matrix times gain: Gram–Schmidt on the columns of a standard normal
 * matrix, each column's sign set so R's diagonal is positive (uniform over the orthogonal group).
 */
export function orthogonalMatrix(n: number, gain: number, random: Random): Float64Array {
  const columns = Array.from({ length: n }, () => Float64Array.from({ length: n }, () => random.normal()));
  for (let c = 0; c < n; c++) {
    const v = columns[c]!;
    for (let p = 0; p < c; p++) {
      const q = columns[p]!;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i]! * v[i]!;
      for (let i = 0; i < n; i++) v[i]! -= dot * q[i]!;
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i]! /= norm;
  }
  const m = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let i = 0; i < n; i++) m[i * n + c] = gain * columns[c]![i]!;
  return m;
}
