/**
 * Curves against the step: the main charts (train loss, test loss and accuracy) and the per-layer
 * diagnostics, one line per run, or a mean line and band per group of runs.
 */
import type { ChartDataset } from 'chart.js';
import { element } from '../shared/dom';
import type { EvaluationPoint, LayerDiagnostics } from '../../src/engine/diagnostics/metrics';
import { shownValue } from '../../src/shared/configDiff';
import { bands, groupRuns } from '../../src/shared/aggregate';
import { ChartGrid, compactTick } from './chartGrid';
import { withAlpha } from './palette';
import { ALL_TERMS } from '../../src/shared/terms';
import { isEpisodic } from '../../src/shared/finalMetrics';
import { percentTick } from './format';
import { decimate, drawnTrainLoss, smooth, type XY } from './series';
import type { DashboardView, RenderContext } from './view';

/** A point's value; the run's other points are there for metrics that depend on them (drawnTrainLoss). */
type MetricOf = (p: EvaluationPoint, index: number, points: EvaluationPoint[]) => number | null;

/**
 * `episodeTitle`: the caption when the runs are few-shot (a point per episode, its query samples as
 * the test set); `perEpisode` curves can then be smoothed, and the moving average has its own chart.
 */
type MainChart = { id: string; title: string; episodeTitle: string; metric: MetricOf; loss: boolean; smoothable: boolean; percent?: boolean; onlyWithData?: boolean; perEpisode?: boolean };
const MAIN_CHARTS: MainChart[] = [
  { id: 'trainLoss', title: 'Train loss', episodeTitle: "Training loss (an episode's training samples)", metric: drawnTrainLoss, loss: true, smoothable: true, perEpisode: true },
  { id: 'testLoss', title: 'Test loss', episodeTitle: 'Query loss', metric: (p) => p.testLoss, loss: true, smoothable: false, perEpisode: true },
  { id: 'testAccuracy', title: 'Test accuracy', episodeTitle: 'Query accuracy', metric: (p) => p.testAccuracy, loss: false, smoothable: false, percent: true, perEpisode: true },
  {
    id: 'movingAccuracy',
    title: 'Query accuracy, moving average',
    episodeTitle: 'Query accuracy, moving average',
    metric: (p) => p.episode?.movingAccuracy ?? null,
    loss: false,
    smoothable: false,
    percent: true,
    onlyWithData: true,
  },
  // A meta-learning run's learned coefficients after each meta-episode, one chart each.
  ...ALL_TERMS.map((name): MainChart => ({
    id: `coefficient-${name}`,
    title: `Learned coefficient: ${name}`,
    episodeTitle: `Learned coefficient: ${name}`,
    metric: (p) => p.coefficients?.[name] ?? null,
    loss: false,
    smoothable: false,
    onlyWithData: true,
  })),
];
/** A per-layer chart; `onlyWithData` hides it while no run has a value (FA's angle, the terms' shares). */
type LayerChart = { id: string; title: string; value: (layer: LayerDiagnostics) => number | null | undefined; onlyWithData?: boolean };
const diagnostic = (id: keyof LayerDiagnostics, title: string, onlyWithData = false): LayerChart => ({ id, title, value: (layer) => layer[id] as number | null | undefined, onlyWithData });
const LAYER_CHARTS: LayerChart[] = [
  diagnostic('weightNorm', 'Weight norm ‖W‖'),
  diagnostic('orthonormality', 'Orthonormality ‖WWᵀ−I‖'),
  diagnostic('activationNorm', 'Activation norm ‖y‖'),
  diagnostic('participationRatio', 'Participation ratio'),
  diagnostic('stability', 'Stability θ‖y‖²'),
  diagnostic('ojaErrorRatio', "Oja's step ÷ error step"),
  diagnostic('alignmentAngle', 'FA alignment angle (°)', true),
  ...ALL_TERMS.map((term): LayerChart => ({ id: `share-${term}`, title: `Share of the update: ${term}`, value: (layer) => layer.termShares?.[term], onlyWithData: true })),
];

