/** The rule's coefficients as the inner loop takes them: per layer, with learned ones set from their values. */
import type { ExperimentConfig } from '../config/schema';
import { EXTRA_TERMS } from '../config/schema';
import { ojaPerLayer, termPerLayer } from '../model/params';
import { actsOn, LEARNABLE, type InnerRule, type Learnable, type LayerCoefficients } from './innerLoop';

/** Every coefficient per weight layer, from the config; a value in `learned` replaces its term's on every layer it acts on. */
export function layerCoefficients(config: ExperimentConfig, learned: Partial<Record<Learnable, number>> = {}): LayerCoefficients {
  const layers = config.model.layers.length - 1;
  const rule = { errorTerm: config.rule.errorTerm, ojaOnOutput: config.rule.ojaOnOutput };
  const fromConfig: LayerCoefficients = {
    error: new Array<number>(layers).fill(config.rule.errorTerm ? config.rule.learningRate : 0),
    oja: ojaPerLayer(config),
    ...(Object.fromEntries(EXTRA_TERMS.map((term) => [term, termPerLayer(config, term)])) as Record<(typeof EXTRA_TERMS)[number], number[]>),
  };
  for (const name of LEARNABLE) {
    const value = learned[name];
    if (value === undefined) continue;
    fromConfig[name] = Array.from({ length: layers }, (_, l) => (actsOn(name, l, layers, rule) ? value : 0));
  }
  return fromConfig;
}

/**
 * The inner loop's rule for `config`, with the learned coefficients at `values` (in the order of
 * `learned`). Feedback matrices already in float64 are taken as they are (a run converts them once).
 */
export function innerRuleOf(config: ExperimentConfig, feedback: ArrayLike<number>[] | null, learned: Learnable[], values: number[]): InnerRule {
  return {
    activation: config.model.activation,
    beta: config.model.softplusBeta,
    feedback: feedback ? feedback.map((f) => (f instanceof Float64Array ? f : Float64Array.from(f))) : null,
    errorTerm: config.rule.errorTerm,
    ojaOnOutput: config.rule.ojaOnOutput,
    coefficients: layerCoefficients(config, Object.fromEntries(learned.map((name, k) => [name, values[k]!]))),
    learned,
  };
}
