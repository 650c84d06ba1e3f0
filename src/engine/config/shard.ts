/** Slices of a sweep for spreading it over machines: `--shard i/n` takes members i, i+n, i+2n, … (1-based i). */
import type { SweepMember } from './sweep';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard ${JSON.stringify(text)}: expected i/n with 1 <= i <= n, e.g. 2/8`);
  }
  return { index, count };
}

/** Round-robin, so every shard gets a mix of the grid (and every member lands in exactly one). */
export function shardMembers<T extends Pick<SweepMember, 'index'>>(members: T[], shard: Shard): T[] {
  return members.filter((m) => m.index % shard.count === shard.index - 1);
}
