/** Numbers of a reproduction as people read them: shared by the report files, the terminal and the Paper report tab. */
import { METRICS, type ClaimResult } from './results';
import type { TrickResult } from './results';

/** A metric's value as people read it. */
export function shown(metric: ClaimResult['metric'], value: number | null): string {
  // NaN (no runs to average) reaches JSON, and so a report read back, as null.
  if (value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (METRICS[metric].percent) return `${(100 * value).toFixed(1)}%`;
  return Math.abs(value) >= 1000 ? value.toExponential(2) : value.toPrecision(3);
}

export function side(claim: ClaimResult, which: 'baseline' | 'treatment'): string {
  const arm = claim[which];
  const divergences = which === 'baseline' ? claim.baselineDivergences : claim.treatmentDivergences;
  const spread = METRICS[claim.metric].percent ? (100 * arm.sd).toFixed(1) : arm.sd.toPrecision(2);
  const name = claim.sides[which === 'baseline' ? 0 : 1];
  return `${name}: ${shown(claim.metric, arm.mean)} ± ${spread}${divergences ? ` (${divergences} diverged)` : ''}`;
}

/** An accuracy column of the trick table: mean ± sd, and its divergences. */
export function accuracyCell(arm: { mean: number; sd: number; diverged: number; n: number }): string {
  if (arm.n === 0) return '—';
  return `${(100 * arm.mean).toFixed(1)}% ± ${(100 * arm.sd).toFixed(1)}${arm.diverged ? ` (${arm.diverged} diverged)` : ''}`;
}

export function recoveredCell(trick: TrickResult): string {
  return trick.recovered === null ? 'the trick gains under 5 points here' : `${(100 * trick.recovered).toFixed(0)}%`;
}


/** What a claim's per-seed values are, beyond its metric: "" for one arm's metric. */
export function valuesNote(claim: ClaimResult): string {
  if (claim.valuesNote) return ` (${claim.valuesNote})`;
  return claim.baselineArms.length > 1 ? ' (per seed, the first arm minus the second)' : '';
}
