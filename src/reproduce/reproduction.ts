/**
 * A reproduction from request to report, on whatever run manager it is given: the command line's
 * own pool, or the editor's warm one. Claims and tricks are judged as soon as their arms are in,
 * and a listener hears of each, so a view can fill in claim by claim.
 */
import { getPath, setPath } from '../engine/config/paths';
import type { RunManager } from '../host/runManager';
import { isActive } from '../protocol/runState';
import { UsageError } from '../runFiles/fileErrors';
import { arms as armSpecs, claims as claimSpecs, type ArmSpec, type ClaimSpec, type Mode } from './claims';
import { chooseData, onData, type DataChoice } from './dataChoice';
import { armsNeeded, evaluateClaim, type ArmRun, type ClaimResult } from './evaluate';
import { buildReport, writeReport, type Report } from './report';
import { runArms, tuningSize, type ArmResult } from './runner';
import { evaluateTrick, trickArms, tricks as trickSpecs, type TrickResult, type TrickSpec } from './tricks';

/** The id that selects the trick table among the claims. */
export const TRICKS = 'tricks';

export interface ReproductionRequest {
  mode: Mode;
  /** Claim ids (and "tricks"); all when absent. */
  claims?: string[];
  seeds?: number;
  /** mnist (the bundled digits), fashion-mnist, or idx:DIR. */
  data?: string;
  /** Caps every run at N steps: a smoke test of the machinery, not a result. */
  steps?: number;
}

export interface ReproductionPlan {
  mode: Mode;
  claims: ClaimSpec[];
  tricks: TrickSpec[];
  arms: ArmSpec[];
  seeds: number[];
  data: DataChoice;
  steps: number | null;
  /** Every run it will start: tuning grids and seeds. */
  totalRuns: number;
}

export interface ReproductionListener {
  onClaim?(result: ClaimResult): void;
  onTrick?(result: TrickResult): void;
  onArm?(result: ArmResult): void;
  onRunEnded?(ended: number, total: number): void;
}

export function planReproduction(request: ReproductionRequest, cwd: string): ReproductionPlan {
  const { mode } = request;
  const allClaims = claimSpecs(mode);
  const unknown = (request.claims ?? []).filter((id) => id !== TRICKS && !allClaims.some((c) => c.id === id));
  if (unknown.length > 0) throw new UsageError(`--claims ${unknown.join(', ')}: no such claim; the claims are ${[...allClaims.map((c) => c.id), TRICKS].join(', ')}`);
  const claims = request.claims ? allClaims.filter((c) => request.claims!.includes(c.id)) : allClaims;
  const tricks = !request.claims || request.claims.includes(TRICKS) ? trickSpecs() : [];
  const needed = new Set([...armsNeeded(claims), ...trickArms(tricks)]);
  const data = chooseData(request.data, mode, cwd);
  const steps = request.steps ?? null;
  const arms = armSpecs(mode)
    .filter((arm) => needed.has(arm.id))
    .map((arm) => ({ ...arm, config: onData(arm.config, data) }))
    .map((arm) => (steps ? { ...arm, config: capped(arm.config, steps) } : arm));
  const seeds = Array.from({ length: request.seeds ?? (mode === 'full' ? 5 : 3) }, (_, k) => k + 1);
  const totalRuns = arms.reduce((sum, arm) => sum + tuningSize(arm) + seeds.length, 0);
  return { mode, claims, tricks, arms, seeds, data, steps, totalRuns };
}

/**
 * Runs the plan; writes report.json, report.md and report.html into `dir` and returns the report.
 * `stop` stops every run going and starts no more; the report then judges what finished.
 */
export async function runReproduction(manager: RunManager, plan: ReproductionPlan, dir: string, listener: ReproductionListener = {}, stop?: AbortSignal): Promise<Report> {
  const startedAt = new Date();
  const runs = new Map<string, ArmRun[]>();
  const done = new Set<string>();
  const claimResults = new Map<string, ClaimResult>();
  const trickResults = new Map<string, TrickResult>();
  let ended = 0;
  const counting = manager.onDidChange((change) => {
    if (change.kind === 'state' && !isActive(change.run.state)) listener.onRunEnded?.(++ended, plan.totalRuns);
  });
  const onStop = () => manager.stopAll();
  stop?.addEventListener('abort', onStop);
  try {
    const armResults = await runArms(manager, plan.arms, plan.seeds, process.cwd(), (result) => {
      runs.set(result.arm.id, result.runs);
      done.add(result.arm.id);
      listener.onArm?.(result);
      for (const claim of plan.claims) {
        if (claimResults.has(claim.id) || ![...armsNeeded([claim])].every((id) => done.has(id))) continue;
        const judged = evaluateClaim(claim, runs);
        claimResults.set(claim.id, judged);
        listener.onClaim?.(judged);
      }
      for (const trick of plan.tricks) {
        if (trickResults.has(trick.id) || ![...trickArms([trick])].every((id) => done.has(id))) continue;
        const judged = evaluateTrick(trick, runs);
        trickResults.set(trick.id, judged);
        listener.onTrick?.(judged);
      }
    }, stop);
    const report = buildReport({
      mode: plan.mode,
      data: plan.data.description,
      seeds: plan.seeds,
      steps: plan.steps,
      startedAt,
      interrupted: stop?.aborted ?? false,
      claims: plan.claims.map((claim) => claimResults.get(claim.id)!),
      tricks: plan.tricks.map((trick) => trickResults.get(trick.id)!),
      arms: plan.arms.map((arm) => armResults.get(arm.id)!),
    });
    writeReport(dir, report);
    return report;
  } finally {
    counting.dispose();
    stop?.removeEventListener('abort', onStop);
  }
}

function capped(config: Record<string, unknown>, steps: number): Record<string, unknown> {
  const copy = structuredClone(config);
  // A meta-learning arm counts meta-episodes, not steps (a few suffice for a smoke test).
  if (getPath(copy, 'meta.learn')) {
    setPath(copy, 'meta.episodes', Math.min(steps, 3));
    setPath(copy, 'meta.evaluate.episodes', Math.min(steps, 3));
    return copy;
  }
  setPath(copy, 'training.steps', steps);
  setPath(copy, 'training.evalEvery', Math.max(1, Math.floor(steps / 2)));
  delete (copy.training as Record<string, unknown>).epochs;
  return copy;
}
