/** The run table: a row per run with its colour, status, progress, final accuracy, speed and actions. */
import { element } from '../shared/dom';
import { groupRuns } from '../../src/shared/aggregate';
import type { DashboardRun } from '../../src/protocol/hostDashboard';
import { isActive } from '../../src/protocol/runState';
import type { DashboardView, RenderContext, ViewActions } from './view';
import { finalHeadline, finalMetrics, isEpisodic } from '../../src/shared/finalMetrics';

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

export function statusText(run: Pick<DashboardRun, 'state' | 'reason'>): string {
  if (!run.reason || run.state === 'completed') return run.state;
  if (run.state === 'diverged') return `diverged (${run.reason})`;
  return run.reason.startsWith(run.state) ? run.reason : `${run.state}: ${run.reason}`;
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export class RunTable implements DashboardView {
  readonly elements: HTMLElement[];
  private readonly table = element('table', { class: 'runs', 'aria-label': 'Runs' });
  private readonly empty = element('p', { class: 'empty' }, 'No runs yet. Run an experiment from the form, the palette (Plasticity: Run Experiment) or an experiment file.');
  private readonly rows = new Map<string, RowParts>();

  constructor(private readonly actions: ViewActions) {
    const header = element('tr');
    for (const h of ['', 'run', 'status', 'progress', 'final accuracy', 'speed', '']) header.append(element('th', { scope: 'col' }, h));
    this.table.append(header);
    this.elements = [this.empty, this.table];
  }

  /** A run was re-keyed (its folder was made): its row, with the buttons under the pointer, goes with it. */
  rekey(from: string, to: string): void {
    const row = this.rows.get(from);
    if (!row) return;
    this.rows.delete(from);
    this.rows.set(to, row);
  }

  render({ model, palette, names }: RenderContext): void {
    const list = model.ordered();
    this.empty.hidden = list.length > 0;
    this.table.hidden = list.length === 0;
    for (const [key, parts] of this.rows) {
      if (!model.has(key)) {
        parts.row.remove();
        this.rows.delete(key);
      }
    }
    // In the seeds view a row takes its group's colour, so the table matches the bands.
    const groupOf = new Map<string, number>();
    if (model.options.overSeeds) {
      groupRuns(list.map((r) => ({ id: r.key, fields: r.fields, points: [] })), [model.groupOver()]).forEach((g, i) => g.members.forEach((m) => groupOf.set(m.id, i)));
    }
    list.forEach((run, index) => {
      const parts = this.rowFor(run.key);
      const name = names.get(run.key) ?? run.key;
      parts.row.dataset.key = run.key;
      parts.row.dataset.state = run.state;
      parts.dot.style.backgroundColor = palette.colour(groupOf.get(run.key) ?? index);
      const last = finalMetrics(run.points);
      setText(parts.name, name);
      setText(parts.status, statusText(run));
      setText(parts.progress, run.totalSteps > 0 ? `${run.step.toLocaleString()} / ${run.totalSteps.toLocaleString()}` : '');
      const capacity = run.points[run.points.length - 1]?.memory?.capacity;
      setText(parts.accuracy, !last || run.state === 'diverged' ? '—' : finalHeadline({ testAccuracy: last.testAccuracy, ...(capacity !== undefined ? { memoryCapacity: capacity } : {}) }, 2));
      const unit = isEpisodic(run.points) ? 'episodes/s' : 'steps/s';
      setText(parts.speed, run.stepsPerSec ? `${Math.round(run.stepsPerSec).toLocaleString()} ${unit}${run.backend ? ` · ${run.backend}` : ''}` : '');
      const active = isActive(run.state);
      parts.stop.disabled = !active;
      // A cancelled or rejected run never made a folder: there is nothing to run again.
      parts.rerun.disabled = active || run.state === 'cancelled' || run.state === 'rejected';
      parts.stop.setAttribute('aria-label', `Stop ${name}`);
      parts.rerun.setAttribute('aria-label', `Rerun ${name}`);
      parts.remove.setAttribute('aria-label', `Remove ${name} from the dashboard`);
      if (this.table.rows[index + 1] !== parts.row) this.table.insertBefore(parts.row, this.table.rows[index + 1] ?? null);
    });
  }

  /** One row per run, kept across updates: buttons must not be replaced under the pointer. */
  private rowFor(key: string): RowParts {
    let parts = this.rows.get(key);
    if (parts) return parts;
    const row = element('tr');
    const dot = element('span', { class: 'swatch' });
    const swatch = element('td');
    swatch.append(dot);
    const cells = [element('td', { class: 'legend-name' }), element('td', { class: 'status' }), element('td'), element('td'), element('td')] as const;
    const actionCell = element('td', { class: 'actions' });
    const stop = element('button', { type: 'button' }, 'Stop');
    const rerun = element('button', { type: 'button' }, 'Rerun');
    const remove = element('button', { type: 'button', class: 'secondary' }, '✕');
    // The key is read at click time: a run is re-keyed when its folder is made.
    stop.addEventListener('click', () => this.actions.post({ type: 'dashboard/stop', key: row.dataset.key! }));
    rerun.addEventListener('click', () => this.actions.post({ type: 'dashboard/rerun', key: row.dataset.key! }));
    remove.addEventListener('click', () => this.actions.post({ type: 'dashboard/remove', key: row.dataset.key! }));
    actionCell.append(stop, rerun, remove);
    row.append(swatch, ...cells, actionCell);
    parts = { row, dot, name: cells[0], status: cells[1], progress: cells[2], accuracy: cells[3], speed: cells[4], stop, rerun, remove };
    this.rows.set(key, parts);
    return parts;
  }
}
