/**
 * Sweep views: final test accuracy (memory capacity, where every run measures it) against the swept
 * parameter. One field swept (besides the seed): the mean over seeds at each value with ±1 sd error
 * bars. Several: a scatter per swept field.
 */
import type { ChartDataset } from 'chart.js';
import type { ThemeColors } from '../shared/theme';
import { ChartGrid, type LineChart } from './chartGrid';
import { percent, percentTick } from './format';
import { compactTick } from './chartGrid';
import type { DashboardModel } from './state';
import type { XY } from './series';
import { fieldAxis, parameterScatter, sweepSummary, sweptFields, type ParameterAxis, type RunResult } from './sweepSeries';
import type { DashboardView, RenderContext } from './view';
import { finalMetrics } from '../../src/shared/finalMetrics';
import type { EvaluationPoint } from '../../src/engine/diagnostics/metrics';

/** What the sweep views compare runs by: final test accuracy, or MC where every run with points has it. */
interface Headline {
  name: string;
  final(points: EvaluationPoint[]): number;
  shown(value: number): string;
  /** An sd in the unit shown. */
  spread(sd: number): string;
  tick: typeof compactTick;
}

const ACCURACY: Headline = { name: 'final test accuracy', final: (points) => finalMetrics(points)!.testAccuracy, shown: percent, spread: (sd) => (100 * sd).toFixed(2), tick: percentTick };
const CAPACITY: Headline = { name: 'memory capacity MC', final: (points) => points[points.length - 1]!.memory!.capacity!, shown: (mc) => mc.toFixed(2), spread: (sd) => sd.toFixed(2), tick: compactTick };

function headlineOf(model: DashboardModel): Headline {
  const measured = model.ordered().filter((r) => r.points.length > 0);
  return measured.length > 0 && measured.every((r) => r.points[r.points.length - 1]!.memory?.capacity !== undefined) ? CAPACITY : ACCURACY;
}

