/** The compare view ("What differs"): each run's values of the fields that differ, beside its final numbers. */
import { element } from '../shared/dom';
import { differingFields, shownValue } from '../../src/shared/configDiff';
import type { DashboardView, RenderContext } from './view';
import { percent } from './format';
import { finalMetrics } from '../../src/shared/finalMetrics';

export class DiffTable implements DashboardView {
  readonly elements: HTMLElement[];
  private readonly heading = element('h2', {}, 'What differs');
  private readonly table = element('table', { class: 'runs diff', 'aria-label': 'Config differences and final metrics' });

  constructor() {
    this.elements = [this.heading, this.table];
  }

  render({ model, names }: RenderContext): void {
    const list = model.ordered();
    const differing = differingFields(list.map((r) => r.fields));
    this.heading.hidden = this.table.hidden = list.length < 2 || differing.length === 0;
    if (this.table.hidden) return;
    const head = element('tr');
    for (const h of ['run', ...differing, 'status', 'final test accuracy', 'final test loss']) head.append(element('th', { scope: 'col' }, h));
    const rows = list.map((run) => {
      // A diverged run has no final numbers; its status says where it stopped.
      const last = run.state === 'diverged' ? undefined : finalMetrics(run.points);
      const row = element('tr');
      const cells = [names.get(run.key) ?? run.key, ...differing.map((k) => (run.fields[k] === undefined ? '—' : shownValue(run.fields[k]))), run.state, last ? percent(last.testAccuracy) : '—', last ? last.testLoss.toFixed(4) : '—'];
      for (const text of cells) row.append(element('td', {}, text));
      return row;
    });
    this.table.replaceChildren(head, ...rows);
  }
}
