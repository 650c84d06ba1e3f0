/**
 * `plasticity-lab reproduce`: runs the paper's claims over seeds on the worker pool, prints a line
 * per claim as its verdict is known, and writes report.json, report.md and report.html beside the run folders.
 */
import { join, resolve } from 'node:path';
import { RunManager } from '../host/runManager';
import { commandLineWorkers } from '../host/workerCount';
import { ensureFolder } from '../runFiles/fileErrors';
import { runIdFor } from '../runFiles/runFolder';
import type { Mode } from '../reproduce/claims';
import { planReproduction, runReproduction, type ReproductionRequest } from '../reproduce/reproduction';
import { trickTable, verdictTable } from '../reproduce/report';
import { recoveredCell } from '../reproduce/format';
import { EXIT } from './runCommand';
import { commandPool, stopOnInterrupt } from './commandRuns';

export interface ReproduceOptions extends Omit<ReproductionRequest, 'mode'> {
  full: boolean;
  out?: string;
  workers: number | 'auto';
}

export async function reproduceCommand(options: ReproduceOptions): Promise<number> {
  const mode: Mode = options.full ? 'full' : 'quick';
  const plan = planReproduction({ ...options, mode }, process.cwd());
  const dir = resolve(options.out ?? join('.plasticity', 'reproductions', runIdFor(`paper ${mode}`, '', new Date())));
  ensureFolder(dir, '--out');
  const { claims, arms, seeds } = plan;
  process.stderr.write(
    `Reproducing ${claims.length} claim${claims.length === 1 ? '' : 's'}${plan.tricks.length ? ' and the trick table' : ''} (${arms.length} arms × ${seeds.length} seeds, ${plan.totalRuns} runs with the tuning grids) into ${dir}, on ${plan.data.description}\n`,
  );

  const workers = options.workers === 'auto' ? commandLineWorkers(plan.totalRuns) : options.workers;
  const pool = commandPool(workers);
  const manager = new RunManager(pool, () => join(dir, 'runs'));
  const interrupt = stopOnInterrupt(manager);
  try {
    const report = await runReproduction(manager, plan, dir, {
      onArm: (result) => result.problems.forEach((problem) => process.stderr.write(`  ${result.arm.id}: ${problem}\n`)),
      onClaim: (result) => process.stderr.write(`${result.title}: ${result.verdict}\n`),
      onTrick: (result) => process.stderr.write(`Does Oja replace ${result.trick}? Oja's share: ${recoveredCell(result)}\n`),
    }, interrupt.signal);
    if (report.claims.length > 0) process.stdout.write(`${verdictTable(report.claims)}\n`);
    if (report.tricks.length > 0) process.stdout.write(`Does Oja's rule replace the trick? (final test accuracy, mean ± sd over seeds)\n${trickTable(report.tricks)}\n`);
    process.stdout.write(`report: ${join(dir, 'report.html')} (and report.md, report.json), ${report.wallSec.toFixed(0)} s\n`);
  } finally {
    interrupt.dispose();
    manager.dispose();
    pool.dispose();
  }
  return interrupt.interrupted ? EXIT.interrupted : EXIT.ok;
}
