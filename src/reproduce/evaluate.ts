/** From the runs of each arm to each claim's numbers and verdict. Pure: tested on made-up runs. */
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import type { RunSummary } from '../runFiles/summary';
import type { ClaimSpec, MetricId, Side } from './claims';
import { compareArms, type ArmOutcome } from './verdict';
import type { ClaimResult } from './results';

export { METRICS, type ClaimResult } from './results';

export interface ArmRun {
  seed: number;
  runDir: string;
  summary: RunSummary;
  points: EvaluationPoint[];
}

/** A run's value of a metric; null for a run that diverged (it has none). */
export function metricOf(metric: MetricId, run: ArmRun): number | null {
  if (run.summary.status === 'diverged') return null;
  const last = run.points[run.points.length - 1];
  switch (metric) {
    case 'finalAccuracy':
      return run.summary.final?.testAccuracy ?? null;
    case 'log10MaxWeightNorm':
      return run.points.length ? Math.log10(Math.max(...run.points.flatMap((p) => p.layers.map((l) => l.weightNorm)))) : null;
    case 'hiddenOrthonormality':
      return last?.layers[0]?.orthonormality ?? null;
    case 'participationRatio': {
      const hidden = last?.layers.slice(0, -1) ?? [];
      return hidden.length ? hidden.reduce((sum, l) => sum + l.participationRatio, 0) / hidden.length : null;
    }
    case 'log10ErrorNormSpread': {
      const norms = (last?.layers ?? []).map((l) => l.errorNorm).filter((n) => n > 0 && Number.isFinite(n));
      return norms.length ? Math.log10(Math.max(...norms) / Math.min(...norms)) : null;
    }
  }
}

/**
 * One side's values and how many of its runs diverged: an arm's per seed (a diverged run left to
 * the verdict rule, which counts it at the failure value), or per seed the difference of two arms
 * (a diverged run already at the failure value inside its difference).
 */
export function sideOutcome(side: Side, runs: Map<string, ArmRun[]>, metric: MetricId, divergedValue: number): { outcome: ArmOutcome; divergences: number } {
  if ('arm' in side) {
    const values = (runs.get(side.arm) ?? []).map((run) => metricOf(metric, run));
    const diverged = values.filter((v) => v === null).length;
    return { outcome: { values: values.filter((v): v is number => v !== null), diverged }, divergences: diverged };
  }
  const [first, second] = side.difference.map((arm) => new Map((runs.get(arm) ?? []).map((run) => [run.seed, run])));
  const values: number[] = [];
  let divergences = 0;
  for (const [seed, a] of first!) {
    const b = second!.get(seed);
    if (!b) continue;
    const [x, y] = [metricOf(metric, a), metricOf(metric, b)];
    divergences += Number(x === null) + Number(y === null);
    values.push((x ?? divergedValue) - (y ?? divergedValue));
  }
  return { outcome: { values, diverged: 0 }, divergences };
}

const armsOf = (side: Side) => ('arm' in side ? [side.arm] : side.difference);

export function evaluateClaim(claim: ClaimSpec, runs: Map<string, ArmRun[]>): ClaimResult {
  const baseline = sideOutcome(claim.baseline, runs, claim.metric, claim.rule.divergedValue);
  const treatment = sideOutcome(claim.treatment, runs, claim.metric, claim.rule.divergedValue);
  return {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    metric: claim.metric,
    margin: claim.rule.margin,
    direction: claim.rule.direction,
    divergedValue: claim.rule.divergedValue,
    baselineArms: armsOf(claim.baseline),
    treatmentArms: armsOf(claim.treatment),
    sides: claim.sides,
    baselineValues: baseline.outcome.values,
    treatmentValues: treatment.outcome.values,
    baselineDivergences: baseline.divergences,
    treatmentDivergences: treatment.divergences,
    ...compareArms(baseline.outcome, treatment.outcome, claim.rule),
  };
}

/** The arms a set of claims needs. */
export function armsNeeded(claims: ClaimSpec[]): Set<string> {
  return new Set(claims.flatMap((claim) => [...armsOf(claim.baseline), ...armsOf(claim.treatment)]));
}
