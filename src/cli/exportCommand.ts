/** `plasticity-lab export RUN_DIR... --format csv|json --out FILE`: a run, a selection, a sweep folder, or a folder of runs. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listRuns } from '../runFiles/runStore';
import { sweepRunDirs } from '../runFiles/sweepFolder';
import { loadRunForExport, runsToCsv, runsToJson } from '../runFiles/export';
import { UsageError, writeFileNamed } from '../runFiles/fileErrors';

export function exportCommand(paths: string[], options: { format: 'csv' | 'json'; out?: string }): number {
  // The arguments first: a folder given as --out is refused before any run is read.
  if (options.out && existsSync(options.out) && statSync(options.out).isDirectory()) throw new UsageError(`--out ${resolve(options.out)}: is a folder; name the file to write`);
  const runDirs = paths.flatMap((path) => {
    const dir = resolve(path);
    if (existsSync(join(dir, 'summary.json'))) return [dir];
    const sweepRuns = sweepRunDirs(dir);
    if (sweepRuns) return sweepRuns;
    const inside = listRuns(dir).map((r) => r.runDir).reverse(); // oldest first: sweep order
    if (inside.length === 0) throw new UsageError(`${path}: neither a run folder (no summary.json), a sweep folder (sweep.json) nor a folder of run folders`);
    return inside;
  });
  const runs = runDirs.map(loadRunForExport);
  const text = options.format === 'csv' ? runsToCsv(runs) : runsToJson(runs);
  if (options.out) {
    writeFileNamed(resolve(options.out), text);
    process.stderr.write(`exported ${runs.length} run${runs.length === 1 ? '' : 's'} to ${resolve(options.out)}\n`);
  } else process.stdout.write(text);
  return 0;
}
