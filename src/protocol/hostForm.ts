/** The host⇄experiment-form protocol (sidebar webview view). Messages from the form are validated. */
import type { ConfigIssue } from '../engine/config/issues';
import { isRecord, messageFields } from './guards';

export interface PresetChoice {
  id: string;
  name: string;
  description: string;
  /** The preset's document as written (without its sweep: the form edits one run). */
  draft: Record<string, unknown>;
}

/** A downloaded IDX dataset the form can point its data at. */
export interface DatasetChoice {
  id: string;
  title: string;
  data: Record<string, string>;
}

export type HostToForm =
  | { type: 'host/init'; presets: PresetChoice[]; datasets: DatasetChoice[]; draft: Record<string, unknown> | null; activeRuns: number }
  | { type: 'host/issues'; requestId: number; issues: ConfigIssue[] }
  | { type: 'host/activeRuns'; count: number };

export type FormToHost =
  | { type: 'form/ready' }
  | { type: 'form/validate'; requestId: number; draft: Record<string, unknown> }
  | { type: 'form/run'; draft: Record<string, unknown>; replace: boolean }
  | { type: 'form/stop' }
  | { type: 'form/save'; draft: Record<string, unknown> };

const isDraft = (v: unknown): v is Record<string, unknown> => isRecord(v) && JSON.stringify(v).length < 100_000;

/** Accepts only well-formed messages; anything else from the webview is dropped. */
export function parseFormMessage(value: unknown): FormToHost | null {
  const m = messageFields(value);
  switch (m?.type) {
    case 'form/ready':
      return { type: 'form/ready' };
    case 'form/stop':
      return { type: 'form/stop' };
    case 'form/validate':
      return Number.isInteger(m.requestId) && isDraft(m.draft) ? { type: 'form/validate', requestId: m.requestId as number, draft: m.draft } : null;
    case 'form/run':
      return isDraft(m.draft) && typeof m.replace === 'boolean' ? { type: 'form/run', draft: m.draft, replace: m.replace } : null;
    case 'form/save':
      return isDraft(m.draft) ? { type: 'form/save', draft: m.draft } : null;
    default:
      return null;
  }
}
