/** The reproduction's report: report.json (everything), report.md and report.html (for people), the verdict table. */
import Table from 'cli-table3';
import { writeJsonAtomic } from '../runFiles/runFolder';
import { writeFileNamed } from '../runFiles/fileErrors';
import { join } from 'node:path';
import type { ArmResult } from './runner';
import { METRICS, type ClaimResult } from './evaluate';
import { RULE_TEXT, type Verdict } from './verdict';
import { reportHtml } from './reportHtml';
import type { Mode } from './claims';
import { finalHeadline } from '../shared/finalMetrics';
import { RECOVERY_RULE, type TrickResult } from './tricks';
import { accuracyCell, recoveredCell, side, shown, valuesNote } from './format';

export const REPORT_FORMAT = 'plasticity-lab/reproduction@1';

export interface Report {
  format: typeof REPORT_FORMAT;
  mode: Mode;
  /** What the runs were trained and tested on. */
  data: string;
  seeds: number[];
  /** Steps per run when capped (a smoke test); null for the full runs. */
  steps: number | null;
  startedAt: string;
  wallSec: number;
  /** Stopped before every run finished: each verdict uses the runs that did. */
  interrupted: boolean;
  rule: string;
  claims: ClaimResult[];
  /** "Does Oja replace the trick?": one row per trick (empty when --claims left it out). */
  tricks: TrickResult[];
  recoveryRule: string;
  arms: Array<{
    id: string;
    title: string;
    config: Record<string, unknown>;
    tuning?: ArmResult['tuning'];
    problems: string[];
    runs: Array<{ seed: number; runDir: string; status: string; finalAccuracy: number | null; memoryCapacity?: number; divergedAtStep?: number }>;
  }>;
}

export function buildReport(options: { mode: Mode; data: string; seeds: number[]; steps: number | null; startedAt: Date; interrupted?: boolean; claims: ClaimResult[]; tricks: TrickResult[]; arms: ArmResult[] }): Report {
  return {
    format: REPORT_FORMAT,
    mode: options.mode,
    data: options.data,
    seeds: options.seeds,
    steps: options.steps,
    startedAt: options.startedAt.toISOString(),
    wallSec: (Date.now() - options.startedAt.getTime()) / 1000,
    interrupted: options.interrupted ?? false,
    rule: RULE_TEXT,
    claims: options.claims,
    tricks: options.tricks,
    recoveryRule: RECOVERY_RULE,
    arms: options.arms.map(({ arm, runs, tuning, problems }) => ({
      id: arm.id,
      title: arm.title,
      config: arm.config,
      ...(tuning ? { tuning } : {}),
      problems,
      runs: runs.map((run) => ({
        seed: run.seed,
        runDir: run.runDir,
        status: run.summary.status,
        finalAccuracy: run.summary.final?.testAccuracy ?? null,
        ...(run.summary.final?.memoryCapacity !== undefined ? { memoryCapacity: run.summary.final.memoryCapacity } : {}),
        ...(run.summary.divergedAtStep !== undefined ? { divergedAtStep: run.summary.divergedAtStep } : {}),
      })),
    })),
  };
}

export function verdictTable(claims: ClaimResult[]): string {
  const table = new Table({ head: ['claim', 'verdict', 'baseline (mean ± sd)', 'compared with', 'seeds'], style: { head: [], border: [] }, wordWrap: true, colWidths: [36, 15, 30, 30, 7] });
  for (const claim of claims) table.push([claim.title, claim.verdict, side(claim, 'baseline'), side(claim, 'treatment'), String(Math.min(claim.baseline.n, claim.treatment.n))]);
  return table.toString();
}

export function trickTable(tricks: TrickResult[]): string {
  const table = new Table({ head: ['trick (where it matters)', 'backprop without', 'backprop with', 'backprop + Oja without', "Oja's share"], style: { head: [], border: [] }, wordWrap: true, colWidths: [36, 17, 17, 17, 14] });
  for (const t of tricks) table.push([`${t.trick}: ${t.setting}`, accuracyCell(t.columns.without), accuracyCell(t.columns.with), accuracyCell(t.columns.oja), recoveredCell(t)]);
  return table.toString();
}

