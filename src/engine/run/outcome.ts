/** What a run's recorded points say about its outcome (free of TensorFlow.js: the editor reads it too). */
import type { EvaluationPoint } from '../diagnostics/metrics';
import type { RunSummary } from './summary';

export function outcomeOf(points: EvaluationPoint[]): Pick<RunSummary, 'final' | 'best' | 'weightNorms'> {
  const last = points[points.length - 1];
  const best = points.reduce<RunSummary['best']>(
    (top, p) => (Number.isFinite(p.testAccuracy) && (!top || p.testAccuracy > top.testAccuracy) ? { step: p.step, testAccuracy: p.testAccuracy } : top),
    null,
  );
  return {
    final: last ? { step: last.step, trainLoss: last.trainLoss, testLoss: last.testLoss, testAccuracy: last.testAccuracy } : null,
    best,
    weightNorms: last ? last.layers.map((l) => l.weightNorm) : [],
  };
}
