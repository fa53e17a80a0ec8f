// Guarded DataViews and postMessage cloning in real headless Chromium, in both modes
// (tests/browser/pages/dataview-clone.js): DataView use-after-free and use-after-grow (Float16 too),
// graphs of guarded views through window.postMessage and MessageChannel arriving as the same
// graphs of plain views do, and a freed view inside a posted graph reported at postMessage.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

const loaded = pageResults('dataview-clone.html');

test('the page ran', () => assert.equal(loaded().error, undefined, loaded().error));

for (const mode of ['strict', 'compat']) {
  test(`${mode}: DataView reads and writes the module's bytes, and get/set after free is use-after-free`, () => {
    const r = loaded()[mode];
    assert.deepEqual(r.dataViewLive, [1, 2.5, true, true, true]);
    assert.deepEqual(r.dataViewFreed, {
      kind: 'use-after-free', access: { op: 'read', method: 'getFloat32', byteOffset: 4 }, ctor: 'DataView',
    });
  });

  test(`${mode}: DataView after growth is use-after-grow; reading its buffer is not`, () => {
    assert.deepEqual(loaded()[mode].dataViewGrown, ['use-after-grow', 'no report']);
  });

  test(`${mode}: Float16 (getFloat16/setFloat16, Float16Array) is guarded where the engine has it`, () => {
    const r = loaded()[mode];
    assert.ok(r.float16, 'Chromium has DataView.prototype.getFloat16');
    assert.equal(r.float16Live, 1.5);
    assert.deepEqual(r.float16Freed, ['use-after-free', 'use-after-free']);
    assert.deepEqual(r.float16Array, { live: 0.5, freed: 'use-after-free' });
  });

  for (const via of ['window', 'MessageChannel']) {
    test(`${mode}: ${via} postMessage of a graph of guarded views delivers what plain views deliver`, () => {
      const r = loaded()[mode][`${via} clone`];
      assert.equal(r.error, undefined, r.error);
      assert.deepEqual(JSON.parse(r.guarded), JSON.parse(r.reference));
      assert.ok(r.shape, 'shared references, the cycle and one clone per view are kept');
    });
  }

  test(`${mode}: a freed view inside a posted graph is reported at postMessage`, () => {
    const r = loaded()[mode];
    assert.deepEqual(r.freedInGraph, { window: 'use-after-free', MessageChannel: 'use-after-free', structuredClone: 'use-after-free' });
    assert.equal(r.errors, 8, 'each report above, and no other');
  });
}
