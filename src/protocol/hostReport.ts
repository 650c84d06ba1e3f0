/**
 * The host⇄Paper report protocol (a webview panel). The host holds the report — the one being
 * reproduced, or one read from a report.json — and sends all of it on every change (a dozen claims:
 * small). The webview asks for actions by claim id only; the host finds the runs itself.
 */
import type { ClaimResult, TrickResult } from '../reproduce/results';
import { isNonEmptyString, messageFields } from './guards';

export const REPORT_STATUSES = ['running', 'completed', 'cancelled', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface PaperReportView {
  /** The report folder (report.json, report.md, report.html and runs/). */
  folder: string;
  status: ReportStatus;
  /** Why it is cancelled or failed. */
  reason?: string;
  mode: 'quick' | 'full';
  data: string;
  seeds: number[];
  /** Steps per run when capped (a smoke test); null for real runs. */
  steps: number | null;
  /** Runs ended of all the reproduction starts, while it runs. */
  progress: { ended: number; total: number } | null;
  wallSec: number | null;
  rule: string;
  recoveryRule: string;
  /** Every claim planned, in order; result null until its arms are in. */
  claims: Array<{ id: string; title: string; result: ClaimResult | null; hasRuns: boolean }>;
  tricks: Array<{ id: string; trick: string; setting: string; result: TrickResult | null; hasRuns: boolean }>;
}

export type HostToReport = { type: 'host/report'; report: PaperReportView } | { type: 'host/noReport'; message: string };

export type ReportAction = 'openRuns' | 'openExperiment';

export type ReportToHost =
  | { type: 'report/ready' }
  | { type: 'report/openHtml' }
  | { type: 'report/action'; action: ReportAction; id: string };

const ACTIONS: readonly ReportAction[] = ['openRuns', 'openExperiment'];

/** Accepts only well-formed messages; anything else from the webview is dropped. */
export function parseReportMessage(value: unknown): ReportToHost | null {
  const m = messageFields(value);
  switch (m?.type) {
    case 'report/ready':
    case 'report/openHtml':
      return { type: m.type };
    case 'report/action':
      return ACTIONS.includes(m.action as ReportAction) && isNonEmptyString(m.id, 200) ? { type: 'report/action', action: m.action as ReportAction, id: m.id } : null;
    default:
      return null;
  }
}

/** The host's message, checked in the webview before it draws anything. */
export function parseHostReportMessage(value: unknown): HostToReport | null {
  const m = messageFields(value);
  if (m?.type === 'host/noReport') return typeof m.message === 'string' ? { type: 'host/noReport', message: m.message } : null;
  if (m?.type !== 'host/report' || typeof m.report !== 'object' || m.report === null) return null;
  const report = m.report as Partial<PaperReportView>;
  const ok =
    typeof report.folder === 'string' &&
    REPORT_STATUSES.includes(report.status as ReportStatus) &&
    Array.isArray(report.claims) &&
    Array.isArray(report.tricks) &&
    Array.isArray(report.seeds);
  return ok ? { type: 'host/report', report: report as PaperReportView } : null;
}
