// The window a chart shows of its axis (zoom-window.js), and the address and time texts the
// charts read and write, without a browser.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMs, parseAddress } from '../../devtools/panel/format.js';
import { ZoomWindow } from '../../devtools/panel/zoom-window.js';

const shown = (window) => [window.from, window.to, window.zoomed];

describe('zoom window', () => {
  test('unzoomed, it is the whole extent and follows it as it grows', () => {
    const window = new ZoomWindow(1);
    window.setExtent(0, 100);
    assert.deepEqual(shown(window), [0, 100, false]);
    window.setExtent(0, 250);
    assert.deepEqual(shown(window), [0, 250, false]);
  });

  test('zooms around a pivot that keeps its place on screen', () => {
    const window = new ZoomWindow(1);
    window.setExtent(0, 100);
    window.zoom(0.5, 20);  // 20 is a fifth of the way in: it stays a fifth of the way in
    assert.deepEqual(shown(window), [10, 60, true]);
    window.zoom(0.5);      // around the middle
    assert.deepEqual(shown(window), [22.5, 47.5, true]);
    window.setExtent(0, 200);
    assert.deepEqual(shown(window), [22.5, 47.5, true], 'a zoomed window stays where it is as the extent grows');
  });

  test('stays inside the extent, no narrower than its minimum, and zooming out all the way unzooms', () => {
    const window = new ZoomWindow(4);
    window.setExtent(0, 100);
    window.zoom(0.001, 50);
    assert.deepEqual(shown(window), [48, 52, true]);
    window.zoom(0.5, 99);
    assert.equal(window.span, 4);
    window.show(90, 130);
    assert.deepEqual(shown(window), [60, 100, true], 'shifted back inside');
    window.pan(-1000);
    assert.deepEqual(shown(window), [0, 40, true]);
    window.pan(15);
    assert.deepEqual(shown(window), [15, 55, true]);
    window.zoom(10);
    assert.deepEqual(shown(window), [0, 100, false]);
    window.pan(10);
    assert.deepEqual(shown(window), [0, 100, false], 'nothing to pan when everything is shown');
  });

  test('show() widens a range narrower than the minimum around its middle; reset() shows everything', () => {
    const window = new ZoomWindow(10);
    window.setExtent(0, 100);
    window.show(50, 52);
    assert.deepEqual(shown(window), [46, 56, true]);
    window.reset();
    assert.deepEqual(shown(window), [0, 100, false]);
  });
});

describe('axis texts', () => {
  test('addresses as a user types them: 0x hex or decimal', () => {
    assert.equal(parseAddress('0x10010'), 0x10010);
    assert.equal(parseAddress(' 0X1_0010 '), 0x10010);
    assert.equal(parseAddress('65552'), 65552);
    for (const text of ['', 'ff', '0x', '-4', '1.5', '0x10g']) assert.equal(parseAddress(text), null, text);
  });

  test('times show as many digits as the axis resolves', () => {
    assert.equal(formatMs(12.4), '12 ms');
    assert.equal(formatMs(12.4, 0.1), '12.4 ms');
    assert.equal(formatMs(0.125, 0.005), '0.125 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(1234.5, 0.1), '1.2345 s');
  });
});
