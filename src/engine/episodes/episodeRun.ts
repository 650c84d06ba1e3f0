/**
 * What both episode loops (few-shot runs and meta-learning) keep as they go: a point per episode
 * with its moving averages, the time spent training and evaluating, and how the run ended.
 */
import type { EvaluationPoint } from '../diagnostics/metrics';
import type { EndedState } from '../../protocol/runState';
import { describeFileError } from '../../runFiles/fileErrors';
import type { TrainResult } from '../trainer';

export class EpisodeRun {
  readonly points: EvaluationPoint[];
  private readonly accuracies: number[];
  private readonly losses: number[];
  private readonly started = performance.now();
  trainMs = 0;
  evalMs = 0;
  /** Episodes recorded (a resumed run starts from those it had). */
  done: number;
  private status: EndedState = 'completed';
  private reason: string | undefined;
  private divergedAt: number | undefined;

  constructor(
    /** What an episode is called in messages ("episode", "meta-episode"). */
    private readonly unit: string,
    private readonly total: number,
    private readonly window: number,
    previous: EvaluationPoint[] = [],
  ) {
    this.points = [...previous];
    this.accuracies = previous.map((p) => p.testAccuracy);
    this.losses = previous.map((p) => p.testLoss);
    this.done = previous.length ? previous[previous.length - 1]!.step : 0;
  }

  get completed(): boolean {
    return this.status === 'completed';
  }

  /** True (and the run ends as stopped) when a stop was asked for. */
  stopped(signal: AbortSignal | undefined): boolean {
    if (!signal?.aborted) return false;
    this.status = 'stopped';
    this.reason = `stopped after ${this.unit} ${this.done} of ${this.total}`;
    return true;
  }

  diverged(episode: number): void {
    this.status = 'diverged';
    this.divergedAt = episode;
    this.reason = `non-finite values (NaN or Infinity) in ${this.unit} ${episode}`;
  }

  failed(error: unknown): void {
    this.status = 'failed';
    this.reason = describeFileError(error)?.line ?? (error as Error).message;
  }

  /** Episode `step`'s point: its training loss, its query loss and accuracy, and their moving averages. */
  record(step: number, classes: number[], trainLoss: number | null, query: { loss: number; accuracy: number }, extra: Partial<EvaluationPoint> = {}): EvaluationPoint {
    this.accuracies.push(query.accuracy);
    this.losses.push(query.loss);
    const point: EvaluationPoint = {
      step,
      epoch: step,
      trainLoss,
      testLoss: query.loss,
      testAccuracy: query.accuracy,
      elapsedSec: (performance.now() - this.started) / 1000,
      layers: [],
      episode: { classes, movingAccuracy: this.trailingMean(this.accuracies), movingLoss: this.trailingMean(this.losses) },
      ...extra,
    };
    this.points.push(point);
    this.done = step;
    return point;
  }

  result(rest: Pick<TrainResult, 'params' | 'executor' | 'backend' | 'metaEvaluation'>): TrainResult {
    return {
      status: this.status,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      steps: this.done,
      totalSteps: this.total,
      ...(this.divergedAt !== undefined ? { divergedAtStep: this.divergedAt } : {}),
      points: this.points,
      trainSec: this.trainMs / 1000,
      evalSec: this.evalMs / 1000,
      wallSec: (performance.now() - this.started) / 1000,
      ...rest,
    };
  }

  private trailingMean(values: number[]): number {
    const tail = values.slice(-this.window);
    return tail.reduce((sum, v) => sum + v, 0) / tail.length;
  }
}
