/**
 * The dashboard webview: live curves of the runs the host sends. It keeps no truth of its own:
 * on load it asks for a snapshot, and it redraws from whatever the host sends next.
 */
import { CategoryScale, Chart, Filler, Ticks, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import { LineWithErrorBarsController, PointWithErrorBar } from 'chartjs-chart-error-bars';
import type { DashboardRun, DashboardToHost, HostToDashboard } from '../../src/protocol/hostDashboard';
import type { EvaluationPoint, LayerDiagnostics } from '../../src/engine/diagnostics/metrics';
import { differingFields, legendName, shownValue } from '../../src/shared/configDiff';
import { vscodeApi } from '../shared/vscodeApi';
import { element } from '../shared/dom';
import { readTheme, watchTheme, type ThemeColors } from '../shared/theme';
import { decimate, drawnTrainLoss, smooth, type XY } from './series';
import { fieldAxis, parameterScatter, sweepSummary, sweptFields, type ParameterAxis, type RunResult } from './sweepSeries';
import { bands, groupRuns } from '../../src/shared/aggregate';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip, Legend, Filler, LineWithErrorBarsController, PointWithErrorBar);

interface ViewOptions {
  logScale: boolean;
  smoothing: number;
  layer: number;
  /** One mean line and a band per group of runs that differ only in `groupOver` (the seed by default). */
  overSeeds?: boolean;
  groupOver?: string;
  /** The band: ±1 standard deviation, or the members' minimum to maximum. */
  spread?: 'sd' | 'minmax';
}
/** View options only: which runs are shown is the host's to remember. */
interface SavedState {
  options: ViewOptions;
}

const api = vscodeApi<SavedState>();
const saved = api.getState();
const options: ViewOptions = saved?.options ?? { logScale: false, smoothing: 0, layer: 0 };
const runs = new Map<string, DashboardRun>();
let maxPoints = 2000;
let theme: ThemeColors = readTheme();

/** A point's value; the run's other points are there for metrics that depend on them (drawnTrainLoss). */
type MetricOf = (p: EvaluationPoint, index: number, points: EvaluationPoint[]) => number | null;
const MAIN_CHARTS: Array<{ id: string; title: string; metric: MetricOf; loss: boolean; smoothable: boolean; percent?: boolean }> = [
  { id: 'trainLoss', title: 'Train loss', metric: drawnTrainLoss, loss: true, smoothable: true },
  { id: 'testLoss', title: 'Test loss', metric: (p) => p.testLoss, loss: true, smoothable: false },
  { id: 'testAccuracy', title: 'Test accuracy', metric: (p) => p.testAccuracy, loss: false, smoothable: false, percent: true },
];
const LAYER_CHARTS: Array<{ id: keyof LayerDiagnostics; title: string }> = [
  { id: 'weightNorm', title: 'Weight norm ‖W‖' },
  { id: 'orthonormality', title: 'Orthonormality ‖WWᵀ−I‖' },
  { id: 'activationNorm', title: 'Activation norm ‖y‖' },
  { id: 'participationRatio', title: 'Participation ratio' },
  { id: 'stability', title: 'Stability θ‖y‖²' },
  { id: 'alignmentAngle', title: 'FA alignment angle (°)' },
];

function post(message: DashboardToHost): void {
  api.postMessage(message);
}

