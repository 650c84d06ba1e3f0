/** Series helpers: decimation to a point budget, exponential smoothing, the drawn train loss. Pure, so tested in Node. */
export interface XY {
  x: number;
  y: number;
}

/**
 * Keeps at most ~`budget` points: the first and last, and the min and max of each bucket between,
 * so spikes (and divergence) stay visible however long the run.
 */
export function decimate(points: XY[], budget: number): XY[] {
  if (points.length <= budget || budget < 4) return points;
  const buckets = Math.floor((budget - 2) / 2);
  const inner = points.slice(1, -1);
  const size = inner.length / buckets;
  const out: XY[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const slice = inner.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (slice.length === 0) continue;
    let min = slice[0]!;
    let max = slice[0]!;
    for (const p of slice) {
      if (p.y < min.y) min = p;
      if (p.y > max.y) max = p;
    }
    if (min === max) out.push(min);
    else out.push(...(min.x < max.x ? [min, max] : [max, min]));
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** Exponential moving average with weight `alpha` on the past (0: none); non-finite values pass through. */
export function smooth(points: XY[], alpha: number): XY[] {
  if (alpha <= 0) return points;
  let last: number | null = null;
  return points.map((p) => {
    if (!Number.isFinite(p.y)) return p;
    last = last === null ? p.y : alpha * last + (1 - alpha) * p.y;
    return { x: p.x, y: last };
  });
}

/**
 * A point's train loss as drawn: left out for a last point that averages under a quarter of the
 * steps the point before it did (a run stopped just after an evaluation). A mean over a handful of
 * samples draws a spike that says nothing about training; the value stays in the run's files.
 */
export function drawnTrainLoss(point: { step: number; trainLoss: number | null }, index: number, points: ReadonlyArray<{ step: number }>): number | null {
  if (index >= 2 && index === points.length - 1) {
    const covered = point.step - points[index - 1]!.step;
    const before = points[index - 1]!.step - points[index - 2]!.step;
    if (covered < before / 4) return null;
  }
  return point.trainLoss;
}
