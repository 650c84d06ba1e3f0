/** The pools' waiting line: order kept, removal by id, jobs put back first. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue } from '../../src/host/jobQueue';
import type { RunJobSpec } from '../../src/protocol/hostWorker';

const job = {} as RunJobSpec;
const entry = (jobId: string) => ({ jobId, job });

describe('job queue', () => {
  it('keeps order, skips removed jobs, and puts a job back at the front', () => {
    const queue = new JobQueue();
    for (const id of ['a', 'b', 'c', 'd']) queue.push(entry(id));
    assert.equal(queue.remove('b'), true);
    assert.equal(queue.remove('b'), false, 'removed once');
    assert.equal(queue.remove('zz'), false);
    assert.deepEqual(queue.ids(), ['a', 'c', 'd']);
    assert.equal(queue.size, 3);
    assert.equal(queue.shift()?.jobId, 'a');
    queue.unshift(entry('a'));
    assert.deepEqual([queue.shift()?.jobId, queue.shift()?.jobId, queue.shift()?.jobId, queue.shift()], ['a', 'c', 'd', undefined]);
    assert.equal(queue.size, 0);
  });

  it('clears, returning what waited in order', () => {
    const queue = new JobQueue();
    for (const id of ['x', 'y', 'z']) queue.push(entry(id));
    queue.remove('y');
    assert.deepEqual(queue.clear(), ['x', 'z']);
    assert.equal(queue.shift(), undefined);
  });

  it('removes from a line of 100,000 without searching it', () => {
    const queue = new JobQueue();
    for (let i = 0; i < 100_000; i++) queue.push(entry(`j${i}`));
    for (let i = 99_999; i >= 1; i--) queue.remove(`j${i}`);
    assert.deepEqual(queue.ids(), ['j0']);
  });
});
