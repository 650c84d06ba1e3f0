/**
 * A run's final test accuracy and loss from its points, the one rule every view uses: the last
 * point's, or for a few-shot run (a point per episode, one episode saying little) the means over
 * its episodes. Node-free, so the dashboard uses it too.
 */
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import { meanAndSd } from './aggregate';

export interface FinalMetrics {
  testAccuracy: number;
  testLoss: number;
}

export function isEpisodic(points: readonly EvaluationPoint[]): boolean {
  return points.length > 0 && points.every((p) => p.episode);
}

export function finalMetrics(points: readonly EvaluationPoint[]): FinalMetrics | undefined {
  const last = points[points.length - 1];
  if (!last) return undefined;
  if (!isEpisodic(points)) return { testAccuracy: last.testAccuracy, testLoss: last.testLoss };
  return { testAccuracy: meanAndSd(points.map((p) => p.testAccuracy)).mean, testLoss: meanAndSd(points.map((p) => p.testLoss)).mean };
}

/** A run's final number as text: "MC 26.03" for a memory-capacity run (its accuracy is MC / K), else its accuracy in percent. */
export function finalHeadline(final: { testAccuracy: number; memoryCapacity?: number }, percentDigits: number): string {
  if (final.memoryCapacity !== undefined) return `MC ${final.memoryCapacity.toFixed(2)}`;
  return Number.isFinite(final.testAccuracy) ? `${(100 * final.testAccuracy).toFixed(percentDigits)}%` : '—';
}
