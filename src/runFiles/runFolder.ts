/**
 * A run's folder: config.json (resolved config), metrics.jsonl (one line per evaluation point,
 * appended as they arrive), summary.json (written atomically: "running" at the start, then the
 * outcome), and weights.json on request. Whatever happens, the points recorded so far stay.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isDiskFull, namingFile } from './fileErrors';
import { join } from 'node:path';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  weights: 'weights.json',
  learnedRule: 'learned-rule.json',
} as const;

/**
 * Writes through a temporary file and a rename, so a reader never sees half a file. A failed write
 * leaves no temporary behind. On a full disk there is no room for the copy, so the file is rewritten
 * in place: truncating it frees its own space first, and a summary saying "failed" beats one saying
 * "running" forever.
 */
export function writeJsonAtomic(file: string, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    if (!isDiskFull(error) || !existsSync(file)) throw error;
    writeFileSync(file, text);
  }
}

/** Creates `<outDir>/<id>/`, adding -2, -3… when the id is taken. */
export function createRunFolder(outDir: string, id: string): { runId: string; runDir: string } {
  mkdirSync(outDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const runId = attempt === 1 ? id : `${id}-${attempt}`;
    const runDir = join(outDir, runId);
    try {
      mkdirSync(runDir);
      return { runId, runDir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export class RunFolder {
  constructor(readonly runDir: string) {}

  writeConfig(config: unknown): void {
    writeJsonAtomic(join(this.runDir, RUN_FILES.config), config);
  }

  appendPoint(point: EvaluationPoint): void {
    const file = join(this.runDir, RUN_FILES.metrics);
    namingFile(file, () => appendFileSync(file, `${JSON.stringify(point)}\n`));
  }

  writeSummary(summary: unknown): void {
    writeJsonAtomic(join(this.runDir, RUN_FILES.summary), summary);
  }

  writeWeights(document: unknown): void {
    writeJsonAtomic(join(this.runDir, RUN_FILES.weights), document);
  }

  /** Replaces the recorded points (a resumed run drops any recorded after its last saved state). */
  rewritePoints(points: EvaluationPoint[]): void {
    writeFileSync(join(this.runDir, RUN_FILES.metrics), points.map((p) => `${JSON.stringify(p)}\n`).join(''));
  }

  /** A meta-learning run's coefficients and state as they stand (rewritten after every meta-episode, so a stop keeps them). */
  writeLearnedRule(document: unknown): void {
    writeJsonAtomic(join(this.runDir, RUN_FILES.learnedRule), document);
  }
}

/** A readable, sortable run id: "<name>-<yyyymmdd-hhmmss>[-<label>]". */
export function runIdFor(name: string, label: string, now = new Date()): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^a-z0-9.=]+/g, '-')
      .replace(/^-+|-+$/g, '');
  // A long label keeps its start and its end (where the seed usually is), so members stay told apart.
  const short = (text: string) => (text.length <= 60 ? text : `${text.slice(0, 30)}--${text.slice(-28)}`);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return [slug(name).slice(0, 60) || 'run', stamp, short(slug(label))].filter(Boolean).join('-');
}
