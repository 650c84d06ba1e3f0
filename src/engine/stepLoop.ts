/**
 * The loop every step-counted trainer shares (the feed-forward one and the recurrent one): a point
 * before the first step, the training samples in the order the run's generator shuffles them each
 * epoch, a point every training.evalEvery steps and at the end, a stop between steps (with a point
 * where it stopped), and a run that diverges ending there. The trainer supplies the update and the
 * point.
 */
import type { EndedState } from '../protocol/runState';
import type { Random } from './random';
import { describeFileError } from '../runFiles/fileErrors';

export interface StepLoopSpec {
  total: number;
  evalEvery: number;
  /** Samples per step, from a training set of `count`. */
  batch: number;
  count: number;
  shuffle: boolean;
  random: Random;
  signal?: AbortSignal;
  onStep?(step: number, total: number): void;
  /** One update on these training indices; the step it diverged at, or null. */
  update(indices: Uint32Array, step: number): number | null;
  /** Records a point after `step` steps; false when its values are not finite. */
  evaluate(step: number): boolean;
}

export interface StepLoopOutcome {
  status: EndedState;
  reason?: string;
  steps: number;
  divergedAtStep?: number;
  /** Time spent in updates, evaluation left out. */
  trainMs: number;
}

/** Gives the event loop a turn at most every 100 ms, so stop requests (signals, IPC) arrive during training. */
export class EventLoopTurns {
  private last = performance.now();

  async take(): Promise<void> {
    if (performance.now() - this.last <= 100) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

export function nextOrder(order: Uint32Array, shuffle: boolean, random: Random): void {
  if (shuffle) order.set(random.permutation(order.length));
  else for (let i = 0; i < order.length; i++) order[i] = i;
}

/** Runs the loop; an exception from the update or the point ends it as a failed run, with its message. */
export async function runStepLoop(spec: StepLoopSpec): Promise<StepLoopOutcome> {
  let step = 0;
  let trainMs = 0;
  let stopped = false;
  let divergedAtStep: number | undefined;
  let lastPoint = 0;
  let segmentStart = performance.now();
  try {
    spec.evaluate(0);
    const order = new Uint32Array(spec.count);
    let position = order.length; // forces a fresh order on the first step
    const turns = new EventLoopTurns();
    segmentStart = performance.now();
    while (step < spec.total) {
      if (spec.signal?.aborted) {
        stopped = true;
        break;
      }
      if (position >= order.length) {
        nextOrder(order, spec.shuffle, spec.random);
        position = 0;
      }
      const end = Math.min(order.length, position + spec.batch);
      const diverged = spec.update(order.subarray(position, end), step + 1);
      position = end;
      step++;
      spec.onStep?.(step, spec.total);
      if (diverged !== null) {
        divergedAtStep = diverged;
        break;
      }
      if (step % spec.evalEvery === 0 || step === spec.total) {
        trainMs += performance.now() - segmentStart;
        const finite = spec.evaluate(step);
        lastPoint = step;
        segmentStart = performance.now();
        if (!finite) {
          divergedAtStep = step;
          break;
        }
      }
      await turns.take();
    }
    trainMs += performance.now() - segmentStart;
    if (divergedAtStep !== undefined) return { status: 'diverged', reason: `non-finite values (NaN or Infinity) at step ${divergedAtStep}`, steps: step, divergedAtStep, trainMs };
    if (stopped) {
      if (lastPoint !== step) spec.evaluate(step);
      return { status: 'stopped', reason: `stopped at step ${step} of ${spec.total}`, steps: step, trainMs };
    }
    return { status: 'completed', steps: step, trainMs };
  } catch (error) {
    return { status: 'failed', reason: describeFileError(error)?.line ?? (error as Error).message, steps: step, trainMs };
  }
}
