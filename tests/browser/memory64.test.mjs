// memory64 in headless Chromium (tests/browser/pages/memory64.js): the 64-bit heap fixture,
// instrumented and not, in both modes.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

const loaded = pageResults('memory64.html');

test('the page ran', () => assert.equal(loaded().error, undefined, loaded().error));

for (const mode of ['strict', 'compat']) {
  for (const variant of ['freelist-heap64.vs.wasm', 'freelist-heap64.wasm']) {
    test(`${mode}, ${variant}: BigInt pointers, and views caught after free, reuse and growth`, () => {
      assert.deepEqual(loaded()[`${mode} ${variant}`], {
        pointer: 'bigint', region: ['bigint', true],
        freed: 'use-after-free', reused: 'use-after-reuse', grown: 'use-after-grow',
      });
    });
  }
}
