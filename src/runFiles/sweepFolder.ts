/**
 * A sweep's own folder, `<out>/sweeps/<sweep id>/`: `sweep.json` holds the grid and every member
 * with its assignments, run id and status. While the sweep runs, each change is appended to
 * `sweep.log.jsonl` instead (a line per change, whatever the grid's size); when the sweep settles the
 * log is folded into `sweep.json` once. A reader folds in whatever log a stopped process left.
 * Run folders stay flat beside it (the CLI, the editor and `export` read them the same way).
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExperimentConfig } from '../engine/config/schema';
import type { SweepMember } from '../engine/config/sweep';
import { createRunFolder, runIdFor, writeJsonAtomic } from './runFolder';
import { describeFileError } from './fileErrors';

export const SWEEP_FILE = 'sweep.json';
export const SWEEP_LOG = 'sweep.log.jsonl';
export const SWEEPS_DIR = 'sweeps';

export interface SweepMemberRecord {
  index: number;
  label: string;
  assignments: Record<string, unknown>;
  /** The member's run folder name in the runs folder, once it has started. */
  runId: string | null;
  status: string;
}

export interface SweepRecord {
  format: 1;
  sweepId: string;
  name: string;
  createdAt: string;
  grid: Record<string, unknown[]>;
  /** "i/n" when this process ran one shard of the grid; the other members are listed as "elsewhere". */
  shard: string | null;
  members: SweepMemberRecord[];
}

export class SweepFolder {
  private constructor(
    readonly dir: string,
    private readonly record: SweepRecord,
  ) {}

  /** Null for a config without a sweep. `members` are the ones this process runs. */
  static create(outDir: string, config: ExperimentConfig, members: SweepMember[], all: SweepMember[], shard: string | null = null): SweepFolder | null {
    if (!config.sweep || Object.keys(config.sweep).length === 0) return null;
    // Shards get distinct ids, so their folders never clash when merged.
    const { runId: sweepId, runDir: dir } = createRunFolder(join(outDir, SWEEPS_DIR), runIdFor(config.name, shard ? `shard ${shard.replace('/', ' of ')}` : ''));
    const running = new Set(members.map((m) => m.index));
    const record: SweepRecord = {
      format: 1,
      sweepId,
      name: config.name,
      createdAt: new Date().toISOString(),
      grid: config.sweep,
      shard,
      members: all.map((m) => ({ index: m.index, label: m.label, assignments: m.assignments, runId: null, status: running.has(m.index) ? 'queued' : 'elsewhere' })),
    };
    const folder = new SweepFolder(dir, record);
    folder.write();
    return folder;
  }

  /** Records a member's change: one line appended, not the whole grid rewritten. */
  update(index: number, change: { runId?: string; status?: string }): void {
    const member = this.record.members[index];
    if (member?.index !== index) return;
    applyChange(member, change);
    try {
      appendFileSync(join(this.dir, SWEEP_LOG), `${JSON.stringify({ index, ...change })}\n`);
    } catch (error) {
      this.writeFailure ??= describeFileError(error)?.line ?? (error as Error).message;
    }
  }

  /** Folds the changes into sweep.json (once, when the sweep has settled) and drops the log. */
  settle(): void {
    this.write();
    if (this.writeFailure === null) rmSync(join(this.dir, SWEEP_LOG), { force: true });
  }

  /** The first update that could not be written (a full disk), if any; later updates keep trying. */
  writeFailure: string | null = null;

  private write(): void {
    try {
      writeJsonAtomic(join(this.dir, SWEEP_FILE), this.record);
    } catch (error) {
      // The members' run folders stay the record of what ran; the sweep file catches up when it can.
      this.writeFailure ??= describeFileError(error)?.line ?? (error as Error).message;
    }
  }
}

function applyChange(member: SweepMemberRecord, change: { runId?: string; status?: string }): void {
  if (change.runId !== undefined) member.runId = change.runId;
  if (change.status !== undefined) member.status = change.status;
}

/** The sweep as it stands: sweep.json with any changes still in its log folded in. */
export function readSweep(dir: string): SweepRecord | null {
  const file = join(dir, SWEEP_FILE);
  if (!existsSync(file)) return null;
  let record: SweepRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as SweepRecord;
  } catch {
    return null;
  }
  if (record.format !== 1 || !Array.isArray(record.members)) return null;
  const log = join(dir, SWEEP_LOG);
  if (existsSync(log)) {
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      try {
        const change = JSON.parse(line) as { index: number; runId?: string; status?: string };
        const member = record.members[change.index];
        if (member?.index === change.index) applyChange(member, change);
      } catch {
        // An empty or cut-off last line.
      }
    }
  }
  return record;
}

/**
 * The run folders of a sweep's members that have started, in grid order (runs sit two levels up);
 * null when `sweepDir` is not a sweep folder.
 */
export function sweepRunDirs(sweepDir: string): string[] | null {
  const record = readSweep(sweepDir);
  if (!record) return null;
  const runsDir = dirname(dirname(sweepDir));
  return record.members.flatMap((m) => (m.runId && existsSync(join(runsDir, m.runId)) ? [join(runsDir, m.runId)] : []));
}
