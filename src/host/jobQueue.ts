/**
 * The jobs waiting for a worker, in order, with removal by id in O(1): stopping a sweep of 100,000
 * queued members must not cost 100,000 searches of the queue.
 */
import type { RunJobSpec } from '../protocol/hostWorker';

export interface QueuedJob {
  jobId: string;
  job: RunJobSpec;
  attempts?: number;
}

export class JobQueue {
  private entries: Array<QueuedJob | undefined> = [];
  private head = 0;
  private readonly waiting = new Set<string>();

  get size(): number {
    return this.waiting.size;
  }

  push(entry: QueuedJob): void {
    this.entries.push(entry);
    this.waiting.add(entry.jobId);
  }

  /** Back to the front of the line (a job whose worker died before it began). */
  unshift(entry: QueuedJob): void {
    if (this.head > 0) this.entries[--this.head] = entry;
    else this.entries.unshift(entry);
    this.waiting.add(entry.jobId);
  }

  /** The next job still waiting, if any. */
  shift(): QueuedJob | undefined {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head];
      this.entries[this.head++] = undefined;
      if (entry && this.waiting.delete(entry.jobId)) {
        this.compactWhenDrained();
        return entry;
      }
    }
    this.compactWhenDrained();
    return undefined;
  }

  /** Takes a waiting job out of the line; false when it is not waiting. */
  remove(jobId: string): boolean {
    return this.waiting.delete(jobId);
  }

  has(jobId: string): boolean {
    return this.waiting.has(jobId);
  }

  /** Every waiting job's id, in order. */
  ids(): string[] {
    return this.entries.slice(this.head).flatMap((entry) => (entry && this.waiting.has(entry.jobId) ? [entry.jobId] : []));
  }

  /** Empties the line; returns the ids that were waiting, in order. */
  clear(): string[] {
    const ids = this.ids();
    this.entries = [];
    this.head = 0;
    this.waiting.clear();
    return ids;
  }

  private compactWhenDrained(): void {
    if (this.waiting.size === 0) {
      this.entries = [];
      this.head = 0;
    }
  }
}
