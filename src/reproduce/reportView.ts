/**
 * What the Paper report tab shows, and what its buttons act on: built from a reproduction as it
 * runs (its plan, then each result) or from a finished report.json. Pure, no editor: tested in Node.
 */
import { readFileSync } from 'node:fs';
import type { PaperReportView, ReportStatus } from '../protocol/hostReport';
import type { ClaimResult } from './evaluate';
import { REPORT_FORMAT, type Report } from './report';
import type { ReproductionPlan } from './reproduction';
import { RULE_TEXT } from './verdict';
import { RECOVERY_RULE, type TrickResult } from './tricks';

/** The report tab's model: the view it draws, and where each arm's runs are. */
export interface ReportModel {
  view: PaperReportView;
  /** Run folders of each arm, as the arms finish. */
  armRuns: Map<string, string[]>;
}

export function plannedModel(plan: ReproductionPlan, folder: string): ReportModel {
  return {
    view: {
      folder,
      status: 'running',
      mode: plan.mode,
      data: plan.data.description,
      seeds: plan.seeds,
      steps: plan.steps,
      progress: { ended: 0, total: plan.totalRuns },
      wallSec: null,
      rule: RULE_TEXT,
      recoveryRule: RECOVERY_RULE,
      claims: plan.claims.map((c) => ({ id: c.id, title: c.title, result: null, hasRuns: false })),
      tricks: plan.tricks.map((t) => ({ id: t.id, trick: t.trick, setting: t.setting, result: null, hasRuns: false })),
    },
    armRuns: new Map(),
  };
}

export const INTERRUPTED = 'Stopped before every run finished: each verdict uses the runs that did.';

export function finishedModel(report: Report, folder: string, status: ReportStatus = report.interrupted ? 'cancelled' : 'completed', reason = report.interrupted ? INTERRUPTED : undefined): ReportModel {
  const armRuns = new Map(report.arms.map((arm) => [arm.id, arm.runs.map((r) => r.runDir)]));
  const model: ReportModel = {
    view: {
      folder,
      status,
      ...(reason ? { reason } : {}),
      mode: report.mode,
      data: report.data ?? 'the bundled MNIST digits',
      seeds: report.seeds,
      steps: report.steps,
      progress: null,
      wallSec: report.wallSec,
      rule: report.rule,
      recoveryRule: report.recoveryRule ?? RECOVERY_RULE,
      claims: report.claims.map((c) => ({ id: c.id, title: c.title, result: c, hasRuns: false })),
      tricks: (report.tricks ?? []).map((t) => ({ id: t.id, trick: t.trick, setting: t.setting, result: t, hasRuns: false })),
    },
    armRuns,
  };
  refreshRunFlags(model);
  return model;
}

/** Arms a claim or trick draws on (all of them, for "Open these runs"). */
export function armsOf(result: ClaimResult | TrickResult): string[] {
  return 'trick' in result ? [result.without, result.with, result.oja] : [...new Set([...result.baselineArms, ...result.treatmentArms])];
}

/**
 * The two arms whose comparison a claim turns on, baseline first: for a difference side (Oja's gain
 * at depth), the deepest pair; for a trick, backprop against backprop + Oja without the trick.
 */
export function comparedPair(result: ClaimResult | TrickResult): [string, string] {
  if ('trick' in result) return [result.without, result.oja];
  // A difference or trend lists [oja, bp] pairs, the deepest first; an arm claim one arm a side.
  const t = result.treatmentArms;
  return t.length >= 2 ? [t[1]!, t[0]!] : [result.baselineArms[result.baselineArms.length - 1]!, t[0]!];
}

/** The claim or trick with this id, once judged. */
export function resultOf(model: ReportModel, id: string): ClaimResult | TrickResult | null {
  return model.view.claims.find((c) => c.id === id)?.result ?? model.view.tricks.find((t) => t.id === id)?.result ?? null;
}

/** Run folders behind a claim or trick; empty until it is judged. */
export function runsOf(model: ReportModel, id: string): string[] {
  const result = resultOf(model, id);
  return result ? armsOf(result).flatMap((arm) => model.armRuns.get(arm) ?? []) : [];
}

export function refreshRunFlags(model: ReportModel): void {
  for (const item of [...model.view.claims, ...model.view.tricks]) item.hasRuns = runsOf(model, item.id).length > 0;
}

export class ReportFileError extends Error {}

const isNumberOrNull = (v: unknown) => v === null || typeof v === 'number';

/** Reads a report.json, checking what the tab draws from it: a file that is not one is refused with the reason. */
export function readReportFile(file: string): Report {
  let report: Partial<Report>;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Partial<Report>;
  } catch (error) {
    throw new ReportFileError(`${file}: cannot be read as JSON (${(error as Error).message})`);
  }
  const fail = (what: string): never => {
    throw new ReportFileError(`${file}: ${what}`);
  };
  if (report?.format !== REPORT_FORMAT) fail(`format is ${JSON.stringify(report?.format)}; expected "${REPORT_FORMAT}" (a report.json written by plasticity-lab reproduce)`);
  if (!Array.isArray(report.claims) || !Array.isArray(report.arms) || !Array.isArray(report.seeds)) fail('claims, arms and seeds must be lists');
  if (report.mode !== 'quick' && report.mode !== 'full') fail(`mode is ${JSON.stringify(report.mode)}; expected "quick" or "full"`);
  report.claims!.forEach((c, k) => {
    const numbers = [c?.effect, c?.standardError, c?.margin, c?.baseline?.mean, c?.baseline?.sd, c?.treatment?.mean, c?.treatment?.sd];
    const lists = [c?.baselineValues, c?.treatmentValues, c?.baselineArms, c?.treatmentArms, c?.sides];
    if (typeof c?.id !== 'string' || typeof c.title !== 'string' || !numbers.every(isNumberOrNull) || !lists.every(Array.isArray)) fail(`claims[${k}] is not a judged claim`);
    if (![...c.baselineValues, ...c.treatmentValues].every((v) => typeof v === 'number')) fail(`claims[${k}] has values that are not numbers`);
  });
  report.arms!.forEach((a, k) => {
    if (typeof a?.id !== 'string' || !Array.isArray(a.runs) || !a.runs.every((r) => typeof r?.runDir === 'string')) fail(`arms[${k}] is not an arm with run folders`);
  });
  return report as Report;
}
