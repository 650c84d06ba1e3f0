/**
 * What a reproduction finds, as plain data: the types of judged claims and trick rows, and how each
 * metric reads. No Node and no runs here, so the Paper report webview can draw them too.
 */
import type { MetricId } from './claims';
import type { ArmSummary, Comparison } from './verdict';

export const METRICS: Record<MetricId, { label: string; percent: boolean }> = {
  finalAccuracy: { label: 'final test accuracy', percent: true },
  log10MaxWeightNorm: { label: 'log10 of the largest ‖W_l‖ over training', percent: false },
  hiddenOrthonormality: { label: '‖W Wᵀ − I‖ of the first layer, at the end', percent: false },
  participationRatio: { label: 'mean participation ratio of the hidden layers, at the end', percent: false },
  log10ErrorNormSpread: { label: 'log10 of largest ÷ smallest per-layer error norm, at the end', percent: false },
  scarceAccuracy: { label: "the learned rule's query accuracy on held-out episodes, mean over K = 1, 5, 10", percent: true },
  longestDelayAccuracy: { label: 'test accuracy of recall at the longest delay, at the end', percent: true },
  memoryCapacity: { label: 'memory capacity MC = Σ_k r²_k (at most the hidden units), at the end', percent: false },
};

export interface ClaimResult extends Comparison {
  id: string;
  title: string;
  statement: string;
  metric: MetricId;
  margin: number;
  direction: 'higher' | 'lower';
  /** What a diverged run counts as. */
  divergedValue: number;
  baselineArms: string[];
  treatmentArms: string[];
  sides: [string, string];
  /** What the per-seed values are, where it is not one arm's metric. */
  valuesNote?: string;
  /** Per seed values of each side (differences for a difference side), for the report's readers. */
  baselineValues: number[];
  treatmentValues: number[];
  /** Runs on each side that diverged (counted at the failure value, never averaged as a result). */
  baselineDivergences: number;
  treatmentDivergences: number;
}

export interface TrickSpec {
  id: string;
  trick: string;
  /** Where the trick matters, in words. */
  setting: string;
  without: string;
  with: string;
  oja: string;
}

export interface TrickResult extends TrickSpec {
  /** Final test accuracy over seeds; a diverged run counts as chance. */
  columns: { without: ArmSummary; with: ArmSummary; oja: ArmSummary };
  /** (Oja − without) ÷ (with − without); null where the trick gains less than TRICK_MATTERS here. */
  recovered: number | null;
}

