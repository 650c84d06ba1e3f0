/**
 * Recurrent runs: the memory curve (test accuracy against the delay, or for memory capacity r²_k of
 * the ridge readouts, at each run's latest point, so it moves as the run learns), ‖h_t‖ against the
 * step within a sequence, and W_rec's diagnostics (and MC) against the training step. Over seeds, a mean line per group. Hidden while no run is recurrent.
 */
import type { ChartDataset } from 'chart.js';
import { element } from '../shared/dom';
import type { EvaluationPoint } from '../../src/engine/diagnostics/metrics';
import { shownValue } from '../../src/shared/configDiff';
import { groupRuns } from '../../src/shared/aggregate';
import { ChartGrid, compactTick } from './chartGrid';
import { datasetsFor } from './curves';
import { percentTick } from './format';
import type { XY } from './series';
import type { DashboardView, RenderContext } from './view';

/** A curve at one point: x values and y values (the delays and accuracies, or t and ‖h_t‖). */
type CurveOf = (p: EvaluationPoint) => XY[] | null;

/** `title` and `x` for runs whose curve is against a target's position (the copy task), or is r² (memory capacity), where they differ. */
const LATEST_CHARTS: Array<{ id: string; title: string; x: string; byPosition?: { title: string; x: string }; byR2?: { title: string; x: string }; curve: CurveOf; percent: boolean }> = [
  {
    id: 'memoryCurve',
    title: 'Memory curve: test accuracy against the delay (latest point)',
    x: 'delay (steps)',
    byPosition: { title: 'Memory curve: test accuracy against the position copied (latest point)', x: 'position' },
    byR2: { title: 'Memory curve: r² of a ridge readout of u_{t−k} against the delay k (latest point)', x: 'delay k (steps)' },
    curve: (p) => (p.memory ? p.memory.delays.map((x, k) => ({ x, y: p.memory!.accuracy[k]! })) : null),
    percent: true,
  },
  {
    id: 'hiddenNorms',
    title: 'Mean ‖h_t‖ against t within a sequence (latest point)',
    x: 't',
    curve: (p) => (p.recurrent ? p.recurrent.hiddenNorms.map((y, k) => ({ x: k + 1, y })) : null),
    percent: false,
  },
];

const STEP_CHARTS: Array<{ id: string; title: string; value: (p: EvaluationPoint) => number | null }> = [
  { id: 'spectralRadius', title: 'Spectral radius of W_rec', value: (p) => p.recurrent?.spectralRadius ?? null },
  { id: 'recurrentNorm', title: '‖W_rec‖', value: (p) => p.recurrent?.recurrentNorm ?? null },
  { id: 'hiddenParticipation', title: 'Participation ratio of h', value: (p) => p.recurrent?.participationRatio ?? null },
  { id: 'recurrentStability', title: 'Stability θ_rec‖h‖²', value: (p) => p.recurrent?.stability ?? null },
  { id: 'memoryCapacity', title: 'Memory capacity MC = Σ_k r²_k', value: (p) => p.memory?.capacity ?? null },
];

/** The latest point's curve for each run, or each group's mean curve over its members' latest. */
function latestDatasets({ model, palette, names }: RenderContext, curve: CurveOf): ChartDataset<'line', XY[]>[] {
  const latest = (points: EvaluationPoint[]) => {
    for (let i = points.length - 1; i >= 0; i--) {
      const c = curve(points[i]!);
      if (c) return c;
    }
    return [];
  };
  const line = (label: string, data: XY[], index: number): ChartDataset<'line', XY[]> => ({
    label, data, borderColor: palette.colour(index), backgroundColor: palette.colour(index), borderDash: palette.dash(index), pointRadius: 3,
  });
  if (!model.options.overSeeds) return model.ordered().map((run, index) => line(names.get(run.key) ?? run.key, latest(run.points), index));
  const groups = groupRuns(model.ordered().map((run) => ({ id: run.key, fields: run.fields, points: run.points })), [model.groupOver()]);
  return groups.map((group, index) => {
    const byX = new Map<number, number[]>();
    for (const member of group.members) for (const { x, y } of latest(member.points)) byX.set(x, [...(byX.get(x) ?? []), y]);
    const data = [...byX.entries()].sort(([a], [b]) => a - b).map(([x, ys]) => ({ x, y: ys.reduce((s, y) => s + y, 0) / ys.length }));
    const name = Object.entries(group.key).map(([k, v]) => `${k.split('.').pop()}=${shownValue(v)}`).join(' ') || 'all runs';
    return line(`${name} (mean of ${group.members.length})`, data, index);
  });
}

export class MemoryCurves implements DashboardView {
  private readonly charts = new ChartGrid({ class: 'grid main' });
  private readonly heading = element('h2', {}, 'Memory (recurrent runs)');
  readonly elements = [this.heading, this.charts.grid];

  constructor() {
    for (const spec of LATEST_CHARTS) this.charts.add(spec.id, spec.title);
    for (const spec of STEP_CHARTS) this.charts.add(spec.id, spec.title);
  }

  render(context: RenderContext): void {
    const recurrent = context.model.ordered().some((run) => run.points.some((p) => p.memory));
    this.heading.hidden = this.charts.grid.hidden = !recurrent;
    if (!recurrent) return;
    const byPosition = context.model.ordered().some((run) => run.points.some((p) => p.memory?.axis === 'position'));
    const byR2 = context.model.ordered().some((run) => run.points.some((p) => p.memory?.metric === 'r2'));
    this.charts.figure('memoryCapacity').hidden = !byR2;
    for (const spec of LATEST_CHARTS) {
      const chart = this.charts.get(spec.id);
      chart.data.datasets = latestDatasets(context, spec.curve);
      const { title, x } = byR2 && spec.byR2 ? spec.byR2 : byPosition && spec.byPosition ? spec.byPosition : spec;
      this.charts.label(spec.id, title, x);
      const y = chart.options.scales!.y as { ticks?: object; min?: number; max?: number };
      // r² is a fraction of variance, shown as such (0 … 1), not as a percentage right.
      y.ticks = { callback: spec.percent && !byR2 ? percentTick : compactTick };
      // Accuracy on its whole range: a curve at 100% everywhere is drawn at the top, not on a zoomed axis.
      if (spec.percent) Object.assign(y, { min: 0, max: 1 });
      this.charts.annotate(spec.id);
    }
    for (const spec of STEP_CHARTS) {
      const chart = this.charts.get(spec.id);
      chart.data.datasets = datasetsFor(context, spec.value, false);
      (chart.options.scales!.y as { ticks?: object }).ticks = { callback: compactTick };
      this.charts.annotate(spec.id);
    }
    this.charts.applyTheme(context.theme);
  }
}
