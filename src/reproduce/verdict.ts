/**
 * From numbers to a verdict on a claim. Pure: the rule is stated, tested on synthetic numbers, and
 * written into every report, so a reader can check each verdict against its seeds.
 *
 * A claim compares a treatment arm (with Oja's term) against a baseline arm over seeds. The effect
 * is the difference of the arms' means in the direction the paper claims, and its uncertainty the
 * standard error of that difference (Welch):
 * - supported: the effect is at least the claim's margin and at least twice its standard error;
 * - contradicted: the effect is at least the margin the other way, and at least twice its error;
 * - not supported: the effect is smaller than the margin, and measured precisely enough to say so
 *   (twice its standard error is under the margin);
 * - inconclusive: anything else (too few seeds, or too much spread to tell).
 * A diverged run has no final value; it counts as the claim's failure value (chance accuracy for
 * an accuracy), and the number of divergences is reported beside the verdict.
 */
import { meanAndSd } from '../shared/aggregate';

export const VERDICTS = ['supported', 'not supported', 'contradicted', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One arm's runs: the values of those that finished, and how many diverged. */
export interface ArmOutcome {
  values: number[];
  diverged: number;
}

export interface VerdictRule {
  /** The smallest effect that counts, in the metric's units (0.02: two points of accuracy). */
  margin: number;
  /** Which way the claim says the treatment moves the metric. */
  direction: 'higher' | 'lower';
  /** What a diverged run counts as (for accuracy: chance). */
  divergedValue: number;
}

export interface ArmSummary {
  n: number;
  mean: number;
  sd: number;
  diverged: number;
}

export interface Comparison {
  verdict: Verdict;
  /** Treatment minus baseline, signed so that positive is the claimed direction. */
  effect: number;
  standardError: number;
  baseline: ArmSummary;
  treatment: ArmSummary;
}

export const RULE_TEXT =
  'supported: effect ≥ margin and ≥ 2 standard errors in the claimed direction; contradicted: the same the other way; not supported: |effect| < margin with 2 standard errors < margin; inconclusive: otherwise. A diverged run counts as the failure value (chance accuracy).';

/** Mean and spread of an arm, its diverged runs counted at the failure value. */
export function summarise(arm: ArmOutcome, divergedValue: number): ArmSummary {
  const values = [...arm.values, ...Array.from({ length: arm.diverged }, () => divergedValue)];
  const { mean, sd } = meanAndSd(values);
  return { n: values.length, mean, sd, diverged: arm.diverged };
}

export function compareArms(baseline: ArmOutcome, treatment: ArmOutcome, rule: VerdictRule): Comparison {
  const b = summarise(baseline, rule.divergedValue);
  const t = summarise(treatment, rule.divergedValue);
  const sign = rule.direction === 'higher' ? 1 : -1;
  const effect = sign * (t.mean - b.mean);
  const standardError = Math.sqrt((b.n > 0 ? b.sd ** 2 / b.n : 0) + (t.n > 0 ? t.sd ** 2 / t.n : 0));
  return { verdict: decide(effect, standardError, Math.min(b.n, t.n), rule.margin), effect, standardError, baseline: b, treatment: t };
}

function decide(effect: number, standardError: number, seeds: number, margin: number): Verdict {
  if (seeds < 2 || !Number.isFinite(effect)) return 'inconclusive';
  const clear = Math.abs(effect) >= 2 * standardError;
  if (effect >= margin && clear) return 'supported';
  if (effect <= -margin && clear) return 'contradicted';
  if (Math.abs(effect) < margin && 2 * standardError < margin) return 'not supported';
  return 'inconclusive';
}
