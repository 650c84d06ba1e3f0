/** A sweep folder: changes appended while it runs, folded into sweep.json once it settles. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSweep, SweepFolder, SWEEP_FILE, SWEEP_LOG } from '../../src/runFiles/sweepFolder';
import { expandSweep } from '../../src/engine/config/sweep';
import { parseExperiment } from '../../src/engine/config/validate';

describe('sweep folder', () => {
  const config = parseExperiment({ name: 'grid', sweep: { seed: Array.from({ length: 2000 }, (_, i) => i) } });
  const members = expandSweep(config);

  it('an update appends one line, whatever the grid size; settling folds the log into sweep.json', () => {
    const out = mkdtempSync(join(tmpdir(), 'sweep-'));
    const folder = SweepFolder.create(out, config, members, members)!;
    const file = join(folder.dir, SWEEP_FILE);
    const before = statSync(file).size;
    folder.update(7, { runId: 'grid-7', status: 'running' });
    folder.update(7, { status: 'completed' });
    assert.equal(statSync(file).size, before, 'sweep.json is not rewritten per change');
    assert.equal(readFileSync(join(folder.dir, SWEEP_LOG), 'utf8').trim().split('\n').length, 2);
    // A reader sees the changes already, from the log.
    assert.deepEqual(readSweep(folder.dir)!.members[7], { index: 7, label: 'seed=7', assignments: { seed: 7 }, runId: 'grid-7', status: 'completed' });
    folder.settle();
    assert.deepEqual(readdirSync(folder.dir), [SWEEP_FILE]);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(record.members[7].status, 'completed');
    assert.equal(record.members[8].status, 'queued');
  });

  it('a log left by a process that died is folded in on reading, a cut-off last line ignored', () => {
    const out = mkdtempSync(join(tmpdir(), 'sweep-'));
    const folder = SweepFolder.create(out, config, members, members)!;
    folder.update(0, { runId: 'grid-0', status: 'running' });
    folder.update(1, { status: 'cancelled' });
    require('node:fs').appendFileSync(join(folder.dir, SWEEP_LOG), '{"index":2,"sta');
    const record = readSweep(folder.dir)!;
    assert.deepEqual(record.members.slice(0, 3).map((m) => m.status), ['running', 'cancelled', 'queued']);
    assert.ok(existsSync(join(folder.dir, SWEEP_LOG)));
  });
});
