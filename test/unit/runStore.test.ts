/** Run folders read back: a run whose process was killed from outside reads as interrupted. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns, readSettledSummary } from '../../src/runFiles/runStore';
import { loadRunForExport } from '../../src/runFiles/export';

const point = (step: number) => ({ step, epoch: 0, trainLoss: null, testLoss: 2.3, testAccuracy: 0.1 + step / 1000, elapsedSec: 0, layers: [] });

function runFolder(runsDir: string, id: string, owner: { pid: number; host: string }): string {
  const dir = join(runsDir, id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ runId: id, label: '', status: 'running', steps: 0, timing: { startedAt: `2026-01-01T00:00:0${id.length % 10}Z` }, owner }));
  writeFileSync(join(dir, 'metrics.jsonl'), `${JSON.stringify(point(0))}\n${JSON.stringify(point(50))}\n`);
  return dir;
}

describe('runs killed from outside', () => {
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;

  it('a running run whose process on this machine is gone is closed as interrupted, with its last point', () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'orphans-'));
    const orphan = runFolder(runsDir, 'orphan', { pid: deadPid, host: hostname() });
    const [stored] = listRuns(runsDir);
    assert.equal(stored!.summary.status, 'failed');
    assert.equal(stored!.summary.reason, `interrupted: its process (pid ${deadPid}) ended before the run finished`);
    assert.equal(stored!.summary.final!.step, 50);
    const onDisk = JSON.parse(readFileSync(join(orphan, 'summary.json'), 'utf8'));
    assert.equal(onDisk.status, 'failed', 'the folder says so from now on');
    assert.equal(loadRunForExport(orphan).status, 'failed');
  });

  it('a run whose process is alive, or that runs on another machine, stays running', () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'owners-'));
    const alive = runFolder(runsDir, 'alive', { pid: process.pid, host: hostname() });
    const elsewhere = runFolder(runsDir, 'elsewhere', { pid: deadPid, host: `not-${hostname()}` });
    assert.equal(readSettledSummary(alive)!.status, 'running');
    assert.equal(readSettledSummary(elsewhere)!.status, 'running');
    assert.deepEqual(listRuns(runsDir).map((r) => r.summary.status), ['running', 'running']);
  });
});
