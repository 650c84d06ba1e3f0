/** Flattened configs and what differs between runs: for legends ("oja=0 vs oja=0.001") and compare tables. */
import { displayValue } from './numberList';

export function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$schema' || key === 'description' || key === 'sweep') continue;
      flatten(child, prefix ? `${prefix}.${key}` : key, out);
    }
  } else if (prefix) {
    out[prefix] = JSON.stringify(value);
  }
  return out;
}

/** Fields that change how often a run is measured, not what it learns: left out of legends. */
const MEASUREMENT_ONLY = new Set(['training.evalEvery', 'training.probeSize', 'name']);

/**
 * The fields whose values are not the same in every run (a field missing somewhere counts). A run
 * with no config (its folder is gone or unreadable) says nothing about any field, so it is left out.
 */
export function differingFields(all: Array<Record<string, string>>): string[] {
  const runs = all.filter((fields) => Object.keys(fields).length > 0);
  if (runs.length < 2) return [];
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  return [...keys].filter((k) => !MEASUREMENT_ONLY.has(k) && new Set(runs.map((r) => r[k] ?? '∅')).size > 1).sort();
}

/**
 * A short legend name from the differing fields this run has, e.g. "oja=0.001 seed=2"; a field the
 * run does not set is left out (one run gives steps, another epochs). `fallback` when none is left.
 */
export function legendName(fields: Record<string, string>, differing: string[], fallback: string): string {
  const named = differing.filter((k) => fields[k] !== undefined).map((k) => `${k.split('.').pop()}=${shownValue(fields[k]!)}`);
  return named.length > 0 ? named.join(' ') : fallback;
}

/** A flattened (JSON) value as legends and tables show it: number lists compacted ("784-100x14-10"). */
export function shownValue(json: string): string {
  if (!json.startsWith('[')) return json;
  try {
    return displayValue(JSON.parse(json));
  } catch {
    return json;
  }
}