// ---- layout ---------------------------------------------------------------------------------
const app = document.getElementById('app')!;
const toolbar = element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart options' });
const logLabel = element('label');
const logBox = element('input', { type: 'checkbox', id: 'log-scale' });
logBox.checked = options.logScale;
logLabel.append(logBox, ' Log-scale losses');
const smoothLabel = element('label', {}, 'Smoothing ');
const smoothRange = element('input', { type: 'range', id: 'smoothing', min: '0', max: '0.95', step: '0.05', 'aria-label': 'Train loss smoothing' });
smoothRange.value = String(options.smoothing);
smoothLabel.append(smoothRange);
const seedsLabel = element('label');
const seedsBox = element('input', { type: 'checkbox', id: 'over-seeds' });
seedsBox.checked = options.overSeeds ?? false;
seedsLabel.append(seedsBox, ' Mean over');
const groupSelect = element('select', { id: 'group-over', 'aria-label': 'Field the mean is taken over' });
const spreadSelect = element('select', { id: 'spread', 'aria-label': 'Band around the mean' });
spreadSelect.append(element('option', { value: 'sd' }, 'band ± sd'), element('option', { value: 'minmax' }, 'band min–max'));
spreadSelect.value = options.spread ?? 'sd';
const groupLabel = element('span', { class: 'group-controls' });
groupLabel.append(seedsLabel, ' ', groupSelect, ' ', spreadSelect);
const layerLabel = element('label', {}, 'Layer ');
const layerSelect = element('select', { id: 'layer', 'aria-label': 'Layer for the diagnostics' });
layerLabel.append(layerSelect);
toolbar.append(logLabel, smoothLabel, groupLabel, layerLabel);

const runTable = element('table', { class: 'runs', 'aria-label': 'Runs' });
const empty = element('p', { class: 'empty' }, 'No runs yet. Run an experiment from the form, the palette (Plasticity: Run Experiment) or an experiment file.');
const mainGrid = element('div', { class: 'grid main' });
const layerGrid = element('div', { class: 'grid small' });
const summaryGrid = element('div', { class: 'grid main', id: 'summary' });
const scatterGrid = element('div', { class: 'grid main', id: 'parameter-scatter' });
const diffHeading = element('h2', {}, 'What differs');
const diffTable = element('table', { class: 'runs diff', 'aria-label': 'Config differences and final metrics' });
app.append(toolbar, empty, runTable, mainGrid, summaryGrid, scatterGrid, diffHeading, diffTable, element('h2', {}, 'Per-layer diagnostics'), layerGrid);

const charts = new Map<string, Chart<'line', XY[]>>();
/** `lineWithErrorBars` (chartjs-chart-error-bars) is a line chart whose points carry yMin and yMax. */
function makeChart(grid: HTMLElement, id: string, title: string, type: 'line' | 'lineWithErrorBars' = 'line'): void {
  const box = element('figure', { class: 'chart', id: `chart-${id}` });
  const canvas = element('canvas', { role: 'img', 'aria-label': title });
  box.append(element('figcaption', {}, title), canvas);
  grid.append(box);
  charts.set(
    id,
    new Chart(canvas, {
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
    }),
  );
}
MAIN_CHARTS.forEach((c) => makeChart(mainGrid, c.id, c.title));
makeChart(summaryGrid, 'sweepSummary', 'Sweep summary: final test accuracy (mean ± sd over seeds)', 'lineWithErrorBars');
LAYER_CHARTS.forEach((c) => makeChart(layerGrid, c.id, c.title));

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
/** Axis labels stay short when a run blows up (10T, not 10,000,000,000,000); else chart.js's own. */
function compactTick(this: unknown, value: unknown, index: number, ticks: Array<{ value: number }>): string {
  const v = Number(value);
  if (Math.abs(v) >= 1e15) return v.toExponential(0);
  if (Math.abs(v) >= 10_000) return compact.format(v);
  return String(Ticks.formatters.numeric.call(this as never, v, index, ticks as never));
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.001 && value !== 0) ? value.toExponential(3) : value.toPrecision(4);
}

// ---- rendering ------------------------------------------------------------------------------
function ordered(): DashboardRun[] {
  return [...runs.values()];
}

function names(): Map<string, string> {
  const list = ordered();
  const differing = differingFields(list.map((r) => r.fields));
  return new Map(list.map((r) => [r.key, legendName(r.fields, differing, r.label || r.name)]));
}

function colour(index: number): string {
  return theme.series[index % theme.series.length]!;
}

