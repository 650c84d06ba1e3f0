/** How many workers run when the user has not said. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commandLineWorkers, editorWorkers } from '../../src/host/workerCount';

describe('worker count', () => {
  it('the command line takes a worker per core, never more than there are members', () => {
    assert.equal(commandLineWorkers(16, 2), 2);
    assert.equal(commandLineWorkers(3, 8), 3);
    assert.equal(commandLineWorkers(1, 8), 1);
    assert.equal(commandLineWorkers(0, 8), 1);
  });

  it('the editor leaves one core free by default, and takes a number it is given as it is', () => {
    assert.equal(editorWorkers(0, 8), 7);
    assert.equal(editorWorkers(0, 2), 1);
    assert.equal(editorWorkers(0, 1), 1);
    assert.equal(editorWorkers(4, 2), 4);
  });
});
