/**
 * Reads run folders back (the Runs view, dashboards, the CLI), and closes a run that was left
 * "running" by a process that died: its summary then says what happened, from the points on disk.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { ExperimentConfig } from '../engine/config/schema';
import type { EvaluationPoint } from '../engine/diagnostics/metrics';
import { RUN_FILES, writeJsonAtomic } from './runFolder';
import { outcomeOf, type RunSummary } from './summary';

export interface StoredRun {
  runId: string;
  runDir: string;
  summary: RunSummary;
  config: ExperimentConfig | null;
}

export function readSummary(runDir: string): RunSummary | null {
  try {
    return JSON.parse(readFileSync(join(runDir, RUN_FILES.summary), 'utf8')) as RunSummary;
  } catch {
    return null;
  }
}

export function readConfig(runDir: string): ExperimentConfig | null {
  try {
    return JSON.parse(readFileSync(join(runDir, RUN_FILES.config), 'utf8')) as ExperimentConfig;
  } catch {
    return null;
  }
}

/** Every complete line of metrics.jsonl; a line cut short by a crash is left out. */
export function readPoints(runDir: string): EvaluationPoint[] {
  const file = join(runDir, RUN_FILES.metrics);
  if (!existsSync(file)) return [];
  const points: EvaluationPoint[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      points.push(JSON.parse(line) as EvaluationPoint);
    } catch {
      // A partial last line from a process that died mid-write.
    }
  }
  return points;
}

/** Everything a run folder holds (what a dashboard shows for a run this host is not running). */
export function readRun(runDir: string): { summary: RunSummary | null; points: EvaluationPoint[]; config: ExperimentConfig | null } {
  return { summary: readSettledSummary(runDir), points: readPoints(runDir), config: readConfig(runDir) };
}

/** Whether `pid` is a live process on this machine. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A run that says "running" though the process writing it, on this machine, is gone (killed from outside). */
export function isOrphaned(summary: RunSummary): boolean {
  return summary.status === 'running' && summary.owner !== undefined && summary.owner.host === hostname() && !isAlive(summary.owner.pid);
}

/**
 * The summary as it stands: a run whose owner is gone is closed as interrupted (its summary
 * rewritten once, from the points on disk; where the folder cannot be written, only as read).
 */
export function readSettledSummary(runDir: string): RunSummary | null {
  const summary = readSummary(runDir);
  if (!summary || !isOrphaned(summary)) return summary;
  const reason = `interrupted: its process (pid ${summary.owner!.pid}) ended before the run finished`;
  try {
    return closeAbandonedRun(runDir, 'failed', reason);
  } catch {
    return { ...summary, status: 'failed', reason };
  }
}

/** Run folders under `runsDir`, newest first (ids start with the run's name and UTC time). */
export function listRuns(runsDir: string): StoredRun[] {
  if (!existsSync(runsDir) || !statSync(runsDir).isDirectory()) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const runDir = join(runsDir, entry.name);
      const summary = readSettledSummary(runDir);
      return summary ? [{ runId: entry.name, runDir, summary, config: readConfig(runDir) }] : [];
    })
    .sort((a, b) => b.summary.timing.startedAt.localeCompare(a.summary.timing.startedAt));
}

/** Rewrites a summary still marked "running" as `status`, with the last recorded point as final. */
export function closeAbandonedRun(runDir: string, status: 'failed' | 'stopped', reason: string): RunSummary | null {
  const summary = readSummary(runDir);
  if (!summary || summary.status !== 'running') return summary;
  const points = readPoints(runDir);
  const closed: RunSummary = {
    ...summary,
    status,
    reason,
    steps: points[points.length - 1]?.step ?? 0,
    ...outcomeOf(points),
    timing: { ...summary.timing, endedAt: new Date().toISOString(), evaluations: points.length },
  };
  writeJsonAtomic(join(runDir, RUN_FILES.summary), closed);
  return closed;
}

export function deleteRun(runDir: string): void {
  rmSync(runDir, { recursive: true, force: true });
}
