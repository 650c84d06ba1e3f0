/** A progress bar on a terminal; one line per finished run otherwise. */
import { SingleBar, Presets } from 'cli-progress';

export interface RunProgress {
  start(title: string, total: number): void;
  update(step: number, info: { accuracy?: number }): void;
  stop(line: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): RunProgress {
  if (!stream.isTTY) {
    return { start() {}, update() {}, stop: (line) => void stream.write(`${line}\n`) };
  }
  const bar = new SingleBar(
    {
      stream,
      format: ' {title} |{bar}| {percentage}% {value}/{total} steps | {rate} steps/s | test acc {accuracy} | ETA {eta_formatted}',
      hideCursor: true,
      fps: 10,
      etaBuffer: 200,
    },
    Presets.shades_classic,
  );
  let startedAt = 0;
  let accuracy = '—';
  return {
    start(title, total) {
      startedAt = performance.now();
      accuracy = '—';
      bar.start(total, 0, { title, rate: '0', accuracy });
    },
    update(step, info) {
      if (info.accuracy !== undefined) accuracy = `${(100 * info.accuracy).toFixed(1)}%`;
      const seconds = (performance.now() - startedAt) / 1000;
      bar.update(step, { rate: seconds > 0 ? Math.round(step / seconds).toString() : '0', accuracy });
    },
    stop(line) {
      bar.stop();
      stream.write(`${line}\n`);
    },
  };
}
