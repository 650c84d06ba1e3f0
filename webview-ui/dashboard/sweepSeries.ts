/**
 * Parameter → result views of a sweep, pure so they are tested in Node: which fields were swept
 * (and which are numeric), and per numeric one, every run's final test accuracy against its value,
 * grouped by the values of the other swept fields (so interactions show as separate series); the
 * one-field summary (mean ± sd per value); and how to lay the values out on an axis.
 */
import { differingFields, legendName } from '../../src/shared/configDiff';
import { meanAndSd } from '../../src/engine/run/aggregate';

export interface RunResult {
  fields: Record<string, string>;
  finalAccuracy: number;
}

export interface ScatterGroup {
  /** e.g. "learningRate=0.01", or "all runs" when only one field was swept. */
  label: string;
  points: Array<{ x: number; y: number }>;
}

/**
 * The fields that differ between the runs, the seed aside (seeds are repeats, not parameters), and
 * those of them whose every value is a number (what can go on an axis).
 */
export function sweptFields(runs: RunResult[]): { all: string[]; numeric: string[] } {
  const all = differingFields(runs.map((r) => r.fields)).filter((field) => field !== 'seed');
  const numeric = all.filter((field) => runs.every((r) => r.fields[field] !== undefined && Number.isFinite(Number(r.fields[field]))));
  return { all, numeric };
}

/** Final accuracy against numeric `field`, a series per combination of the other `swept` fields' values. */
export function parameterScatter(runs: RunResult[], field: string, swept: string[]): ScatterGroup[] {
  const others = swept.filter((f) => f !== field);
  const groups = new Map<string, ScatterGroup>();
  for (const run of runs) {
    const label = legendName(run.fields, others, 'all runs');
    const group = groups.get(label) ?? { label, points: [] };
    group.points.push({ x: Number(run.fields[field]), y: run.finalAccuracy });
    groups.set(label, group);
  }
  for (const group of groups.values()) group.points.sort((a, b) => a.x - b.x);
  return [...groups.values()];
}

export interface SummaryPoint {
  value: number;
  mean: number;
  sd: number;
  /** Runs at this value (the seeds). */
  n: number;
}

/** Final accuracy per value of `field`, in increasing order: mean and sample sd over the runs there. */
export function sweepSummary(runs: RunResult[], field: string): SummaryPoint[] {
  const byValue = new Map<number, number[]>();
  for (const run of runs) {
    const value = Number(run.fields[field]);
    byValue.set(value, [...(byValue.get(value) ?? []), run.finalAccuracy]);
  }
  return [...byValue.entries()].sort((a, b) => a[0] - b[0]).map(([value, accuracies]) => ({ value, ...meanAndSd(accuracies), n: accuracies.length }));
}

export interface ParameterAxis {
  type: 'linear' | 'logarithmic' | 'category';
  /** On a category axis, the values in increasing order, as its labels. */
  labels: string[];
  /** Where a value goes: itself, or its label on a category axis. */
  position(value: number): number | string;
  /** On a linear axis, a range 5% wider than the values each side, so no point sits on an edge. */
  suggested?: { min: number; max: number };
}

/**
 * How to lay out a swept parameter's values. Logarithmic when all are positive and span two decades
 * or more. Evenly spaced (a category axis) for one or two values, and when a zero or negative value
 * sits beside positive ones spanning a decade or more, as in θ ∈ {0, 0.0003, 0.001, 0.003}: a linear
 * axis would squeeze all but the largest against zero, and a log axis cannot show zero. Else linear.
 */
export function parameterAxis(values: number[]): ParameterAxis {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const positive = distinct.filter((v) => v > 0);
  const span = positive.length > 1 ? positive[positive.length - 1]! / positive[0]! : 1;
  if (distinct.length > 0 && positive.length === distinct.length && span >= 100) return { type: 'logarithmic', labels: [], position: (v) => v };
  const zeroBesideDecade = positive.length < distinct.length && span >= 10 && distinct.length <= 20;
  if (zeroBesideDecade || distinct.length <= 2) return { type: 'category', labels: distinct.map(String), position: String };
  const low = distinct[0]!;
  const high = distinct[distinct.length - 1]!;
  const margin = 0.05 * (high - low);
  // Never below zero for values that are not: a negative θ or η on the axis would mislead.
  return { type: 'linear', labels: [], position: (v) => v, suggested: { min: low >= 0 ? Math.max(0, low - margin) : low - margin, max: high + margin } };
}
