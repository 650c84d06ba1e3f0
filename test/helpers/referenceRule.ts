/** The float64 reference's rule for an experiment, with its starting weights and feedback matrices. */
import type { ExperimentConfig } from '../../src/engine/config/schema';
import { LAYER_NORM_EPSILON } from '../../src/engine/model/layerNorm';
import { extraTerms, type NetworkParams } from '../../src/engine/model/params';
import { toMatrix, type ReferenceRule } from './reference';

export function referenceRuleOf(config: ExperimentConfig, params: NetworkParams, feedback: Float32Array[] | null): ReferenceRule {
  const theta = typeof config.rule.oja === 'number' ? params.map(() => config.rule.oja as number) : (config.rule.oja as number[]);
  return {
    activation: config.model.activation,
    beta: config.model.softplusBeta,
    eta: config.rule.learningRate,
    theta,
    errorTerm: config.rule.errorTerm,
    feedback: feedback ? feedback.map((f, l) => toMatrix(f, params[l]!.nOut, params[l]!.nIn)) : null,
    ...(config.model.normalization === 'layer' ? { normalization: { affine: config.model.normalizationAffine, epsilon: LAYER_NORM_EPSILON } } : {}),
    ...(config.rule.optimizer === 'adam' ? { adam: config.rule.adam } : {}),
    ...(extraTerms(config) ? { terms: extraTerms(config)! } : {}),
  };
}