/** Each run's final headline value (a diverged run has none: it is not averaged in). */
function finalResults(model: DashboardModel, headline: Headline): RunResult[] {
  return model
    .ordered()
    .filter((r) => r.points.length > 0 && r.state !== 'diverged')
    .map((r) => ({ fields: r.fields, final: headline.final(r.points) }));
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const axisTitle = (axis: ParameterAxis, field: string) => (axis.type === 'category' ? `${field} (evenly spaced)` : field);

/** A swept parameter's axis: linear, logarithmic, or its values evenly spaced (see parameterAxis). */
function placeParameterAxis(chart: LineChart, axis: ParameterAxis, field: string, theme: ThemeColors): void {
  const scales = chart.options.scales!;
  chart.data.labels = axis.labels;
  // Built afresh: the old axis's ticks hold the linear number formatter (applyTheme copies resolved
  // ticks), which would label a category axis 0, 1, 2, … instead of its values.
  scales.x = {
    type: axis.type,
    offset: axis.type === 'category',
    ...(axis.suggested ? { suggestedMin: axis.suggested.min, suggestedMax: axis.suggested.max } : {}),
    title: { display: true, text: axisTitle(axis, field) },
    grid: { color: theme.grid },
    ticks: { color: theme.muted },
  } as typeof scales.x;
}

export class SweepSummaryView implements DashboardView {
  private readonly charts = new ChartGrid({ class: 'grid main', id: 'summary' });
  readonly elements = [this.charts.grid];

  constructor() {
    this.charts.add('sweepSummary', 'Sweep summary: final test accuracy (mean ± sd over seeds)', 'lineWithErrorBars');
  }

  render({ model, theme, palette }: RenderContext): void {
    const headline = headlineOf(model);
    const results = finalResults(model, headline);
    const all = sweptFields(results);
    const field = all.length === 1 ? all[0]! : null;
    const chart = this.charts.get('sweepSummary');
    const figure = this.charts.figure('sweepSummary');
    const stats = field === null ? [] : sweepSummary(results, field);
    figure.hidden = stats.length < 2;
    if (figure.hidden || field === null) return;
    const axis = fieldAxis(results, field);
    this.charts.label('sweepSummary', `Sweep summary: ${headline.name} (mean ± sd over seeds)`, axisTitle(axis, field));
    const line = palette.colour(0);
    chart.data.datasets = [
      {
        label: 'mean ± sd',
        data: stats.map((p) => ({ x: axis.place(p.value), y: p.mean, yMin: p.mean - p.sd, yMax: p.mean + p.sd })) as unknown as XY[],
        borderColor: line,
        backgroundColor: line,
        pointRadius: 4,
        fill: false,
        errorBarColor: line,
        errorBarWhiskerColor: line,
        errorBarLineWidth: 1.5,
        errorBarWhiskerLineWidth: 1.5,
        errorBarWhiskerSize: 12,
      } as ChartDataset<'line', XY[]>,
    ];
    placeParameterAxis(chart, axis, field, theme);
    chart.options.parsing = true as never; // the error-bar controller reads yMin/yMax as it parses
    (chart.options.scales!.y as { ticks?: object }).ticks = { callback: headline.tick };
    chart.options.plugins!.tooltip!.callbacks!.label = (c) => {
      const p = stats[c.dataIndex]!;
      return `${field.split('.').pop()}=${axis.place(p.value)}: ${headline.shown(p.mean)} ± ${headline.spread(p.sd)} (${p.n} run${p.n === 1 ? '' : 's'})`;
    };
    this.charts.annotate('sweepSummary');
    const caption = figure.querySelector('figcaption')?.textContent ?? '';
    figure.querySelector('canvas')!.setAttribute('aria-label', `${caption}. ${stats.map((p) => `${field}=${axis.place(p.value)}: ${headline.shown(p.mean)} ± ${headline.spread(p.sd)} over ${p.n}`).join('; ')}`);
    chart.update('none');
    this.charts.recordAxisLabels('sweepSummary');
    this.charts.applyTheme(theme);
  }
}

export class ParameterScatterView implements DashboardView {
  private readonly charts = new ChartGrid({ class: 'grid main', id: 'parameter-scatter' });
  readonly elements = [this.charts.grid];
  private fields: string[] = [];

  render({ model, theme, palette }: RenderContext): void {
    const headline = headlineOf(model);
    const results = finalResults(model, headline);
    const swept = sweptFields(results);
    const fields = swept.length >= 2 ? swept : [];
    if (fields.join('|') !== this.fields.join('|')) {
      this.charts.clear();
      fields.forEach((field) => this.charts.add(`scatter-${field}`, `${capitalised(headline.name)} against ${field}`));
      this.fields = fields;
    }
    this.charts.grid.hidden = fields.length === 0;
    for (const field of fields) {
      const id = `scatter-${field}`;
      const chart = this.charts.get(id);
      const groups = parameterScatter(results, field, swept);
      const axis = fieldAxis(results, field);
      chart.data.datasets = groups.map((group, index) => ({
        label: group.label,
        data: group.points.map((p) => ({ x: axis.place(p.x), y: p.y })) as unknown as XY[],
        showLine: false,
        pointRadius: 4,
        borderColor: palette.colour(index),
        backgroundColor: palette.colour(index),
      }));
      placeParameterAxis(chart, axis, field, theme);
      this.charts.label(id, `${capitalised(headline.name)} against ${field}`, axisTitle(axis, field));
      chart.options.parsing = true as never; // category positions are labels, which chart.js maps as it parses
      const scales = chart.options.scales!;
      (scales.y as { ticks?: object }).ticks = { ...((scales.y as { ticks?: object }).ticks ?? {}), callback: headline.tick };
      chart.options.plugins!.legend = { display: groups.length > 1, labels: { color: theme.foreground } };
      chart.options.interaction = { mode: 'nearest', intersect: true };
      chart.options.plugins!.tooltip!.callbacks!.label = (c) => `${c.dataset.label}: ${field.split('.').pop()}=${(c.raw as { x: unknown }).x} → ${headline.shown((c.raw as XY).y)}`;
      this.charts.annotate(id);
      chart.update('none');
      this.charts.recordAxisLabels(id);
    }
    this.charts.applyTheme(theme);
  }
}
