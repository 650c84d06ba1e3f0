/** Expands a config's `sweep` grid into one config per member, in a stable order. */
import type { ExperimentConfig } from './schema';
import { memberInput, pathAssignments } from './sweepMember';
import { parseExperiment } from './validate';
import { displayValue } from '../../shared/numberList';

export interface SweepMember {
  /** Position in the grid, 0-based. */
  index: number;
  /** The swept fields and this member's values, e.g. { "rule.oja": 0.001, "seed": 2 }. */
  assignments: Record<string, unknown>;
  /** Short human label, e.g. "oja=0.001 seed=2"; "" for a config without a sweep. */
  label: string;
  config: ExperimentConfig;
}

/** Above this many members a sweep runs only when the user confirms (`--yes`, or a prompt in the editor). */
export const LARGE_SWEEP = 10_000;

/** How many members the grid has, without expanding it. */
export function sweepSize(config: ExperimentConfig): number {
  return Object.values(config.sweep ?? {}).reduce((count, values) => count * values.length, 1);
}

export function expandSweep(config: ExperimentConfig): SweepMember[] {
  const base = structuredClone(config);
  delete base.sweep;
  const fields = Object.entries(config.sweep ?? {});
  if (fields.length === 0) return [{ index: 0, assignments: {}, label: '', config: base }];

  let grid: Record<string, unknown>[] = [{}];
  for (const [field, values] of fields) {
    grid = grid.flatMap((partial) => values.map((value) => ({ ...partial, [field]: value })));
  }
  return grid.map((assignments, index) => {
    return { index, assignments, label: labelFor(assignments), config: parseExperiment(memberInput(base, assignments), `sweep member ${index}`) };
  });
}

/** "oja=0.001 seed=2"; a swept object is labelled by its leaves ("feedback=backprop learningRate=0.03"), not its JSON. */
export function labelFor(assignments: Record<string, unknown>): string {
  return pathAssignments(assignments)
    .flatMap(([field, value]) => leaves(field, value))
    .map(([field, value]) => `${field.split('.').pop()}=${displayValue(value)}`)
    .join(' ');
}

function leaves(field: string, value: unknown): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return [[field, value]];
  return Object.entries(value).flatMap(([key, inner]) => leaves(`${field}.${key}`, inner));
}
