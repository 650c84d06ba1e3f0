import type { MemoryCurve, RecurrentDiagnostics } from '../recurrent/memoryEvaluation';

/** One evaluation point, as appended to metrics.jsonl. */
export interface LayerDiagnostics {
  /** ‖W_l‖_F */
  weightNorm: number;
  /** ‖W_l W_lᵀ − I‖_F */
  orthonormality: number;
  /** mean ‖y_l‖ over the probe batch (y_L = softmax output) */
  activationNorm: number;
  /** (Σλ)² / Σλ² of the activation covariance on the probe batch */
  participationRatio: number;
  /** mean ‖e_l‖ over the probe batch */
  errorNorm: number;
  /** ‖θ · Oja term‖_F / ‖η · error term‖_F, batch-averaged on the probe; null without an error term */
  ojaErrorRatio: number | null;
  /** θ · mean ‖y_l‖² (the explicit Oja step diverges as this nears 1) */
  stability: number;
  /** Feedback alignment only: mean angle in degrees between the FA and the true backprop error signals */
  alignmentAngle?: number;
  /**
   * With local terms beyond error and Oja (rule.terms) only: each term's share of the update, its
   * summed step norms over all terms' since the previous point (error, oja and each term used).
   */
  termShares?: Record<string, number>;
}

/** Few-shot runs: what one episode was, beside its query metrics (testLoss, testAccuracy). */
export interface EpisodeRecord {
  /** The episode's classes as the data set numbers them (in output order when relabelled). */
  classes: number[];
  /** Mean query accuracy and loss over the last training.episodes.movingAverage episodes, this one included. */
  movingAccuracy: number;
  movingLoss: number;
}

/**
 * One evaluation point. In a few-shot run (training.episodes) there is one per episode: step is the
 * episode's number, trainLoss the mean loss over its training samples, testLoss and testAccuracy are
 * on its query samples, and there are no per-layer diagnostics.
 */
export interface EvaluationPoint {
  step: number;
  /** Passes over the training set so far. */
  epoch: number;
  /** Mean training loss over the steps since the previous point; null before any step. */
  trainLoss: number | null;
  testLoss: number;
  testAccuracy: number;
  elapsedSec: number;
  layers: LayerDiagnostics[];
  episode?: EpisodeRecord;
  /** Meta-learning runs: each learned coefficient after this meta-episode's step. */
  coefficients?: Record<string, number>;
  /** Recurrent runs: accuracy and loss per delay on the test sequences (the memory curve). */
  memory?: MemoryCurve;
  /** Recurrent runs: W_rec's norm and spectral radius, ‖h_t‖ against t, the participation ratio, θ_rec·‖h‖². */
  recurrent?: RecurrentDiagnostics;
}

export function isFinitePoint(point: Pick<EvaluationPoint, 'trainLoss' | 'testLoss' | 'layers'>): boolean {
  if (point.trainLoss !== null && !Number.isFinite(point.trainLoss)) return false;
  if (!Number.isFinite(point.testLoss)) return false;
  return point.layers.every((layer) => Number.isFinite(layer.weightNorm) && Number.isFinite(layer.activationNorm));
}
