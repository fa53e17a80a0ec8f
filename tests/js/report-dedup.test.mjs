// Record-and-continue (halt_on_error=0) deduplicates as ASan does: a report made again of the same
// kind at the same place counts the first one up (report.count) instead of adding a report, so a
// loop over stale views makes one report, not one per view; report_all=1 keeps every occurrence.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadFreelistHeap } from './support/freelist-heap.mjs';

// exitcode 0: the errors here are recorded on purpose (the latest session's options apply at exit).
const OPTIONS = { haltOnError: false, exitcode: 0 };
const VIEWS = 1000;

// VIEWS views over one allocation, which is then freed.
async function staleViews(options) {
  const heap = await loadFreelistHeap({ ...OPTIONS, ...options });
  const p = heap.malloc(64);
  const views = Array.from({ length: VIEWS }, () => new Uint8Array(heap.memory.buffer, p, 64));
  heap.free(p);
  return { heap, views };
}

for (const mode of ['strict', 'compat']) {
  test(`${mode}: a loop over ${VIEWS} stale views is one report, counted ${VIEWS} times`, async () => {
    const { heap, views } = await staleViews({ mode });
    for (const view of views) view.at(0);
    const { reports } = heap.session;
    assert.equal(reports.length, 1);
    assert.equal(reports[0].kind, 'use-after-free');
    assert.equal(reports[0].count, VIEWS);
    assert.equal(heap.session.stats().errors, VIEWS, 'stats count every occurrence');
  });

  test(`${mode}: the same kind at another place is another report`, async () => {
    const { heap, views } = await staleViews({ mode });
    views[0].at(0);
    views[1].at(0);
    assert.deepEqual(heap.session.reports.map((r) => r.count), [1, 1]);
  });

  test(`${mode}: report_all keeps every occurrence`, async () => {
    const { heap, views } = await staleViews({ mode, reportAll: true });
    for (const view of views) view.at(0);
    assert.equal(heap.session.reports.length, VIEWS);
    assert.ok(heap.session.reports.every((r) => r.count === 1));
  });
}

test('halt_on_error (the default): each report is thrown, none is counted into another', async () => {
  const { heap, views } = await staleViews({ haltOnError: true });
  for (const view of views.slice(0, 3)) assert.throws(() => view.at(0), { kind: 'use-after-free' });
  assert.deepEqual(heap.session.reports.map((r) => r.count), [1, 1, 1]);
});
