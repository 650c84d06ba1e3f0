/** Dashboard series helpers: decimation keeps extremes within a budget; smoothing is an EMA. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, smooth } from '../../webview-ui/dashboard/series';

describe('decimate', () => {
  const series = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) + (i === 5003 ? 40 : 0) }));
  it('returns short series unchanged', () => assert.equal(decimate(series.slice(0, 100), 200).length, 100));
  it('keeps the first, the last and every spike within the budget', () => {
    const out = decimate(series, 300);
    assert.ok(out.length <= 300, `${out.length}`);
    assert.deepEqual(out[0], series[0]);
    assert.deepEqual(out.at(-1), series.at(-1));
    assert.ok(out.some((p) => p.x === 5003), 'the spike survives');
    assert.ok(out.every((p, i) => i === 0 || p.x > out[i - 1]!.x), 'x stays increasing');
  });
});

describe('smooth', () => {
  it('is an exponential moving average, hand-computed', () => {
    const out = smooth([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 3 }], 0.5);
    assert.deepEqual(out.map((p) => p.y), [1, 2, 2.5]);
  });
  it('0 leaves the series alone', () => assert.deepEqual(smooth([{ x: 0, y: 5 }], 0), [{ x: 0, y: 5 }]));
});
