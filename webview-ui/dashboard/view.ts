/**
 * What a room of the dashboard is: a few elements in the page and a render from the model. A new
 * view (a report, memory curves…) implements this and is added to main.ts's list; no other view
 * changes.
 */
import type { ThemeColors } from '../shared/theme';
import type { DashboardToHost } from '../../src/protocol/hostDashboard';
import type { DashboardModel } from './state';
import type { Palette } from './palette';

export interface RenderContext {
  model: DashboardModel;
  theme: ThemeColors;
  palette: Palette;
  /** Legend names, computed once per frame for every view. */
  names: Map<string, string>;
}

export interface DashboardView {
  /** The view's elements, in page order. */
  readonly elements: HTMLElement[];
  render(context: RenderContext): void;
}

/** What views may do besides drawing: tell the host, or ask for a redraw after a user's change. */
export interface ViewActions {
  post(message: DashboardToHost): void;
  renderSoon(): void;
}