/** Per group: the band's lower edge, its upper edge (filled down to the lower) and the mean. */
function bandDatasets({ model, palette }: RenderContext, metric: MetricOf): ChartDataset<'line', XY[]>[] {
  const groups = groupRuns(model.ordered().map((run) => ({ id: run.key, fields: run.fields, points: run.points })), [model.groupOver()]);
  const minMax = model.options.spread === 'minmax';
  return groups.flatMap((group, index) => {
    const stats = bands(group.members, metric);
    const name = Object.entries(group.key).map(([k, v]) => `${k.split('.').pop()}=${shownValue(v)}`).join(' ') || 'all runs';
    const label = `${name} (mean of ${group.members.length})`;
    const line = palette.colour(index);
    const edge = (upper: boolean) =>
      decimate(stats.map((b) => ({ x: b.step, y: minMax ? (upper ? b.max : b.min) : b.mean + (upper ? b.sd : -b.sd) })), model.maxPoints);
    return [
      { label: `${label} ${minMax ? 'min' : '− sd'}`, data: edge(false), borderColor: 'transparent', pointRadius: 0, fill: false },
      { label: `${label} ${minMax ? 'max' : '+ sd'}`, data: edge(true), borderColor: 'transparent', backgroundColor: withAlpha(line, 0.2), pointRadius: 0, fill: '-1' },
      { label, data: decimate(stats.map((b) => ({ x: b.step, y: b.mean })), model.maxPoints), borderColor: line, backgroundColor: line, borderDash: palette.dash(index), fill: false },
    ];
  });
}

export function datasetsFor(context: RenderContext, metric: MetricOf, smoothable: boolean): ChartDataset<'line', XY[]>[] {
  const { model, palette, names } = context;
  if (model.options.overSeeds) return bandDatasets(context, metric);
  return model.ordered().map((run, index) => {
    let data: XY[] = run.points.flatMap((p, index, points) => {
      const y = metric(p, index, points);
      return y === null || y === undefined ? [] : [{ x: p.step, y }];
    });
    if (smoothable) data = smooth(data, model.options.smoothing);
    data = decimate(data, model.maxPoints);
    return { label: names.get(run.key) ?? run.key, data, borderColor: palette.colour(index), backgroundColor: palette.colour(index), borderDash: palette.dash(index) };
  });
}

export class MainCurves implements DashboardView {
  private readonly charts = new ChartGrid({ class: 'grid main' });
  readonly elements = [this.charts.grid];

  constructor() {
    for (const spec of MAIN_CHARTS) this.charts.add(spec.id, spec.title);
  }

  render(context: RenderContext): void {
    const runs = context.model.ordered();
    const episodic = runs.some((run) => isEpisodic(run.points));
    const meta = runs.some((run) => run.points.some((p) => p.coefficients));
    for (const spec of MAIN_CHARTS) {
      const chart = this.charts.get(spec.id);
      // One episode's numbers are noisy: with episodes, its curves follow the smoothing slider too.
      chart.data.datasets = datasetsFor(context, spec.metric, spec.smoothable || (episodic && Boolean(spec.perEpisode)));
      this.charts.label(spec.id, episodic ? spec.episodeTitle : spec.title, meta ? 'meta-episode' : episodic ? 'episode' : 'step');
      this.charts.figure(spec.id).hidden = Boolean(spec.onlyWithData) && chart.data.datasets.every((d) => d.data.length === 0);
      const y = chart.options.scales!.y!;
      y.type = spec.loss && context.model.options.logScale ? 'logarithmic' : 'linear';
      (y as { ticks?: object }).ticks = { callback: spec.percent ? percentTick : compactTick };
      this.charts.annotate(spec.id);
    }
    this.charts.applyTheme(context.theme);
  }
}

export class LayerCurves implements DashboardView {
  private readonly charts = new ChartGrid({ class: 'grid small' });
  private readonly heading = element('h2', {}, 'Per-layer diagnostics');
  readonly elements = [this.heading, this.charts.grid];

  constructor() {
    for (const spec of LAYER_CHARTS) this.charts.add(spec.id, spec.title);
  }

  render(context: RenderContext): void {
    // Few-shot runs record no per-layer diagnostics: the section shows only when some run has them.
    this.heading.hidden = this.charts.grid.hidden = !context.model.ordered().some((run) => run.points.some((p) => p.layers.length > 0));
    const layer = context.model.options.layer;
    for (const spec of LAYER_CHARTS) {
      const chart = this.charts.get(spec.id);
      const values = (p: EvaluationPoint) => {
        const diagnostics = p.layers[layer];
        return diagnostics ? (spec.value(diagnostics) ?? null) : null;
      };
      chart.data.datasets = datasetsFor(context, values, false);
      (chart.options.scales!.y as { ticks?: object }).ticks = { callback: compactTick };
      this.charts.figure(spec.id).hidden = Boolean(spec.onlyWithData) && chart.data.datasets.every((d) => d.data.length === 0);
      this.charts.annotate(spec.id);
    }
    this.charts.applyTheme(context.theme);
  }
}
