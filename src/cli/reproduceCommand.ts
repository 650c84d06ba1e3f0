/**
 * `plasticity-lab reproduce`: runs the paper's claims over seeds on the worker pool, prints a line
 * per claim as its verdict is known, and writes report.json, report.md and report.html beside the run folders.
 */
import { join, resolve } from 'node:path';
import { RunManager } from '../host/runManager';
import { commandLineWorkers } from '../host/workerCount';
import { ensureFolder, UsageError } from '../runFiles/fileErrors';
import { runIdFor } from '../runFiles/runFolder';
import { arms as armSpecs, claims as claimSpecs, type Mode } from '../reproduce/claims';
import { armsNeeded, evaluateClaim, type ArmRun, type ClaimResult } from '../reproduce/evaluate';
import { runArms } from '../reproduce/runner';
import { buildReport, recoveredCell, trickTable, verdictTable, writeReport } from '../reproduce/report';
import { chooseData, onData } from '../reproduce/dataChoice';
import { evaluateTrick, trickArms, tricks as trickSpecs, type TrickResult } from '../reproduce/tricks';
import { setPath } from '../engine/config/paths';
import { EXIT } from './runCommand';
import { commandPool, stopOnInterrupt } from './commandRuns';

/** The --claims id of the trick table. */
export const TRICKS = 'tricks';

export interface ReproduceOptions {
  full: boolean;
  claims?: string[];
  seeds?: number;
  out?: string;
  workers: number | 'auto';
  /** mnist (the bundled digits), fashion-mnist, or idx:DIR. */
  data?: string;
  /** Caps every run at N steps: a smoke test of the machinery, not a result. */
  steps?: number;
}

export async function reproduceCommand(options: ReproduceOptions): Promise<number> {
  const mode: Mode = options.full ? 'full' : 'quick';
  const allClaims = claimSpecs(mode);
  const unknown = (options.claims ?? []).filter((id) => id !== TRICKS && !allClaims.some((c) => c.id === id));
  if (unknown.length > 0) throw new UsageError(`--claims ${unknown.join(', ')}: no such claim; the claims are ${[...allClaims.map((c) => c.id), TRICKS].join(', ')}`);
  const claims = options.claims ? allClaims.filter((c) => options.claims!.includes(c.id)) : allClaims;
  const tricks = !options.claims || options.claims.includes(TRICKS) ? trickSpecs() : [];
  const needed = new Set([...armsNeeded(claims), ...trickArms(tricks)]);
  const data = chooseData(options.data, mode, process.cwd());
  const arms = armSpecs(mode)
    .filter((arm) => needed.has(arm.id))
    .map((arm) => ({ ...arm, config: onData(arm.config, data) }))
    .map((arm) => (options.steps ? { ...arm, config: capped(arm.config, options.steps) } : arm));
  const seeds = Array.from({ length: options.seeds ?? (mode === 'full' ? 5 : 3) }, (_, k) => k + 1);
  const startedAt = new Date();
  const dir = resolve(options.out ?? join('.plasticity', 'reproductions', runIdFor(`paper ${mode}`, '', startedAt)));
  ensureFolder(dir, '--out');
  const runsDir = join(dir, 'runs');
  process.stderr.write(`Reproducing ${claims.length} claim${claims.length === 1 ? '' : 's'} (${arms.length} arms × ${seeds.length} seeds, η and θ tuned on a validation split where a claim needs it) into ${dir}, on ${data.description}\n`);

  const workers = options.workers === 'auto' ? commandLineWorkers(arms.length * seeds.length) : options.workers;
  const pool = commandPool(workers);
  const manager = new RunManager(pool, () => runsDir);
  const runs = new Map<string, ArmRun[]>();
  const done = new Set<string>();
  const results: ClaimResult[] = [];
  const trickResults: TrickResult[] = [];
  const interrupt = stopOnInterrupt(manager);
  try {
    const armResults = await runArms(manager, arms, seeds, process.cwd(), (result) => {
      runs.set(result.arm.id, result.runs);
      done.add(result.arm.id);
      for (const problem of result.problems) process.stderr.write(`  ${result.arm.id}: ${problem}\n`);
      // A claim is judged as soon as its arms are in.
      for (const claim of claims) {
        if (results.some((r) => r.id === claim.id) || ![...armsNeeded([claim])].every((id) => done.has(id))) continue;
        const result = evaluateClaim(claim, runs);
        results.push(result);
        process.stderr.write(`${claim.title}: ${result.verdict}\n`);
      }
      for (const trick of tricks) {
        if (trickResults.some((r) => r.id === trick.id) || ![...trickArms([trick])].every((id) => done.has(id))) continue;
        const result = evaluateTrick(trick, runs);
        trickResults.push(result);
        process.stderr.write(`Does Oja replace ${trick.trick}? Oja's share: ${recoveredCell(result)}\n`);
      }
    });
    const ordered = claims.map((claim) => results.find((r) => r.id === claim.id)!);
    const orderedTricks = tricks.map((trick) => trickResults.find((r) => r.id === trick.id)!);
    const report = buildReport({ mode, data: data.description, seeds, steps: options.steps ?? null, startedAt, claims: ordered, tricks: orderedTricks, arms: arms.map((arm) => armResults.get(arm.id)!) });
    writeReport(dir, report);
    if (ordered.length > 0) process.stdout.write(`${verdictTable(ordered)}\n`);
    if (orderedTricks.length > 0) process.stdout.write(`Does Oja's rule replace the trick? (final test accuracy, mean ± sd over seeds)\n${trickTable(orderedTricks)}\n`);
    process.stdout.write(`report: ${join(dir, 'report.html')} (and report.md, report.json), ${report.wallSec.toFixed(0)} s\n`);
  } finally {
    interrupt.dispose();
    manager.dispose();
    pool.dispose();
  }
  return interrupt.interrupted ? EXIT.interrupted : EXIT.ok;
}

function capped(config: Record<string, unknown>, steps: number): Record<string, unknown> {
  const copy = structuredClone(config);
  setPath(copy, 'training.steps', steps);
  setPath(copy, 'training.evalEvery', Math.max(1, Math.floor(steps / 2)));
  delete (copy.training as Record<string, unknown>).epochs;
  return copy;
}
