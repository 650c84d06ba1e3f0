/**
 * Aggregation over seeds: runs are grouped by every config field except the seed (or a field the
 * caller names), and each metric gets mean, sample standard deviation, min and max per step.
 */
import type { EvaluationPoint } from '../diagnostics/metrics';
import { flatten } from '../../shared/configDiff';

export interface RunSeries {
  id: string;
  config: unknown;
  points: Array<Pick<EvaluationPoint, 'step'> & Partial<Pick<EvaluationPoint, 'testAccuracy' | 'testLoss' | 'trainLoss'>>>;
}

export interface Band {
  step: number;
  n: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface RunGroup {
  /** The shared values, e.g. { "rule.oja": "0.001" } (only fields that differ between groups). */
  key: Record<string, string>;
  members: string[];
  bands: Record<'testAccuracy' | 'testLoss' | 'trainLoss', Band[]>;
}

const METRICS = ['testAccuracy', 'testLoss', 'trainLoss'] as const;

export function groupRuns(runs: RunSeries[], ignore: string[] = ['seed']): RunGroup[] {
  const flat = runs.map((r) => flatten(r.config));
  const ignored = new Set([...ignore, 'name']);
  const allKeys = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter((k) => !ignored.has(k)).sort();
  const varying = allKeys.filter((k) => new Set(flat.map((f) => f[k] ?? '∅')).size > 1);
  const groups = new Map<string, { key: Record<string, string>; runs: RunSeries[] }>();
  runs.forEach((run, i) => {
    const key = Object.fromEntries(varying.map((k) => [k, flat[i]![k] ?? '∅']));
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, runs: [] };
    group.runs.push(run);
    groups.set(id, group);
  });
  return [...groups.values()].map(({ key, runs: members }) => ({
    key,
    members: members.map((m) => m.id),
    bands: Object.fromEntries(METRICS.map((metric) => [metric, bandsFor(members, metric)])) as RunGroup['bands'],
  }));
}

/** Per step present in any member; n counts the members with a finite value there. */
function bandsFor(runs: RunSeries[], metric: (typeof METRICS)[number]): Band[] {
  const byStep = new Map<number, number[]>();
  for (const run of runs) {
    for (const point of run.points) {
      const value = point[metric];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      byStep.set(point.step, [...(byStep.get(point.step) ?? []), value]);
    }
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, values]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
      return { step, n: values.length, mean, sd, min: Math.min(...values), max: Math.max(...values) };
    });
}
