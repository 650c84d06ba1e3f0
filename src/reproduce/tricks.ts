/**
 * "Does Oja replace the trick?": for each engineering trick the paper sets Oja's rule against, a
 * setting where the trick matters, run three ways — backprop without the trick, backprop with it,
 * backprop + Oja without it — and the share of the trick's gain that Oja's term recovers.
 * Pure, like evaluate.ts: tested on made-up runs.
 */
import { metricOf, type ArmRun } from './evaluate';
import { summarise, type ArmSummary } from './verdict';
import type { TrickResult, TrickSpec } from './results';

export type { TrickResult, TrickSpec } from './results';
import { DEEPEST } from './claims';

/** The smallest gain (in accuracy) for which a share of it is worth quoting. */
export const TRICK_MATTERS = 0.05;
const CHANCE = 0.1;

export const RECOVERY_RULE = `Recovered = (backprop + Oja without the trick − backprop without it) ÷ (backprop with the trick − backprop without it), on mean final test accuracy over the seeds (a diverged run counts as chance): 100% means Oja's term gives everything the trick gives, 0% nothing, below 0% it costs accuracy. Not quoted where the trick itself gains under ${100 * TRICK_MATTERS} points.`;

export function tricks(): TrickSpec[] {
  return [
    { id: 'mini-batches', trick: 'mini-batches (16 samples)', setting: 'the paper’s network at a large learning rate (η 0.1), one pass; Oja’s θ tuned', without: 'large-eta-bp', with: 'large-eta-bp-batch16', oja: 'large-eta-oja' },
    { id: 'adam', trick: 'an adaptive optimiser (Adam)', setting: 'the paper’s network from weights scaled by 0.3; η tuned per column', without: 'gain-0.3-bp-tuned', with: 'gain-0.3-adam', oja: 'gain-0.3-oja-tuned' },
    { id: 'initialisation', trick: 'careful initialisation (gain 1)', setting: 'the paper’s network from weights scaled by 0.3; η tuned per column', without: 'gain-0.3-bp-tuned', with: 'online-bp', oja: 'gain-0.3-oja-tuned' },
    { id: 'normalisation', trick: 'normalisation layers (layer norm)', setting: `${DEEPEST} hidden layers of 100; η tuned per column`, without: `depth-${DEEPEST}-bp-tuned`, with: `depth-${DEEPEST}-layer-norm`, oja: `depth-${DEEPEST}-oja-tuned` },
  ];
}

export function trickArms(specs: TrickSpec[]): Set<string> {
  return new Set(specs.flatMap((t) => [t.without, t.with, t.oja]));
}

function column(runs: ArmRun[] | undefined): ArmSummary {
  const values = (runs ?? []).map((run) => metricOf('finalAccuracy', run));
  return summarise({ values: values.filter((v): v is number => v !== null), diverged: values.filter((v) => v === null).length }, CHANCE);
}

export function evaluateTrick(spec: TrickSpec, runs: Map<string, ArmRun[]>): TrickResult {
  const columns = { without: column(runs.get(spec.without)), with: column(runs.get(spec.with)), oja: column(runs.get(spec.oja)) };
  const gain = columns.with.mean - columns.without.mean;
  const known = columns.without.n > 0 && columns.with.n > 0 && columns.oja.n > 0;
  return { ...spec, columns, recovered: known && gain >= TRICK_MATTERS ? (columns.oja.mean - columns.without.mean) / gain : null };
}
