// One heap, many threads, in headless Chromium: the threads sample (Emscripten pthreads) on a
// cross-origin isolated page, under register.js, whose workers get the runtime and the heap's one
// registry (tests/browser/pages/threads.js). Correct cross-thread use is silent and gives what
// the raw build gives; a frame a worker freed and reused, and HEAPU8 kept while a worker grew the
// memory, are caught. The raw build runs on the same page, uninstrumented: register leaves its
// allocations unseen, and still checks growth.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

for (const mode of ['strict', 'compat']) {
  const loaded = pageResults('threads.html', 'results', { query: `&mode=${mode}`, isolated: true, timeout: 90000 });

  test(`${mode}: the page ran, cross-origin isolated`, () => {
    assert.equal(loaded().error, undefined, loaded().error);
    assert.equal(loaded().isolated, true);
  });

  test(`${mode}: correct cross-thread use is silent and right`, () => {
    const result = loaded()['vs correct'];
    assert.deepEqual(result.value, result.expected, JSON.stringify(result));
    assert.deepEqual(result, loaded()['raw correct']);
  });

  test(`${mode}: a frame a worker freed, then reused, is caught through the main thread's view`, () => {
    const { error, report } = loaded()['vs freed'];
    assert.equal(error, 'use-after-reuse', report?.message);
    assert.equal(report.region.freeSite.func, 'release');
    assert.equal(report.newer.allocSite.func, 'produce');
    const raw = loaded()['raw freed'];
    assert.notEqual(raw.value, raw.expected, 'unguarded, the stale write corrupts the next frame');
  });

  test(`${mode}: HEAPU8 kept while a worker grew the memory`, () => {
    if (mode === 'compat') {
      // A real typed array: element reads cannot be intercepted; the read gives undefined.
      assert.equal(loaded()['vs grown'].value, null);
      return;
    }
    const { error, report } = loaded()['vs grown'];
    assert.equal(error, 'use-after-grow', report?.message);
    assert.equal(report.grow.shared, true);
    assert.match(report.message, /on another thread/);
    // The module as emcc wrote it still gets the growth checks (contract 2), from the same registry.
    assert.equal(loaded()['raw grown'].error, 'use-after-grow');
  });
}
