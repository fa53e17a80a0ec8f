// memory.toResizableBuffer() in headless Chromium (tests/browser/pages/resizable.js): the heap
// fixture over a memory the page makes, instrumented and not, in both modes.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

const loaded = pageResults('resizable.html');

test('the page ran', () => assert.equal(loaded().error, undefined, loaded().error));

const replacedBy = (method) => ({ kind: 'use-after-grow', method, stackNamesCall: true, messageNamesCall: true });

for (const mode of ['strict', 'compat']) {
  for (const variant of ['imported-heap.vs.wasm', 'imported-heap.wasm']) {
    const results = () => loaded()[`${mode} ${variant}`];

    test(`${mode}, ${variant}: views made before toResizableBuffer() are reported naming it`, () => {
      assert.deepEqual(results().stale, replacedBy('toResizableBuffer'));
      assert.deepEqual(results().staleWhole, replacedBy('toResizableBuffer'));
    });

    test(`${mode}, ${variant}: views over the resizable buffer outlive growth, the data intact`, () => {
      const { slowPaths, ...grown } = results().grown;
      assert.deepEqual(grown, {
        sameBuffer: true, grewPages: true, fixed: 'no report', fixedValue: 3, wholeLength: true,
        reads: [3, 3, 3, 0], newErrors: 0,
      });
      // A strict length-tracking view takes the slow path once after growth, then the fast one.
      // (In compat mode element reads are never intercepted.)
      assert.equal(slowPaths, mode === 'strict' ? 1 : 0);
    });

    test(`${mode}, ${variant}: Web IDL APIs handed a view over the resizable buffer: resizable-view`, () => {
      assert.deepEqual(results().webIdl, {
        'TextDecoder.decode': 'resizable-view',
        Blob: 'resizable-view',
        'crypto.getRandomValues': 'resizable-view',
        'WebGL2RenderingContext.bufferData': 'resizable-view',
      });
      assert.equal(results().copied, 'no report');
    });

    test(`${mode}, ${variant}: with haltOnError false, recorded once per place, and the call goes on`, () => {
      assert.deepEqual(results().recorded, {
        thrown: ['TypeError'],  // Chromium's own, from the API
        recorded: ['TextDecoder.decode', 'Blob', 'crypto.getRandomValues'],
      });
    });

    test(`${mode}, ${variant}: frees and reuses are caught through views over the resizable buffer`, () => {
      assert.equal(results().freed, 'use-after-free');
      assert.equal(results().reused, 'use-after-reuse');
    });

    test(`${mode}, ${variant}: toFixedLengthBuffer() detaches the resizable buffer, and is named`, () => {
      assert.deepEqual(results().fixedAgain, replacedBy('toFixedLengthBuffer'));
    });
  }
}

for (const mode of ['strict', 'compat']) {
  test(`${mode}, shared-heap.vs.wasm: a growable SharedArrayBuffer detaches nothing, and is resizable-view at a Web IDL API`, () => {
    assert.deepEqual(loaded()[`${mode} shared`], { growable: true, before: 'no report', decode: 'resizable-view' });
  });
}
