/**
 * A sweep's own folder, `<out>/sweeps/<sweep id>/sweep.json`: the grid, and every member with its
 * assignments, run id and status as they become known. Run folders stay flat beside it (the CLI,
 * the editor and `export` read them the same way); the sweep folder says which belong together.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExperimentConfig } from '../engine/config/schema';
import type { SweepMember } from '../engine/config/sweep';
import { createRunFolder, runIdFor, writeJsonAtomic } from './runFolder';
import { describeFileError } from './fileErrors';

export const SWEEP_FILE = 'sweep.json';
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

  update(index: number, change: { runId?: string; status?: string }): void {
    const member = this.record.members.find((m) => m.index === index);
    if (!member) return;
    if (change.runId !== undefined) member.runId = change.runId;
    if (change.status !== undefined) member.status = change.status;
    this.write();
  }

  /** Members that never started (the sweep was interrupted) are marked `status`. */
  settleUnstarted(status: string): void {
    for (const member of this.record.members) if (member.status === 'queued') member.status = status;
    this.write();
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

export function readSweep(dir: string): SweepRecord | null {
  const file = join(dir, SWEEP_FILE);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as SweepRecord;
    return record.format === 1 && Array.isArray(record.members) ? record : null;
  } catch {
    return null;
  }
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
