/**
 * The dashboard webview: live curves of the runs the host sends. It keeps no truth of its own: on
 * load it asks for a snapshot, and it redraws from whatever the host sends next. This file only
 * wires the rooms together: the model (state.ts) and the views, each in its own module.
 */
import type { DashboardToHost, HostToDashboard } from '../../src/protocol/hostDashboard';
import { vscodeApi } from '../shared/vscodeApi';
import { readTheme, watchTheme } from '../shared/theme';
import { DashboardModel, DEFAULT_OPTIONS, type ViewOptions } from './state';
import { Palette, readableSeries } from './palette';
import { Toolbar } from './toolbar';
import { RunTable } from './runTable';
import { DiffTable } from './diffTable';
import { LayerCurves, MainCurves } from './curves';
import { MemoryCurves } from './memoryCurves';
import { ParameterScatterView, SweepSummaryView } from './sweepViews';
import type { DashboardView, ViewActions } from './view';

/** View options only: which runs are shown is the host's to remember. */
interface SavedState {
  options: ViewOptions;
}

const api = vscodeApi<SavedState>();
const model = new DashboardModel(api.getState()?.options ?? { ...DEFAULT_OPTIONS });
let theme = readTheme();

const actions: ViewActions = {
  post: (message: DashboardToHost) => api.postMessage(message),
  renderSoon,
};
const runTable = new RunTable(actions);
/** In page order; each renders from the model alone. */
const views: DashboardView[] = [new Toolbar(model.options, actions), runTable, new MainCurves(), new MemoryCurves(), new SweepSummaryView(), new ParameterScatterView(), new DiffTable(), new LayerCurves()];
document.getElementById('app')!.append(...views.flatMap((view) => view.elements));

let frame = 0;
let lastRender = 0;
function renderSoon(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    lastRender = performance.now();
    const context = { model, theme, palette: new Palette(readableSeries(theme.series, theme.background)), names: model.legendNames() };
    for (const view of views) view.render(context);
    api.setState({ options: model.options });
  });
}

/**
 * Streamed points redraw at most every STREAMED_RENDER_MS: a fast run (a meta-episode every 15 ms)
 * would otherwise redraw every chart on every frame and keep the editor busy. Everything else (a
 * snapshot, a run's state, the user's own changes) redraws on the next frame.
 */
const STREAMED_RENDER_MS = 250;
let streamedTimer: ReturnType<typeof setTimeout> | undefined;
function renderStreamed(): void {
  if (frame || streamedTimer) return;
  const wait = lastRender + STREAMED_RENDER_MS - performance.now();
  if (wait <= 0) return renderSoon();
  streamedTimer = setTimeout(() => {
    streamedTimer = undefined;
    renderSoon();
  }, wait);
}

watchTheme((next) => {
  theme = next;
  renderSoon();
});

window.addEventListener('message', (event: MessageEvent<HostToDashboard>) => {
  const message = event.data;
  if (message?.type === 'host/rekey') runTable.rekey(message.from, message.to);
  if (model.apply(message)) (message.type === 'host/points' ? renderStreamed : renderSoon)();
});

actions.post({ type: 'dashboard/ready' });