const VERDICT_WORDS: Record<Verdict, string> = {
  supported: 'the effect the paper claims is there, beyond the margin and the noise',
  'not supported': 'there is no effect worth the margin, and the measurement is precise enough to say so',
  contradicted: 'the effect goes the other way, beyond the margin and the noise',
  inconclusive: 'the seeds disagree too much (or are too few) to say',
};

export function reportMarkdown(report: Report): string {
  const lines = [
    '# Reproduction of arXiv 2408.08408 on this machine',
    '',
    `Mode: ${report.mode}; data: ${report.data}; seeds ${report.seeds.join(', ')}; ${report.steps ? `each run capped at ${report.steps} steps (a smoke test, not a result); ` : ''}started ${report.startedAt}, took ${report.wallSec.toFixed(0)} s.${report.interrupted ? ' **Stopped before every run finished: each verdict uses the runs that did.**' : ''}`,
    '',
    '| claim | verdict | baseline (mean ± sd over seeds) | compared with |',
    '| --- | --- | --- | --- |',
    ...report.claims.map((c) => `| ${c.title} | **${c.verdict}** | ${side(c, 'baseline')} | ${side(c, 'treatment')} |`),
    '',
    `**How verdicts are decided.** ${report.rule}`,
    '',
  ];
  for (const claim of report.claims) {
    lines.push(
      `## ${claim.title}: ${claim.verdict}`,
      '',
      `*The claim:* ${claim.statement}`,
      '',
      `*Measured:* ${METRICS[claim.metric].label}${valuesNote(claim)}. ${claim.sides[0]}${claim.baselineArms.length ? ` (${claim.baselineArms.join(' − ')})` : ''}: ${claim.baselineValues.map((v) => shown(claim.metric, v)).join(', ') || '—'}. ${claim.sides[1]} (${claim.treatmentArms.join(' − ')}): ${claim.treatmentValues.map((v) => shown(claim.metric, v)).join(', ') || '—'}.`,
      '',
      `*Effect* in the claimed direction (${claim.direction} is better): ${shown(claim.metric, claim.effect)}, standard error ${shown(claim.metric, claim.standardError)}, margin ${shown(claim.metric, claim.margin)}: ${VERDICT_WORDS[claim.verdict]}.`,
      '',
    );
  }
  if (report.tricks.length > 0) {
    lines.push(
      "## Does Oja's rule replace the trick?",
      '',
      'Final test accuracy, mean ± sd over the seeds.',
      '',
      "| trick | where it matters | backprop without | backprop with | backprop + Oja without | Oja's share |",
      '| --- | --- | --- | --- | --- | --- |',
      ...report.tricks.map((t) => `| ${t.trick} | ${t.setting} | ${accuracyCell(t.columns.without)} | ${accuracyCell(t.columns.with)} | ${accuracyCell(t.columns.oja)} | ${recoveredCell(t)} |`),
      '',
      report.recoveryRule,
      '',
    );
  }
  lines.push('## Arms', '');
  for (const arm of report.arms) {
    const tuned = arm.tuning ? ` Tuned on the validation split: ${Object.entries(arm.tuning.chosen).map(([k, v]) => `${k} = ${v}`).join(', ') || 'nothing trained, defaults kept'}.` : '';
    const runs = arm.runs.map((r) => `seed ${r.seed}: ${r.status === 'diverged' ? `diverged at step ${r.divergedAtStep}` : r.finalAccuracy === null ? r.status : finalHeadline({ testAccuracy: r.finalAccuracy, ...(r.memoryCapacity !== undefined ? { memoryCapacity: r.memoryCapacity } : {}) }, 1)}`).join('; ');
    lines.push(`- **${arm.id}**: ${arm.title}.${tuned} ${runs}${arm.problems.length ? `; problems: ${arm.problems.join('; ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeReport(dir: string, report: Report): void {
  writeJsonAtomic(join(dir, 'report.json'), report);
  writeFileNamed(join(dir, 'report.md'), reportMarkdown(report));
  writeFileNamed(join(dir, 'report.html'), reportHtml(report));
}
