/**
 * Parameter → result views of a sweep, pure so they are tested in Node: which fields were swept,
 * and per swept field every run's final test accuracy against its value, grouped by the values of
 * the other swept fields (so interactions show as separate series); the one-field summary (mean ±
 * sd per value); and how to lay a field's values out on an axis (numbers by value, anything else,
 * such as layer lists or the feedback kind, as evenly spaced categories in grid order).
 */
import { differingFields, legendName, shownValue } from '../../src/shared/configDiff';
import { meanAndSd } from '../../src/shared/aggregate';

export interface RunResult {
  fields: Record<string, string>;
  final: number;
}

export interface ScatterGroup {
  /** e.g. "learningRate=0.01", or "all runs" when only one field was swept. */
  label: string;
  /** x: the field's value as the flattened config holds it (JSON text); place it with fieldAxis. */
  points: Array<{ x: string; y: number }>;
}

/** The fields that differ between the runs, the seed aside (seeds are repeats, not parameters). */
export function sweptFields(runs: RunResult[]): string[] {
  return differingFields(runs.map((r) => r.fields)).filter((field) => field !== 'seed');
}

/** A field's values in axis order: increasing when all are numbers, else as the runs first show them. */
function valuesInOrder(runs: RunResult[], field: string): string[] {
  const distinct = [...new Set(runs.map((r) => r.fields[field] ?? 'null'))];
  return distinct.every((v) => Number.isFinite(Number(v))) ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct;
}

/** Final accuracy against `field`, a series per combination of the other `swept` fields' values. */
export function parameterScatter(runs: RunResult[], field: string, swept: string[]): ScatterGroup[] {
  const others = swept.filter((f) => f !== field);
  const order = valuesInOrder(runs, field);
  const groups = new Map<string, ScatterGroup>();
  for (const run of runs) {
    const label = legendName(run.fields, others, 'all runs');
    const group = groups.get(label) ?? { label, points: [] };
    group.points.push({ x: run.fields[field] ?? 'null', y: run.final });
    groups.set(label, group);
  }
  for (const group of groups.values()) group.points.sort((a, b) => order.indexOf(a.x) - order.indexOf(b.x));
  return [...groups.values()];
}

export interface SummaryPoint {
  /** The field's value as the flattened config holds it (JSON text). */
  value: string;
  mean: number;
  sd: number;
  /** Runs at this value (the seeds). */
  n: number;
}

/** Final accuracy per value of `field`, in axis order: mean and sample sd over the runs there. */
export function sweepSummary(runs: RunResult[], field: string): SummaryPoint[] {
  return valuesInOrder(runs, field).map((value) => {
    const accuracies = runs.filter((r) => (r.fields[field] ?? 'null') === value).map((r) => r.final);
    return { value, ...meanAndSd(accuracies), n: accuracies.length };
  });
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

/**
 * The axis for one swept field of these runs: by value when every value is a number (see
 * parameterAxis), else its values as evenly spaced categories in grid order, written as legends
 * write them ("784-100x14-10", "feedback-alignment").
 */
export function fieldAxis(runs: RunResult[], field: string): ParameterAxis & { place(raw: string): number | string } {
  const values = valuesInOrder(runs, field);
  if (values.every((v) => Number.isFinite(Number(v)))) {
    const axis = parameterAxis(values.map(Number));
    return { ...axis, place: (raw) => axis.position(Number(raw)) };
  }
  const label = (raw: string) => shownValue(raw).replace(/^"(.*)"$/, '$1');
  return { type: 'category', labels: values.map(label), position: String, place: label };
}
