/** Progress bars on a terminal; one line per finished run otherwise. */
import { MultiBar, Presets } from 'cli-progress';
import type { ExperimentConfig } from '../engine/config/schema';

const BAR_FORMAT = ' {title} |{bar}| {percentage}% {value}/{total} {unit} | {rate} {unit}/s | test acc {accuracy} | ETA {eta_formatted}';

/** What a run's progress counts: meta-episodes, episodes (few-shot) or steps. */
export function progressUnit(config: ExperimentConfig): string {
  return config.meta?.learn ? 'meta-episodes' : config.training.episodes ? 'episodes' : 'steps';
}

/** A bar per running member (one, or several at once on workers); finished lines printed above them. */
export interface SweepProgress {
  /** `unit`: what the count counts ("steps", or "episodes" for few-shot runs). */
  start(key: string, title: string, total: number, unit?: string): void;
  update(key: string, step: number, info: { accuracy?: number }): void;
  stop(key: string, line: string): void;
  /** A line above the bars. */
  log(line: string): void;
  close(): void;
}

/** The payload a bar shows besides its count: steps/s since the run began and the latest accuracy. */
class BarPayload {
  private readonly startedAt = performance.now();
  private accuracy = '—';

  constructor(
    readonly title: string,
    private readonly unit: string,
  ) {}

  at(step: number, info: { accuracy?: number }): { title: string; unit: string; rate: string; accuracy: string } {
    if (info.accuracy !== undefined) this.accuracy = `${(100 * info.accuracy).toFixed(1)}%`;
    const seconds = (performance.now() - this.startedAt) / 1000;
    return { title: this.title, unit: this.unit, rate: seconds > 0 ? Math.round(step / seconds).toString() : '0', accuracy: this.accuracy };
  }
}

export function createSweepProgress(stream: NodeJS.WriteStream = process.stderr): SweepProgress {
  if (!stream.isTTY) {
    return { start() {}, update() {}, stop: (_key, line) => void stream.write(`${line}\n`), log: (line) => void stream.write(`${line}\n`), close() {} };
  }
  const bars = new MultiBar({ stream, format: BAR_FORMAT, hideCursor: true, fps: 10, etaBuffer: 200 }, Presets.shades_classic);
  const running = new Map<string, { bar: ReturnType<MultiBar['create']>; payload: BarPayload }>();
  return {
    start(key, title, total, unit = 'steps') {
      const payload = new BarPayload(title, unit);
      running.set(key, { bar: bars.create(total, 0, payload.at(0, {})), payload });
    },
    update(key, step, info) {
      const member = running.get(key);
      member?.bar.update(step, member.payload.at(step, info));
    },
    stop(key, line) {
      // The line is buffered and written above the bars at the next redraw, which remove() forces.
      bars.log(`${line}\n`);
      const member = running.get(key);
      running.delete(key);
      if (member) bars.remove(member.bar);
      else bars.update();
    },
    log(line) {
      bars.log(`${line}\n`);
      bars.update();
    },
    close() {
      bars.stop();
    },
  };
}
