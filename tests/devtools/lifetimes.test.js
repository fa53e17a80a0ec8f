// What the timeline computes of allocation lifetimes, without a browser: the lanes they are packed
// into (lifetime-lanes.js) and what each pixel column of a time window holds (lifetime-columns.js).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { liveBytesAt, liveBytesPerColumn, liveCountPerColumn, meetsWindow } from '../../devtools/panel/lifetime-columns.js';
import { packLanes, regionAt } from '../../devtools/panel/lifetime-lanes.js';

const life = (allocT, freeT, size = 8) => ({ allocT, freeT, size });

describe('lanes', () => {
  test('first fit in allocation order; a live lifetime takes its lane for good; the rest overflow', () => {
    const a = life(0, 2);
    const b = life(1, null);
    const c = life(2, 3);   // a's lane is free again at 2
    const d = life(2.5, 4); // both lanes busy
    const { lanes, overflow } = packLanes([a, b, c, d], 2);
    assert.deepEqual(lanes, [[a, c], [b]]);
    assert.deepEqual(overflow, [d]);
  });

  test('the region of a lane at a time, a live one running to the end', () => {
    const lane = [life(0, 2), life(3, 5), life(6, null)];
    assert.equal(regionAt(lane, 4, 4, 10), lane[1]);
    assert.equal(regionAt(lane, 2.5, 2.8, 10), null);
    assert.equal(regionAt(lane, 9, 9, 10), lane[2]);
  });
});

describe('columns of a time window', () => {
  const window = { from: 10, to: 20, span: 10 };

  test('a lifetime meets the window when it overlaps it, ends included', () => {
    assert.equal(meetsWindow(life(0, 10), window), true);
    assert.equal(meetsWindow(life(20, null), window), true);
    assert.equal(meetsWindow(life(0, 9), window), false);
    assert.equal(meetsWindow(life(21, null), window), false);
  });

  test('live counts per column, lifetimes before the window counted from its start', () => {
    const { counts, peak } = liveCountPerColumn([life(0, 15), life(12, null), life(30, null)], window, 10);
    assert.deepEqual([...counts], [1, 1, 2, 2, 2, 1, 1, 1, 1, 1]);
    assert.equal(peak, 2);
  });

  test('live bytes per column: the level at each end and the peak within, a peak only for what starts inside', () => {
    const { columns, levels, peaks, highest } = liveBytesPerColumn(
      [life(0, 15, 100), life(12.2, 12.6, 40)], window, 10);
    assert.equal(columns, 10);
    assert.deepEqual([...levels].slice(0, 6), [100, 100, 100, 100, 100, 0]);
    assert.equal(peaks[0], 100, 'made before the window: no peak of its own');
    assert.equal(peaks[2], 140, 'made and freed within one column: still a peak');
    assert.equal(highest, 140);
    assert.equal(liveBytesAt([life(0, 15, 100), life(12.2, 12.6, 40)], 12.4), 140);
    assert.equal(liveBytesAt([life(0, 15, 100)], 15), 0, 'freed at 15: not live at 15');
  });
});
