/**
 * A grid of chart.js line charts that one view owns: creating them with the dashboard's defaults,
 * describing them for tests and screen readers, and following the theme.
 */
import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Ticks, Tooltip } from 'chart.js';
import { LineWithErrorBarsController, PointWithErrorBar } from 'chartjs-chart-error-bars';
import { element } from '../shared/dom';
import type { ThemeColors } from '../shared/theme';
import { compactNumber, formatNumber } from './format';
import type { XY } from './series';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip, Legend, Filler, LineWithErrorBarsController, PointWithErrorBar);

export type LineChart = Chart<'line', XY[]>;

/** Axis labels stay short when a run blows up; else chart.js's own. */
export function compactTick(this: unknown, value: unknown, index: number, ticks: Array<{ value: number }>): string {
  const v = Number(value);
  return compactNumber(v) ?? String(Ticks.formatters.numeric.call(this as never, v, index, ticks as never));
}

export class ChartGrid {
  readonly grid: HTMLElement;
  private readonly charts = new Map<string, LineChart>();

  constructor(attributes: Record<string, string>) {
    this.grid = element('div', attributes);
  }

  /** `lineWithErrorBars` (chartjs-chart-error-bars) is a line chart whose points carry yMin and yMax. */
  add(id: string, title: string, type: 'line' | 'lineWithErrorBars' = 'line'): LineChart {
    const box = element('figure', { class: 'chart', id: `chart-${id}` });
    const canvas = element('canvas', { role: 'img', 'aria-label': title });
    box.append(element('figcaption', {}, title), canvas);
    this.grid.append(box);
    const chart: LineChart = new Chart<'line', XY[]>(canvas, {
      type: type as 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatNumber((c.raw as XY).y)}` } } },
        scales: { x: { type: 'linear', title: { display: true, text: 'step' } }, y: { type: 'linear' } },
        elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.5 } },
      },
    });
    this.charts.set(id, chart);
    return chart;
  }

  get(id: string): LineChart {
    return this.charts.get(id)!;
  }

  figure(id: string): HTMLElement {
    return this.grid.querySelector<HTMLElement>(`#chart-${CSS.escape(id)}`)!;
  }

  /** A chart's caption (and the canvas's accessible name until annotate adds the latest values) and its x axis's title. */
  label(id: string, caption: string, xTitle: string): void {
    const figure = this.figure(id);
    const figcaption = figure.querySelector('figcaption')!;
    if (figcaption.textContent !== caption) figcaption.textContent = caption;
    const x = this.get(id).options.scales!.x as { title?: { display: boolean; text: string } };
    x.title = { display: true, text: xTitle };
    figure.dataset.xTitle = xTitle;
  }

  /** Removes every chart (a view whose set of charts changed builds them anew). */
  clear(): void {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.grid.replaceChildren();
  }

  /**
   * Series and point counts on the figure, what a reader (or a test) can check without pixels; and
   * for screen readers (a canvas says nothing), each series' latest value in the canvas's label.
   */
  annotate(id: string): void {
    const chart = this.get(id);
    const figure = this.figure(id);
    figure.dataset.series = String(chart.data.datasets.length);
    figure.dataset.points = String(chart.data.datasets.reduce((s, d) => s + d.data.length, 0));
    const latest = chart.data.datasets
      .filter((d) => d.data.length > 0)
      .slice(0, 24)
      .map((d) => `${d.label}: ${formatNumber(d.data[d.data.length - 1]!.y)}`);
    const title = figure.querySelector('figcaption')?.textContent ?? id;
    figure.querySelector('canvas')!.setAttribute('aria-label', latest.length > 0 ? `${title}. Latest: ${latest.join('; ')}` : title);
  }

  /** The x axis's tick labels as drawn, on the figure (what tests and curious users can read). */
  recordAxisLabels(id: string): void {
    this.figure(id).dataset.xTicks = (this.get(id).scales.x?.ticks ?? []).map((t) => String(t.label)).join(' ');
  }

  /** Theme colours on every axis, then a redraw of every chart. */
  applyTheme(theme: ThemeColors): void {
    Chart.defaults.color = theme.foreground;
    for (const chart of this.charts.values()) {
      for (const axis of Object.values(chart.options.scales ?? {})) {
        if (!axis) continue;
        (axis as { grid?: object }).grid = { color: theme.grid };
        (axis as { ticks?: { color?: string } }).ticks = { ...((axis as { ticks?: object }).ticks ?? {}), color: theme.muted };
      }
      chart.update('none');
    }
  }
}
