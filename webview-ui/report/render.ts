/** The Paper report drawn from the host's view of it: a summary table, a section per claim, the trick table. */
import type { PaperReportView, ReportAction } from '../../src/protocol/hostReport';
import { METRICS, type ClaimResult } from '../../src/reproduce/results';
import { claimChart, VERDICT_CLASS } from '../../src/reproduce/claimChart';
import { accuracyCell, recoveredCell, shown, side, valuesNote } from '../../src/reproduce/format';
import { element } from '../shared/dom';

export type Act = (action: ReportAction, id: string) => void;

function badge(result: ClaimResult | null): HTMLElement {
  return result ? element('span', { class: `verdict ${VERDICT_CLASS[result.verdict]}` }, result.verdict) : element('span', { class: 'verdict pending' }, 'running…');
}

function actionButtons(id: string, enabled: boolean, act: Act, what: string): HTMLElement {
  const row = element('div', { class: 'actions' });
  for (const [action, label, title] of [
    ['openRuns', 'Open these runs', `The runs behind ${what}, in the dashboard`],
    ['openExperiment', 'Open as experiment', `${what} as an experiment file to tweak and rerun`],
  ] as const) {
    const button = element('button', { id: `${action}-${id}`, type: 'button', title, class: action === 'openRuns' ? '' : 'secondary' }, label);
    button.disabled = !enabled;
    button.addEventListener('click', () => act(action, id));
    row.append(button);
  }
  return row;
}

function header(view: PaperReportView, openHtml: () => void): HTMLElement {
  const head = element('header');
  head.append(element('h1', {}, 'Reproduction of arXiv 2408.08408'));
  const meta = [`${view.mode === 'full' ? 'Full' : 'Quick'} reproduction`, `on ${view.data}`, `seeds ${view.seeds.join(', ')}`];
  if (view.steps) meta.push(`each run capped at ${view.steps} steps (a smoke test, not a result)`);
  head.append(element('p', { class: 'meta' }, `${meta.join(' · ')}. Folder: ${view.folder}`));
  const status = element('p', { class: 'status', 'data-status': view.status, role: 'status' });
  if (view.status === 'running' && view.progress) {
    status.append(`Running: ${view.progress.ended} of ${view.progress.total} runs ended. `);
    const bar = element('progress', { max: String(view.progress.total), value: String(view.progress.ended), 'aria-label': 'runs ended' });
    status.append(bar);
  } else if (view.status === 'completed') status.textContent = `Finished${view.wallSec !== null ? ` in ${Math.round(view.wallSec)} s` : ''}.`;
  else status.textContent = `${view.status === 'cancelled' ? 'Cancelled' : 'Failed'}${view.reason ? `: ${view.reason}` : ''}`;
  head.append(status);
  if (view.status !== 'running') {
    const button = element('button', { id: 'open-html', type: 'button', class: 'secondary', title: 'The self-contained report.html, in your browser' }, 'Open report.html');
    button.addEventListener('click', openHtml);
    head.append(button);
  }
  return head;
}

function summary(view: PaperReportView): HTMLElement {
  const table = element('table', { class: 'verdicts' });
  const head = element('tr');
  for (const h of ['claim', 'verdict', 'baseline (mean ± sd)', 'compared with']) head.append(element('th', { scope: 'col' }, h));
  table.append(element('thead'), element('tbody'));
  table.tHead!.append(head);
  for (const claim of view.claims) {
    const row = element('tr', { 'data-claim': claim.id });
    const link = element('a', { href: `#claim-${claim.id}` }, claim.title);
    const cells = [element('td'), element('td'), element('td', {}, claim.result ? side(claim.result, 'baseline') : '—'), element('td', {}, claim.result ? side(claim.result, 'treatment') : '—')];
    cells[0]!.append(link);
    cells[1]!.append(badge(claim.result));
    row.append(...cells);
    table.tBodies[0]!.append(row);
  }
  return table;
}

function claimSection(item: PaperReportView['claims'][number], act: Act): HTMLElement {
  const section = element('section', { class: 'claim', id: `claim-${item.id}`, 'data-verdict': item.result?.verdict ?? 'pending' });
  const title = element('h2', {}, `${item.title} `);
  title.append(badge(item.result));
  section.append(title);
  const result = item.result;
  if (!result) {
    section.append(element('p', { class: 'pending' }, 'Waiting for its runs.'));
    return section;
  }
  section.append(element('p', { class: 'statement' }, result.statement));
  const numbers = element('ul', { class: 'numbers' });
  const values = (list: number[]) => (list.length ? list.map((v) => shown(result.metric, v)).join(', ') : '—');
  numbers.append(
    element('li', {}, `${side(result, 'baseline')} — per seed: ${values(result.baselineValues)}`),
    element('li', {}, `${side(result, 'treatment')} — per seed: ${values(result.treatmentValues)}`),
    element('li', {}, `Effect in the claimed direction (${result.direction} is better): ${shown(result.metric, result.effect)}, standard error ${shown(result.metric, result.standardError)}, margin ${shown(result.metric, result.margin)}.`),
  );
  section.append(numbers);
  const figure = element('figure');
  // The SVG comes from claimChart, which escapes every text it writes.
  figure.innerHTML = claimChart(result);
  figure.append(element('figcaption', {}, `${METRICS[result.metric].label}${valuesNote(result)}: a dot per seed (hollow: diverged), the bar at the mean, the whisker ±1 sd.`));
  section.append(figure, actionButtons(item.id, item.hasRuns, act, `"${item.title}"`));
  return section;
}

function trickSection(view: PaperReportView, act: Act): HTMLElement | null {
  if (view.tricks.length === 0) return null;
  const section = element('section', { id: 'tricks' });
  section.append(element('h2', {}, "Does Oja's rule replace the trick?"));
  const table = element('table', { class: 'tricks' });
  const head = element('tr');
  for (const h of ['trick', 'where it matters', 'backprop without', 'backprop with', 'backprop + Oja without', "Oja's share", '']) head.append(element('th', { scope: 'col' }, h));
  table.append(element('thead'), element('tbody'));
  table.tHead!.append(head);
  for (const item of view.tricks) {
    const r = item.result;
    const row = element('tr', { 'data-trick': item.id });
    row.append(
      element('td', {}, item.trick),
      element('td', {}, item.setting),
      element('td', {}, r ? accuracyCell(r.columns.without) : '…'),
      element('td', {}, r ? accuracyCell(r.columns.with) : '…'),
      element('td', {}, r ? accuracyCell(r.columns.oja) : '…'),
      element('td', { class: 'share' }, r ? recoveredCell(r) : 'running…'),
    );
    const actions = element('td');
    if (r) actions.append(actionButtons(item.id, item.hasRuns, act, `the ${item.trick} row`));
    row.append(actions);
    table.tBodies[0]!.append(row);
  }
  section.append(table, element('p', { class: 'rule' }, `Final test accuracy, mean ± sd over the seeds. ${view.recoveryRule}`));
  return section;
}

export function renderReport(root: HTMLElement, view: PaperReportView, act: Act, openHtml: () => void): void {
  const tricks = trickSection(view, act);
  root.replaceChildren(
    header(view, openHtml),
    summary(view),
    element('p', { class: 'rule' }, `How verdicts are decided: ${view.rule}`),
    ...(tricks ? [tricks] : []),
    ...view.claims.map((claim) => claimSection(claim, act)),
  );
}
