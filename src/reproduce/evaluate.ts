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
    case 'scarceAccuracy': {
      // A K whose evaluation diverged counts at chance: the rule failed there.
      const evaluation = run.summary.metaEvaluation ?? [];
      return evaluation.length ? evaluation.reduce((sum, e) => sum + (e.divergedAtEpisode !== undefined ? 0.2 : e.accuracy.mean), 0) / evaluation.length : null;
    }
    case 'longestDelayAccuracy': {
      // The memory curve's last point: test accuracy at the longest delay.
      const curve = last?.memory;
      return curve && curve.accuracy.length > 0 ? curve.accuracy[curve.accuracy.length - 1]! : null;
    }
    case 'memoryCapacity':
      return last?.memory?.capacity ?? null;
    case 'log10ErrorNormSpread': {
      const norms = (last?.layers ?? []).map((l) => l.errorNorm).filter((n) => n > 0 && Number.isFinite(n));
      return norms.length ? Math.log10(Math.max(...norms) / Math.min(...norms)) : null;
    }
  }
}

/** Per seed, arm a's metric minus arm b's (a diverged run at the failure value), for the seeds both have. */
function differences([a, b]: [string, string], runs: Map<string, ArmRun[]>, metric: MetricId, divergedValue: number): { bySeed: Map<number, number>; divergences: number } {
  const second = new Map((runs.get(b) ?? []).map((run) => [run.seed, run]));
  const bySeed = new Map<number, number>();
  let divergences = 0;
  for (const first of runs.get(a) ?? []) {
    const other = second.get(first.seed);
    if (!other) continue;
    const [x, y] = [metricOf(metric, first), metricOf(metric, other)];
    divergences += Number(x === null) + Number(y === null);
    bySeed.set(first.seed, (x ?? divergedValue) - (y ?? divergedValue));
  }
  return { bySeed, divergences };
}

/** The least-squares slope of y on x. */
function slope(points: Array<{ x: number; y: number }>): number {
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

/**
 * One side's values and how many of its runs diverged: an arm's per seed (a diverged run left to
 * the verdict rule, which counts it at the failure value); per seed a difference of two arms, or
 * its fitted rise over x (a diverged run already at the failure value inside); or a constant, one
 * per value of `other`.
 */
export function sideOutcome(side: Side, runs: Map<string, ArmRun[]>, metric: MetricId, divergedValue: number, other: number[] = []): { outcome: ArmOutcome; divergences: number } {
  if ('arm' in side) {
    const values = (runs.get(side.arm) ?? []).map((run) => metricOf(metric, run));
    const diverged = values.filter((v) => v === null).length;
    return { outcome: { values: values.filter((v): v is number => v !== null), diverged }, divergences: diverged };
  }
  if ('constant' in side) return { outcome: { values: other.map(() => side.constant), diverged: 0 }, divergences: 0 };
  if ('difference' in side) {
    const { bySeed, divergences } = differences(side.difference, runs, metric, divergedValue);
    return { outcome: { values: [...bySeed.values()], diverged: 0 }, divergences };
  }
  const curves = side.trend.map((point) => ({ x: point.x, ...differences(point.difference, runs, metric, divergedValue) }));
  const span = Math.max(...side.trend.map((p) => p.x)) - Math.min(...side.trend.map((p) => p.x));
  const seeds = [...(curves[0]?.bySeed.keys() ?? [])].filter((seed) => curves.every((c) => c.bySeed.has(seed)));
  const values = seeds.map((seed) => span * slope(curves.map((c) => ({ x: c.x, y: c.bySeed.get(seed)! }))));
  return { outcome: { values, diverged: 0 }, divergences: curves.reduce((sum, c) => sum + c.divergences, 0) };
}

const armsOf = (side: Side): string[] => {
  if ('arm' in side) return [side.arm];
  if ('difference' in side) return side.difference;
  if ('trend' in side) return side.trend.flatMap((point) => point.difference);
  return [];
};

export function evaluateClaim(claim: ClaimSpec, runs: Map<string, ArmRun[]>): ClaimResult {
  const treatment = sideOutcome(claim.treatment, runs, claim.metric, claim.rule.divergedValue);
  const baseline = sideOutcome(claim.baseline, runs, claim.metric, claim.rule.divergedValue, treatment.outcome.values);
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
    ...(claim.valuesNote ? { valuesNote: claim.valuesNote } : {}),
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
