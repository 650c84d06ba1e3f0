/** How many training workers run at once when the user has not said. */
import { availableParallelism } from 'node:os';

/** The command line owns the machine while it runs: a worker per core, no more than there are members. */
export function commandLineWorkers(members: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(members, cores));
}

/**
 * The `plasticity.maxWorkers` setting; 0 (the default) leaves one core to the editor so it stays
 * responsive while a sweep runs.
 */
export function editorWorkers(setting: number, cores = availableParallelism()): number {
  return setting >= 1 ? Math.floor(setting) : Math.max(1, cores - 1);
}
