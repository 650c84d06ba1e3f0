/** Reads an experiment file and applies command-line overrides before the one validator sees it. */
import { setPath } from '../engine/config/paths';
import { ConfigError } from '../engine/config/issues';
import { parseExperiment } from '../engine/config/validate';
import { readJsonFile } from '../engine/config/jsonText';
import type { ExperimentConfig } from '../engine/config/schema';

export interface Overrides {
  /** "path=value" pairs; the value is read as JSON when it parses, else as a string. */
  set?: string[];
  steps?: number;
}

export function applyOverrides(document: unknown, overrides: Overrides): unknown {
  const copy = structuredClone(document) as Record<string, unknown>;
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return copy;
  for (const assignment of overrides.set ?? []) {
    const at = assignment.indexOf('=');
    if (at <= 0) throw new ConfigError([{ path: '', message: `--set ${JSON.stringify(assignment)}: expected path=value, e.g. rule.oja=0.001` }]);
    const path = assignment.slice(0, at).trim();
    setPath(copy, path, parseValue(assignment.slice(at + 1)));
    dropSweepAxes(copy, path);
  }
  if (overrides.steps !== undefined) {
    const training = (copy.training ??= {}) as Record<string, unknown>;
    delete training.epochs;
    training.steps = overrides.steps;
  }
  return copy;
}

/**
 * A value set on the command line wins over the file's sweep: the axes over that field (or inside
 * or around it) are dropped, so `--set rule.oja=0.001` runs θ = 0.001 and nothing else.
 * `--set 'sweep={}'` drops the whole sweep.
 */
function dropSweepAxes(document: Record<string, unknown>, path: string): void {
  const sweep = document.sweep;
  if (path === 'sweep' || path.startsWith('sweep.') || sweep === null || typeof sweep !== 'object' || Array.isArray(sweep)) return;
  const axes = sweep as Record<string, unknown>;
  const overlaps = (axis: string) => axis === path || axis.startsWith(`${path}.`) || path.startsWith(`${axis}.`);
  for (const axis of Object.keys(axes)) if (overlaps(axis)) delete axes[axis];
  if (Object.keys(axes).length === 0) delete document.sweep;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function loadExperimentFile(file: string, overrides: Overrides = {}): ExperimentConfig {
  return parseExperiment(applyOverrides(readJsonFile(file), overrides), file);
}
