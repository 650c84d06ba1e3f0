/**
 * Aggregation over seeds: runs are grouped by every config field except the seed (or fields the
 * caller names), and any metric gets mean, sample standard deviation, min and max per step.
 * Pure and dependency-free: the CLI and the dashboard webview share it.
 */
export interface RunSeries<P extends { step: number } = { step: number }> {
  id: string;
  /** The run's config flattened to dotted paths (shared/configDiff.flatten). */
  fields: Record<string, string>;
  points: P[];
}

export interface Band {
  step: number;
  n: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface RunGroup<P extends { step: number }> {
  /** The values this group shares, for the fields that differ between groups. */
  key: Record<string, string>;
  members: Array<RunSeries<P>>;
}

export function groupRuns<P extends { step: number }>(runs: Array<RunSeries<P>>, ignore: string[] = ['seed']): Array<RunGroup<P>> {
  const ignored = new Set([...ignore, 'name']);
  const allKeys = [...new Set(runs.flatMap((r) => Object.keys(r.fields)))].filter((k) => !ignored.has(k)).sort();
  const varying = allKeys.filter((k) => new Set(runs.map((r) => r.fields[k] ?? '∅')).size > 1);
  const groups = new Map<string, RunGroup<P>>();
  for (const run of runs) {
    const key = Object.fromEntries(varying.map((k) => [k, run.fields[k] ?? '∅']));
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, members: [] };
    group.members.push(run);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** Mean and sample standard deviation (0 for fewer than two values). */
export function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

/** Per step present in any member; n counts the members with a finite value there. */
export function bands<P extends { step: number }>(members: Array<RunSeries<P>>, metric: (point: P, index: number, points: P[]) => number | null | undefined): Band[] {
  const byStep = new Map<number, number[]>();
  for (const run of members) {
    for (const [index, point] of run.points.entries()) {
      const value = metric(point, index, run.points);
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      byStep.set(point.step, [...(byStep.get(point.step) ?? []), value]);
    }
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, values]) => ({ step, n: values.length, ...meanAndSd(values), min: Math.min(...values), max: Math.max(...values) }));
}
