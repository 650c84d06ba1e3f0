/** The comparison table printed after a set of runs. */
import Table from 'cli-table3';
import type { RunSummary } from '../engine/run/summary';

const percent = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(2)}%`);
const fixed = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

export function comparisonTable(summaries: RunSummary[]): string {
  const table = new Table({
    head: ['run', 'status', 'test acc', 'test loss', 'train loss', '‖W_l‖_F per layer', 'time', 'steps/s', 'backend'],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    const status = s.status === 'diverged' && s.divergedAtStep !== undefined ? `diverged @${s.divergedAtStep}` : s.status;
    table.push([
      s.label || s.name,
      status,
      percent(s.final?.testAccuracy),
      fixed(s.final?.testLoss),
      fixed(s.final?.trainLoss),
      s.weightNorms.map((n) => fixed(n, 2)).join(' '),
      `${s.timing.wallSec.toFixed(1)}s`,
      Math.round(s.timing.stepsPerSec).toLocaleString('en-US'),
      `${s.backend}/${s.executor}`,
    ]);
  }
  return table.toString();
}
