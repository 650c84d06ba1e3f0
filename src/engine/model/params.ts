/** Network parameters as flat Float32Arrays: layer l maps n_in → n_out with W row-major [n_out, n_in]. */
import { EXTRA_TERMS, TERM_ALIASES, type ExperimentConfig, type ExtraTerm, type ModelConfig, type RuleConfig } from '../config/schema';
import type { ALL_TERMS } from '../../shared/terms';
import type { Random } from '../random';

export interface LayerParams {
  nOut: number;
  nIn: number;
  weights: Float32Array;
  bias: Float32Array | null;
  /** Layer normalisation's learned gain and shift (hidden layers, when model.normalizationAffine). */
  gain?: Float32Array;
  shift?: Float32Array;
}

export type NetworkParams = LayerParams[];

export function layerShapes(layers: readonly number[]): Array<{ nOut: number; nIn: number }> {
  return layers.slice(1).map((nOut, l) => ({ nOut, nIn: layers[l]! }));
}

/** Draws one matrix per layer with the configured scheme and gain. */
export function drawMatrices(model: ModelConfig, random: Random): Float32Array[] {
  const { scheme, gain } = model.init;
  return layerShapes(model.layers).map(({ nOut, nIn }) => drawMatrix(scheme, gain, nOut, nIn, random));
}

/** One nOut × nIn matrix (row-major) drawn by `scheme` × gain. */
export function drawMatrix(scheme: ModelConfig['init']['scheme'], gain: number, nOut: number, nIn: number, random: Random): Float32Array {
  const values = new Float32Array(nOut * nIn);
  if (scheme === 'xavier-uniform') {
    const limit = gain * Math.sqrt(6 / (nIn + nOut));
    for (let i = 0; i < values.length; i++) values[i] = (2 * random.uniform() - 1) * limit;
  } else {
    const std = scheme === 'xavier-normal' ? gain * Math.sqrt(2 / (nIn + nOut)) : gain * Math.sqrt(2 / nIn);
    for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
  }
  return values;
}

export function initialParams(config: ExperimentConfig, random: Random, fromFile: NetworkParams | null): NetworkParams {
  if (fromFile) return cloneParams(fromFile);
  return drawMatrices(config.model, random).map((weights, l) => {
    const { nOut, nIn } = layerShapes(config.model.layers)[l]!;
    return { nOut, nIn, weights, bias: config.model.bias ? new Float32Array(nOut) : null, ...initialNormParams(config.model, l, nOut) };
  });
}

/** Whether layer l normalises its pre-activations (hidden layers only; the logits never). */
export function isNormalized(model: ModelConfig, l: number): boolean {
  return model.normalization === 'layer' && l < model.layers.length - 2;
}

/** Gain 1 and shift 0 where layer l has learned normalisation parameters; nothing otherwise. */
export function initialNormParams(model: ModelConfig, l: number, nOut: number): { gain?: Float32Array; shift?: Float32Array } {
  if (!isNormalized(model, l) || !model.normalizationAffine) return {};
  return { gain: new Float32Array(nOut).fill(1), shift: new Float32Array(nOut) };
}

export function cloneParams(params: NetworkParams): NetworkParams {
  return params.map((p) => ({
    ...p,
    weights: p.weights.slice(),
    bias: p.bias ? p.bias.slice() : null,
    ...(p.gain && p.shift ? { gain: p.gain.slice(), shift: p.shift.slice() } : {}),
  }));
}

/** θ for each weight layer, with ojaOnOutput applied (a recurrent network's { in, rec, out } in that order). */
export function ojaPerLayer(config: ExperimentConfig): number[] {
  const count = config.model.layers.length - 1;
  const { oja, ojaOnOutput } = config.rule;
  const perLayer = typeof oja === 'number' ? null : Array.isArray(oja) ? oja : [oja.in ?? 0, oja.rec ?? 0, oja.out ?? 0];
  return Array.from({ length: count }, (_, l) => {
    if (l === count - 1 && !ojaOnOutput) return 0;
    return perLayer ? (perLayer[l] ?? 0) : (oja as number);
  });
}

/** A local term's coefficient for each weight layer (0 where the term is absent). */
export function termPerLayer(config: ExperimentConfig, term: ExtraTerm): number[] {
  const count = config.model.layers.length - 1;
  const value = config.rule.terms[term] ?? 0;
  return Array.from({ length: count }, (_, l) => (Array.isArray(value) ? value[l] ?? 0 : value));
}

/** Every extra term's coefficients by layer; null when all are zero (the rule is the error term and Oja's). */
export function extraTerms(config: ExperimentConfig): Record<ExtraTerm, number[]> | null {
  const terms = Object.fromEntries(EXTRA_TERMS.map((term) => [term, termPerLayer(config, term)])) as Record<ExtraTerm, number[]>;
  return EXTRA_TERMS.some((term) => terms[term].some((c) => c !== 0)) ? terms : null;
}

/** A term of the rule by name: the error term, Oja's, or one of rule.terms. */
export type Term = (typeof ALL_TERMS)[number];

/** Where a term's coefficient lives in the rule: η and θ have fields of their own, the others are in rule.terms. */
export function coefficientField(name: Term): string {
  const own = TERM_ALIASES.find(([alias]) => alias === name);
  return own ? own[1] : `terms.${name}`;
}

/** A term's coefficient as the rule gives it (one number, one per layer, or absent). */
export function ruleCoefficient(rule: RuleConfig, name: Term): number | number[] | undefined {
  const field = coefficientField(name);
  return field.startsWith('terms.') ? rule.terms[name as ExtraTerm] : (rule as unknown as Record<string, number | number[]>)[field];
}

/** `rule` with these coefficients in place of its own (each one number for every layer). */
export function withCoefficients(rule: RuleConfig, coefficients: Partial<Record<Term, number>>): RuleConfig {
  const next = structuredClone(rule);
  for (const [name, value] of Object.entries(coefficients) as Array<[Term, number]>) {
    const field = coefficientField(name);
    if (field.startsWith('terms.')) (next.terms as Record<string, number>)[name] = value;
    else (next as unknown as Record<string, number>)[field] = value;
  }
  return next;
}
