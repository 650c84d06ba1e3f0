/** The host⇄dashboard protocol (webview panel). Everything from the webview is validated on arrival. */
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import type { RunState } from './runState';
import { isNonEmptyString, messageFields } from './guards';


export interface DashboardRun {
  /** The run folder once known, else the job id. */
  key: string;
  name: string;
  label: string;
  state: RunState;
  reason?: string;
  step: number;
  totalSteps: number;
  backend?: string;
  stepsPerSec?: number;
  /** The resolved config, flattened to dotted paths (for "what differs" legends). */
  fields: Record<string, string>;
  points: EvaluationPoint[];
}

export type HostToDashboard =
  | { type: 'host/snapshot'; runs: DashboardRun[]; maxPoints: number }
  | { type: 'host/runUpdated'; run: Omit<DashboardRun, 'points'> }
  | { type: 'host/points'; key: string; points: EvaluationPoint[] }
  | { type: 'host/rekey'; from: string; to: string };

export type DashboardToHost =
  | { type: 'dashboard/ready' }
  | { type: 'dashboard/stop'; key: string }
  | { type: 'dashboard/rerun'; key: string }
  | { type: 'dashboard/remove'; key: string };

/** Accepts only well-formed messages; anything else from the webview is dropped. */
export function parseDashboardMessage(value: unknown): DashboardToHost | null {
  const m = messageFields(value);
  switch (m?.type) {
    case 'dashboard/ready':
      return { type: 'dashboard/ready' };
    case 'dashboard/stop':
    case 'dashboard/rerun':
    case 'dashboard/remove':
      return isNonEmptyString(m.key) ? { type: m.type, key: m.key } : null;
    default:
      return null;
  }
}
