/**
 * Parameter → result views of a sweep, pure so they are tested in Node: which fields were swept
 * (and which are numeric), and per numeric one, every run's final test accuracy against its value,
 * grouped by the values of the other swept fields (so interactions show as separate series).
 */
import { differingFields, legendName } from '../../src/shared/configDiff';

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

/** Logarithmic when every value is positive and they span at least two decades. */
export function prefersLogAxis(values: number[]): boolean {
  if (values.length === 0 || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) / Math.min(...values) >= 100;
}