/** Solid for the first round of theme colours, then dashed, then dotted: more series than colours stay apart. */
function dash(index: number): number[] {
  return [[], [6, 3], [2, 3]][Math.floor(index / theme.series.length) % 3]!;
}

interface RowParts {
  row: HTMLTableRowElement;
  dot: HTMLSpanElement;
  name: HTMLTableCellElement;
  status: HTMLTableCellElement;
  progress: HTMLTableCellElement;
  accuracy: HTMLTableCellElement;
  speed: HTMLTableCellElement;
  stop: HTMLButtonElement;
  rerun: HTMLButtonElement;
  remove: HTMLButtonElement;
}
const rows = new Map<string, RowParts>();
const header = element('tr');
for (const h of ['', 'run', 'status', 'progress', 'final accuracy', 'speed', '']) header.append(element('th', { scope: 'col' }, h));
runTable.append(header);

/** One row per run, kept across updates: buttons must not be replaced under the pointer. */
function rowFor(key: string): RowParts {
  let parts = rows.get(key);
  if (parts) return parts;
  const row = element('tr');
  const dot = element('span', { class: 'swatch' });
  const swatch = element('td');
  swatch.append(dot);
  const cells = [element('td', { class: 'legend-name' }), element('td', { class: 'status' }), element('td'), element('td'), element('td')] as const;
  const actions = element('td', { class: 'actions' });
  const stop = element('button', { type: 'button' }, 'Stop');
  const rerun = element('button', { type: 'button' }, 'Rerun');
  const remove = element('button', { type: 'button', class: 'secondary' }, '✕');
  // The key is read at click time: a run is re-keyed when its folder is made.
  stop.addEventListener('click', () => post({ type: 'dashboard/stop', key: row.dataset.key! }));
  rerun.addEventListener('click', () => post({ type: 'dashboard/rerun', key: row.dataset.key! }));
  remove.addEventListener('click', () => post({ type: 'dashboard/remove', key: row.dataset.key! }));
  actions.append(stop, rerun, remove);
  row.append(swatch, ...cells, actions);
  parts = { row, dot, name: cells[0], status: cells[1], progress: cells[2], accuracy: cells[3], speed: cells[4], stop, rerun, remove };
  rows.set(key, parts);
  return parts;
}

