/**
 * The one list of states a run can be in, shared by the engine (how a training ended), the host (a
 * run it queued) and every view. Each layer narrows it to what it owns; none declares its own list.
 */
export const RUN_STATES = ['queued', 'running', 'completed', 'stopped', 'diverged', 'failed', 'rejected', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** How a training that began ends (the engine's outcome, written to summary.json). */
export const ENDED_STATES = ['completed', 'stopped', 'diverged', 'failed'] as const;
export type EndedState = (typeof ENDED_STATES)[number];

/** What summary.json can say: a training under way, or how it ended. */
export type SummaryState = 'running' | EndedState;

export function isRunState(value: unknown): value is RunState {
  return typeof value === 'string' && (RUN_STATES as readonly string[]).includes(value);
}

export function isEndedState(value: unknown): value is EndedState {
  return typeof value === 'string' && (ENDED_STATES as readonly string[]).includes(value);
}

/** Queued or running: the run may still produce points. */
export function isActive(state: RunState): boolean {
  return state === 'queued' || state === 'running';
}
