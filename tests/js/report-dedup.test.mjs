// Record-and-continue (halt_on_error=0) deduplicates as ASan does: a report made again of the same
// kind at the same place counts the first one up (report.count) instead of adding a report, so a
// loop over stale views makes one report, not one per view; report_all=1 keeps every occurrence.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { loadFreelistHeap } from './support/freelist-heap.mjs';

// The heap in use after a full collection: what the program keeps.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');
function retainedHeap() {
  collect();
  return process.memoryUsage().heapUsed;
}

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

for (const mode of ['strict', 'compat']) {
  test(`${mode}: 5,000 copies out of a guarded view at one place are one copy-out, every byte counted, and a new place still shows`, async () => {
    const heap = await loadFreelistHeap({ ...OPTIONS, mode });
    const p = heap.malloc(64);
    const view = new Uint8Array(heap.memory.buffer, p, 64);
    for (let i = 0; i < 5000; i++) view.slice(0, 16);
    assert.deepEqual(heap.session.reports.map((r) => r.kind), ['copy-out']);
    // A long run at one place is looked at less often, once in 64 copies at least.
    for (let i = 0; i < 64; i++) view.slice(16, 32);
    assert.deepEqual(heap.session.reports.map((r) => [r.kind, r.address]), [['copy-out', p], ['copy-out', p + 16]]);
    assert.equal(heap.session.stats().copyOutBytes, (5000 + 64) * 16);
  });
}

test('halt_on_error (the default): each report is thrown, none is counted into another', async () => {
  const { heap, views } = await staleViews({ haltOnError: true });
  for (const view of views.slice(0, 3)) assert.throws(() => view.at(0), { kind: 'use-after-free' });
  assert.deepEqual(heap.session.reports.map((r) => r.count), [1, 1, 1]);
});

test('100,000 violations at one place: one report, and memory stays bounded', async () => {
  const heap = await loadFreelistHeap(OPTIONS);
  const p = heap.malloc(64);
  const views = Array.from({ length: 100_000 }, () => new Uint8Array(heap.memory.buffer, p, 64));
  heap.free(p);
  const before = retainedHeap();
  for (const view of views) view.at(0);
  const grown = retainedHeap() - before;
  assert.equal(heap.session.reports.length, 1);
  assert.equal(heap.session.reports[0].count, 100_000);
  // A report is a few kilobytes (its stacks, its text): one per violation would be hundreds of MB.
  // What stays is each view's note that it was reported.
  assert.ok(grown < 32 * 1024 * 1024, `the heap kept ${grown} bytes more`);
});

test('10,000 distinct stale views, each made and read on one line: one report', async () => {
  const heap = await loadFreelistHeap(OPTIONS);
  for (let i = 0; i < 10_000; i++) {
    const p = heap.malloc(16);
    const view = new Uint8Array(heap.memory.buffer, p, 16);
    heap.free(p);
    view.at(0);
  }
  assert.deepEqual(heap.session.reports.map((r) => [r.kind, r.count]), [['use-after-free', 10_000]]);
});

test('10,000 double frees of one pointer: one report', async () => {
  const heap = await loadFreelistHeap(OPTIONS);
  const p = heap.malloc(16);
  heap.free(p);
  for (let i = 0; i < 10_000; i++) heap.free(p);
  assert.deepEqual(heap.session.reports.map((r) => [r.kind, r.count]), [['double-free', 10_000]]);
});
