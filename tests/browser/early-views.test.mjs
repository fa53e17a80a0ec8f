// Views made before viewsan saw the memory's module, in headless Chromium
// (tests/browser/pages/early-views.js): once the shim has arrived, a view made over a memory
// before the module that imports it is instantiated is guarded, and belongs to that module's
// session.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

const loaded = pageResults('early-views.html');

test('the page ran', () => assert.equal(loaded().error, undefined, loaded().error));

test('the early view is use-after-grow after a memory.grow() from the glue, in the module\'s session', () => {
  assert.equal(loaded().early, 'use-after-grow');
  assert.deepEqual(loaded().reports, [['use-after-grow', 'js']]);
});

test('the correct flow, its view re-created after growth, reads right', () => {
  assert.deepEqual(loaded().correct, [1, 8]);
});
