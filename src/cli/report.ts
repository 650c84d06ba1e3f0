/** The comparison table printed after a set of runs. */
import Table from 'cli-table3';
import type { RunSummary } from '../runFiles/summary';
import { meanAndSd } from '../shared/aggregate';
import { finalHeadline } from '../shared/finalMetrics';

const percent = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(2)}%`);
const fixed = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

export function comparisonTable(summaries: RunSummary[]): string {
  const table = new Table({
    head: ['run', 'status', 'test acc', 'test loss', 'train loss', '‖W_l‖_F per layer', 'time', 'steps/s', 'backend'],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    const unit = s.episodes ? 'episode' : 'step';
    const status = s.status === 'diverged' && s.divergedAtStep !== undefined ? `diverged at ${unit} ${s.divergedAtStep}` : s.status;
    table.push([
      s.label || s.name,
      status,
      // A few-shot run's final numbers are means over its episodes, on their query samples.
      s.episodes ? `${percent(s.final?.testAccuracy)} (query, ${s.episodes.count} episodes)` : s.final ? finalHeadline(s.final, 2) : '—',
      fixed(s.final?.testLoss),
      fixed(s.final?.trainLoss),
      s.weightNorms.map((n) => fixed(n, 2)).join(' '),
      `${s.timing.wallSec.toFixed(1)}s`,
      `${Math.round(s.timing.stepsPerSec).toLocaleString('en-US')}${s.episodes ? ' episodes' : ''}`,
      `${s.backend}/${s.executor}`,
    ]);
  }
  return table.toString();
}

/** The rule the seed table states: what a mean is taken over. */
export const DIVERGENCE_RULE = 'means are over the runs that did not diverge; a diverged run has no final accuracy and is counted in "diverged"';

/** Groups sweep members that differ only in their seed; returns "" when no group has two members. */
export function seedAggregateTable(summaries: RunSummary[]): string {
  const groups = new Map<string, RunSummary[]>();
  for (const s of summaries) {
    const key = s.label.replace(/(^| )seed=\S+/g, '').trim() || s.name;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  if (![...groups.values()].some((g) => g.length > 1)) return '';
  const allCapacity = summaries.every((s) => s.final?.memoryCapacity !== undefined || s.status === 'diverged');
  const table = new Table({ head: ['group (over seeds)', 'runs', 'completed', 'diverged', allCapacity ? 'MC mean ± sd' : 'test acc mean ± sd', 'min', 'max'], style: { head: [], border: [] } });
  for (const [key, runs] of groups) {
    // Memory-capacity runs are told by MC (Σ r²_k), the others by accuracy.
    const capacity = runs.every((r) => r.final?.memoryCapacity !== undefined || r.status === 'diverged');
    const finalOf = (r: RunSummary) => (capacity ? r.final?.memoryCapacity : r.final?.testAccuracy);
    const values = runs.flatMap((r) => (r.status !== 'diverged' && Number.isFinite(finalOf(r)) ? [finalOf(r)!] : []));
    const { mean, sd } = meanAndSd(values);
    const shown = (x: number) => (capacity ? `MC ${x.toFixed(2)}` : percent(x));
    table.push([
      key,
      runs.length,
      runs.filter((r) => r.status === 'completed').length,
      runs.filter((r) => r.status === 'diverged').length,
      values.length ? `${shown(mean)} ± ${capacity ? sd.toFixed(2) : (100 * sd).toFixed(2)}` : '—',
      values.length ? shown(Math.min(...values)) : '—',
      values.length ? shown(Math.max(...values)) : '—',
    ]);
  }
  const diverged = summaries.some((s) => s.status === 'diverged');
  return `${table.toString()}${diverged ? `\n${DIVERGENCE_RULE}` : ''}`;
}
