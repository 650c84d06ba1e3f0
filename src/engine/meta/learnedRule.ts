/**
 * learned-rule.json: the coefficients a meta-learning run learned, in a run folder, and how an
 * experiment loads them as its rule (rule.terms.from).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ExperimentConfig } from '../config/schema';
import { ConfigError } from '../config/issues';
import { LEARNABLE, type Learnable } from './innerLoop';
import type { RandomState } from '../random';
import { withCoefficients } from '../model/params';

export const LEARNED_RULE_FORMAT = 'plasticity-lab/learned-rule@1';

export interface AdamState {
  m: number[];
  v: number[];
  t: number;
}

/**
 * A meta-learning run's rule as it stands, rewritten after every meta-episode: the coefficients (what
 * rule.terms.from loads), and the meta-optimizer's and the generator's state, so the run can go on
 * exactly where it stopped (--resume).
 */
export interface LearnedRuleDocument {
  format: typeof LEARNED_RULE_FORMAT;
  /** The meta-episodes done when it was written. */
  metaEpisodes: number;
  coefficients: Partial<Record<Learnable, number>>;
  adam: AdamState;
  random: RandomState;
}

export function readLearnedRule(file: string): LearnedRuleDocument | null {
  try {
    const document = JSON.parse(readFileSync(file, 'utf8')) as LearnedRuleDocument;
    return document?.format === LEARNED_RULE_FORMAT && typeof document.coefficients === 'object' ? document : null;
  } catch {
    return null;
  }
}

/** `config` with the coefficients of a learned-rule file in place of its own (η, θ and each term the file holds). */
export function withLearnedRule(config: ExperimentConfig, file: string): ExperimentConfig {
  if (!existsSync(file)) throw new ConfigError([{ path: 'rule.terms.from', message: `${file}: no such file` }]);
  const document = readLearnedRule(file);
  if (!document) {
    throw new ConfigError([{ path: 'rule.terms.from', message: `${file} is not a learned rule (${LEARNED_RULE_FORMAT}, the learned-rule.json of a meta-learning run)` }]);
  }
  for (const [name, value] of Object.entries(document.coefficients)) {
    if (!(LEARNABLE as readonly string[]).includes(name) || typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError([{ path: 'rule.terms.from', message: `${file}: ${name} = ${JSON.stringify(value)} is not a coefficient` }]);
    }
  }
  const rule = withCoefficients(config.rule, document.coefficients);
  delete (rule.terms as { from?: string }).from;
  return { ...config, rule };
}