function statusText(run: DashboardRun): string {
  if (!run.reason || run.state === 'completed') return run.state;
  if (run.state === 'diverged') return `diverged (${run.reason})`;
  return run.reason.startsWith(run.state) ? run.reason : `${run.state}: ${run.reason}`;
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function renderRunTable(): void {
  const list = ordered();
  empty.hidden = list.length > 0;
  runTable.hidden = list.length === 0;
  const legend = names();
  for (const [key, parts] of rows) {
    if (!runs.has(key)) {
      parts.row.remove();
      rows.delete(key);
    }
  }
  // In the seeds view a row takes its group's colour, so the table matches the bands.
  const groupOf = new Map<string, number>();
  if (options.overSeeds) {
    groupRuns(list.map((r) => ({ id: r.key, fields: r.fields, points: [] })), [groupOver()]).forEach((g, i) => g.members.forEach((m) => groupOf.set(m.id, i)));
  }
  list.forEach((run, index) => {
    const parts = rowFor(run.key);
    const name = legend.get(run.key) ?? run.key;
    parts.row.dataset.key = run.key;
    parts.row.dataset.state = run.state;
    parts.dot.style.backgroundColor = colour(groupOf.get(run.key) ?? index);
    const last = run.points[run.points.length - 1];
    const status = statusText(run);
    setText(parts.name, name);
    setText(parts.status, status);
    setText(parts.progress, run.totalSteps > 0 ? `${run.step.toLocaleString()} / ${run.totalSteps.toLocaleString()}` : '');
    setText(parts.accuracy, last ? `${(100 * last.testAccuracy).toFixed(2)}%` : '—');
    setText(parts.speed, run.stepsPerSec ? `${Math.round(run.stepsPerSec).toLocaleString()} steps/s${run.backend ? ` · ${run.backend}` : ''}` : '');
    const active = run.state === 'running' || run.state === 'queued';
    parts.stop.disabled = !active;
    // A cancelled or rejected run never made a folder: there is nothing to run again.
    parts.rerun.disabled = active || run.state === 'cancelled' || run.state === 'rejected';
    parts.stop.setAttribute('aria-label', `Stop ${name}`);
    parts.rerun.setAttribute('aria-label', `Rerun ${name}`);
    parts.remove.setAttribute('aria-label', `Remove ${name} from the dashboard`);
    if (runTable.rows[index + 1] !== parts.row) runTable.insertBefore(parts.row, runTable.rows[index + 1] ?? null);
  });
}

/** Compare view: each run's values of the fields that differ, beside its final numbers. */
function renderDiffTable(): void {
  const list = ordered();
  const differing = differingFields(list.map((r) => r.fields));
  diffHeading.hidden = diffTable.hidden = list.length < 2 || differing.length === 0;
  if (diffTable.hidden) return;
  const legend = names();
  const head = element('tr');
  for (const h of ['run', ...differing, 'status', 'final test accuracy', 'final test loss']) head.append(element('th', { scope: 'col' }, h));
  const rowsOut = list.map((run) => {
    const last = run.points[run.points.length - 1];
    const row = element('tr');
    const cells = [legend.get(run.key) ?? run.key, ...differing.map((k) => (run.fields[k] === undefined ? '—' : shownValue(run.fields[k]))), run.state, last ? `${(100 * last.testAccuracy).toFixed(2)}%` : '—', last ? last.testLoss.toFixed(4) : '—'];
    for (const text of cells) row.append(element('td', {}, text));
    return row;
  });
  diffTable.replaceChildren(head, ...rowsOut);
}

/**
 * Final test accuracy against the swept parameter, when exactly one field besides the seed differs
 * (a number, a layer list, the feedback kind…): the mean over the seeds at each value, with ±1 sd
 * error bars.
 */
function renderSweepSummary(): void {
  const results = finalResults();
  const all = sweptFields(results);
  const field = all.length === 1 ? all[0]! : null;
  const chart = charts.get('sweepSummary')!;
  const figure = document.getElementById('chart-sweepSummary')!;
  const stats = field === null ? [] : sweepSummary(results, field);
  figure.hidden = stats.length < 2;
  if (figure.hidden || field === null) return;
  const axis = fieldAxis(results, field);
  const line = colour(0);
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
  placeParameterAxis(chart, axis, field);
  chart.options.parsing = true as never; // the error-bar controller reads yMin/yMax as it parses
  (chart.options.scales!.y as { ticks?: object }).ticks = { callback: percentTick };
  chart.options.plugins!.tooltip!.callbacks!.label = (c) => {
    const p = stats[c.dataIndex]!;
    return `${field.split('.').pop()}=${axis.place(p.value)}: ${percent(p.mean)} ± ${(100 * p.sd).toFixed(2)} (${p.n} run${p.n === 1 ? '' : 's'})`;
  };
  annotate('sweepSummary', chart);
  const caption = figure.querySelector('figcaption')?.textContent ?? '';
  figure.querySelector('canvas')!.setAttribute('aria-label', `${caption}. ${stats.map((p) => `${field}=${axis.place(p.value)}: ${percent(p.mean)} ± ${(100 * p.sd).toFixed(2)} over ${p.n}`).join('; ')}`);
  chart.update('none');
  recordAxisLabels(figure, chart);
}

/** The parameter axis's tick labels as drawn, on the figure (what tests and curious users can read). */
function recordAxisLabels(figure: HTMLElement, chart: Chart<'line', XY[]>): void {
  figure.dataset.xTicks = (chart.scales.x?.ticks ?? []).map((t) => String(t.label)).join(' ');
}

/** Accuracy axes: a fraction as a whole percentage. */
function percentTick(value: unknown): string {
  return `${(100 * Number(value)).toFixed(0)}%`;
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}

/** A swept parameter's axis: linear, logarithmic, or its values evenly spaced (see parameterAxis). */
function placeParameterAxis(chart: Chart<'line', XY[]>, axis: ParameterAxis, field: string): void {
  const scales = chart.options.scales!;
  chart.data.labels = axis.labels;
  // Built afresh: the old axis's ticks hold the linear number formatter (applyTheme copies resolved
  // ticks), which would label a category axis 0, 1, 2, … instead of its values.
  scales.x = {
    type: axis.type,
    offset: axis.type === 'category',
    ...(axis.suggested ? { suggestedMin: axis.suggested.min, suggestedMax: axis.suggested.max } : {}),
    title: { display: true, text: axis.type === 'category' ? `${field} (evenly spaced)` : field },
    grid: { color: theme.grid },
    ticks: { color: theme.muted },
  } as typeof scales.x;
}

/** Each run with points: its flattened config and final test accuracy. */
function finalResults(): RunResult[] {
  return ordered()
    .filter((r) => r.points.length > 0)
    .map((r) => ({ fields: r.fields, finalAccuracy: r.points[r.points.length - 1]!.testAccuracy }));
}

/**
 * More than one field swept: one scatter per swept field (final test accuracy against its value, a
 * point per run), with a series per combination of the other swept fields' values.
 */
let scatterFields: string[] = [];
function renderParameterScatter(): void {
  const results = finalResults();
  const swept = sweptFields(results);
  const fields = swept.length >= 2 ? swept : [];
  if (fields.join('|') !== scatterFields.join('|')) {
    for (const field of scatterFields) {
      charts.get(`scatter-${field}`)?.destroy();
      charts.delete(`scatter-${field}`);
    }
    scatterGrid.replaceChildren();
    fields.forEach((field) => makeChart(scatterGrid, `scatter-${field}`, `Final test accuracy against ${field}`));
    scatterFields = fields;
    applyTheme();
  }
  scatterGrid.hidden = fields.length === 0;
  for (const field of fields) {
    const chart = charts.get(`scatter-${field}`)!;
    const groups = parameterScatter(results, field, swept);
    const axis = fieldAxis(results, field);
    chart.data.datasets = groups.map((group, index) => ({
      label: group.label,
      data: group.points.map((p) => ({ x: axis.place(p.x), y: p.y })) as unknown as XY[],
      showLine: false,
      pointRadius: 4,
      borderColor: colour(index),
      backgroundColor: colour(index),
    }));
    placeParameterAxis(chart, axis, field);
    chart.options.parsing = true as never; // category positions are labels, which chart.js maps as it parses
    const scales = chart.options.scales!;
    (scales.y as { ticks?: object }).ticks = { ...((scales.y as { ticks?: object }).ticks ?? {}), callback: percentTick };
    chart.options.plugins!.legend = { display: groups.length > 1, labels: { color: theme.foreground } };
    chart.options.interaction = { mode: 'nearest', intersect: true };
    chart.options.plugins!.tooltip!.callbacks!.label = (c) => `${c.dataset.label}: ${field.split('.').pop()}=${(c.raw as { x: unknown }).x} → ${percent((c.raw as XY).y)}`;
    annotate(`scatter-${field}`, chart);
    chart.update('none');
    recordAxisLabels(document.getElementById(`chart-scatter-${field}`)!, chart);
  }
}

/** The field runs are averaged over: the seed, or another field that differs between the runs. */
function groupOver(): string {
  return options.groupOver ?? 'seed';
}

function renderGroupSelect(): void {
  const choices = ['seed', ...differingFields(ordered().map((r) => r.fields)).filter((f) => f !== 'seed')];
  if ([...groupSelect.options].map((o) => o.value).join('|') !== choices.join('|')) {
    groupSelect.replaceChildren(...choices.map((field) => element('option', { value: field }, field === 'seed' ? 'seeds' : field)));
  }
  if (!choices.includes(groupOver())) options.groupOver = 'seed';
  groupSelect.value = groupOver();
  groupSelect.disabled = spreadSelect.disabled = !options.overSeeds;
}

function renderLayerSelect(): void {
  const layers = Math.max(0, ...ordered().flatMap((r) => r.points.map((p) => p.layers.length)));
  if (layerSelect.options.length === layers) return;
  layerSelect.replaceChildren(...Array.from({ length: layers }, (_, l) => element('option', { value: String(l) }, `${l + 1}${l === layers - 1 ? ' (output)' : ''}`)));
  options.layer = Math.min(options.layer, Math.max(0, layers - 1));
  layerSelect.value = String(options.layer);
}

/** rgba() of a theme colour (#rrggbb or rgb()) at `alpha`, for band fills. */
function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${alpha})`;
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(colour);
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : colour;
}

/** Per group: the band's lower edge, its upper edge (filled down to the lower) and the mean. */
function bandDatasets(metric: MetricOf): ChartDataset<'line', XY[]>[] {
  const groups = groupRuns(ordered().map((run) => ({ id: run.key, fields: run.fields, points: run.points })), [groupOver()]);
  const minMax = options.spread === 'minmax';
  return groups.flatMap((group, index) => {
    const stats = bands(group.members, metric);
    const name = Object.entries(group.key).map(([k, v]) => `${k.split('.').pop()}=${shownValue(v)}`).join(' ') || 'all runs';
    const label = `${name} (mean of ${group.members.length})`;
    const line = colour(index);
    const edge = (upper: boolean) =>
      decimate(stats.map((b) => ({ x: b.step, y: minMax ? (upper ? b.max : b.min) : b.mean + (upper ? b.sd : -b.sd) })), maxPoints);
    return [
      { label: `${label} ${minMax ? 'min' : '− sd'}`, data: edge(false), borderColor: 'transparent', pointRadius: 0, fill: false },
      { label: `${label} ${minMax ? 'max' : '+ sd'}`, data: edge(true), borderColor: 'transparent', backgroundColor: withAlpha(line, 0.2), pointRadius: 0, fill: '-1' },
      { label, data: decimate(stats.map((b) => ({ x: b.step, y: b.mean })), maxPoints), borderColor: line, backgroundColor: line, borderDash: dash(index), fill: false },
    ];
  });
}

function datasetsFor(metric: MetricOf, smoothable: boolean): ChartDataset<'line', XY[]>[] {
  if (options.overSeeds) return bandDatasets(metric);
  const legend = names();
  return ordered().map((run, index) => {
    let data: XY[] = run.points.flatMap((p, index, points) => {
      const y = metric(p, index, points);
      return y === null || y === undefined ? [] : [{ x: p.step, y }];
    });
    if (smoothable) data = smooth(data, options.smoothing);
    data = decimate(data, maxPoints);
    return { label: legend.get(run.key) ?? run.key, data, borderColor: colour(index), backgroundColor: colour(index), borderDash: dash(index) };
  });
}

function renderCharts(): void {
  for (const spec of MAIN_CHARTS) {
    const chart = charts.get(spec.id)!;
    chart.data.datasets = datasetsFor(spec.metric, spec.smoothable);
    const y = chart.options.scales!.y!;
    y.type = spec.loss && options.logScale ? 'logarithmic' : 'linear';
    (y as { ticks?: object }).ticks = { callback: spec.percent ? percentTick : compactTick };
    annotate(spec.id, chart);
  }
  for (const spec of LAYER_CHARTS) {
    const chart = charts.get(spec.id)!;
    chart.data.datasets = datasetsFor((p) => (p.layers[options.layer]?.[spec.id] as number | null | undefined) ?? null, false);
    (chart.options.scales!.y as { ticks?: object }).ticks = { callback: compactTick };
    document.getElementById(`chart-${spec.id}`)!.hidden = chart.data.datasets.every((d) => d.data.length === 0) && spec.id === 'alignmentAngle';
    annotate(spec.id, chart);
  }
  applyTheme();
}

/**
 * Series and point counts on each figure, what a reader (or a test) can check without pixels; and
 * for screen readers (a canvas says nothing), each series' latest value in the canvas's label.
 */
function annotate(id: string, chart: Chart<'line', XY[]>): void {
  const figure = document.getElementById(`chart-${id}`)!;
  figure.dataset.series = String(chart.data.datasets.length);
  figure.dataset.points = String(chart.data.datasets.reduce((s, d) => s + d.data.length, 0));
  const latest = chart.data.datasets
    .filter((d) => d.data.length > 0)
    .slice(0, 24)
    .map((d) => `${d.label}: ${formatNumber(d.data[d.data.length - 1]!.y)}`);
  const title = figure.querySelector('figcaption')?.textContent ?? id;
  figure.querySelector('canvas')!.setAttribute('aria-label', latest.length > 0 ? `${title}. Latest: ${latest.join('; ')}` : title);
}

function applyTheme(): void {
  Chart.defaults.color = theme.foreground;
  for (const chart of charts.values()) {
    for (const axis of Object.values(chart.options.scales ?? {})) {
      if (!axis) continue;
      (axis as { grid?: object }).grid = { color: theme.grid };
      (axis as { ticks?: { color?: string } }).ticks = { ...((axis as { ticks?: object }).ticks ?? {}), color: theme.muted };
    }
    chart.update('none');
  }
}

let frame = 0;
function renderSoon(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderGroupSelect();
    renderRunTable();
    renderDiffTable();
    renderSweepSummary();
    renderParameterScatter();
    renderLayerSelect();
    renderCharts();
    api.setState({ options });
  });
}

// ---- events ---------------------------------------------------------------------------------
logBox.addEventListener('change', () => {
  options.logScale = logBox.checked;
  renderSoon();
});
groupSelect.addEventListener('change', () => {
  options.groupOver = groupSelect.value;
  renderSoon();
});
spreadSelect.addEventListener('change', () => {
  options.spread = spreadSelect.value === 'minmax' ? 'minmax' : 'sd';
  renderSoon();
});
seedsBox.addEventListener('change', () => {
  options.overSeeds = seedsBox.checked;
  renderSoon();
});
smoothRange.addEventListener('input', () => {
  options.smoothing = Number(smoothRange.value);
  renderSoon();
});
layerSelect.addEventListener('change', () => {
  options.layer = Number(layerSelect.value);
  renderSoon();
});
watchTheme((next) => {
  theme = next;
  renderSoon();
});

window.addEventListener('message', (event: MessageEvent<HostToDashboard>) => {
  const message = event.data;
  switch (message?.type) {
    case 'host/snapshot':
      maxPoints = message.maxPoints;
      runs.clear();
      for (const run of message.runs) runs.set(run.key, run);
      break;
    case 'host/runUpdated': {
      const existing = runs.get(message.run.key);
      runs.set(message.run.key, { ...message.run, points: existing?.points ?? [] });
      break;
    }
    case 'host/points': {
      const run = runs.get(message.key);
      if (run) run.points.push(...message.points);
      break;
    }
    case 'host/rekey': {
      const row = rows.get(message.from);
      if (row) {
        rows.delete(message.from);
        rows.set(message.to, row);
      }
      // Same place in the order, so the run keeps its colour.
      const entries = [...runs.entries()].map(([key, run]): [string, DashboardRun] => (key === message.from ? [message.to, { ...run, key: message.to }] : [key, run]));
      runs.clear();
      for (const [key, run] of entries) runs.set(key, run);
      break;
    }
    default:
      return;
  }
  renderSoon();
});

post({ type: 'dashboard/ready' });
