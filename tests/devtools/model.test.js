// ViewsanModel: folding contract-4 events into regions, reports and stats.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatSummary } from '../../devtools/lib/summary.js';
import { regionState, viewStatus, ViewsanModel } from '../../devtools/panel/model.js';
import { busyBatch, SITES, useAfterFreeBatch, useAfterFreeReport } from './fixtures/events.js';

const ZERO_STATS = {
  allocs: 0, frees: 0, reallocs: 0, grows: 0, liveBytes: 0, peakBytes: 0, copyOutBytes: 0, errors: 0, warnings: 0,
  unseenFrees: 0,
};

describe('ViewsanModel', () => {
  test('starts empty', () => {
    const model = new ViewsanModel();
    assert.deepEqual(model.stats, ZERO_STATS);
    assert.deepEqual(model.toJSON(), { version: 1, reports: [], stats: ZERO_STATS, events: [], pageErrors: [], contexts: [] });
  });

  test('folds an alloc, a free and a report into a freed region and one error', () => {
    const model = new ViewsanModel();
    model.ingest(useAfterFreeBatch(), 1);

    const session = model.sessions.get('1/1');
    assert.deepEqual(session.regions.get(1), {
      allocId: 1, ptr: 0x10010, size: 64, generation: 1, allocSite: SITES.mallocInRender, allocT: 0.5,
      freeT: 2.25, freeSite: SITES.freeInRender, endedBy: 'free', reusedBy: null,
    });
    assert.deepEqual(model.stats, { ...ZERO_STATS, allocs: 1, frees: 1, peakBytes: 64, errors: 1 });
    assert.deepEqual(model.reports, [{ report: useAfterFreeReport, sessionKey: '1/1', context: 1, t: 3, seq: 3 }]);
    assert.equal(session.endT, 3);
  });

  test('a report made again at its place takes the count that follows it, and so do the stats', () => {
    const model = new ViewsanModel();
    const [alloc, free, report] = useAfterFreeBatch();
    model.ingest([alloc, free, { ...report, reportId: 1, report: { ...useAfterFreeReport, count: 2 } }], 1);
    assert.equal(model.stats.errors, 2, 'a report sent late carries its count so far');
    model.ingest([{ type: 'report-count', seq: 4, t: 4, session: 1, reportId: 1, count: 7 }], 1);
    assert.equal(model.reports[0].report.count, 7);
    assert.equal(model.stats.errors, 7);
    model.ingest([{ type: 'report-count', seq: 5, t: 5, session: 1, reportId: 9, count: 3 }], 1);
    assert.equal(model.stats.errors, 7, 'a count for a report never received changes nothing');
  });

  test('tracks live and peak bytes through a realloc, reuse and growth', () => {
    const model = new ViewsanModel();
    model.ingest(busyBatch(), 1);
    const session = model.sessions.get('1/1');

    // Peak after the realloc: #1 (64) + #2 (256) + #4 (96, moved there from #3).
    // Live at the end: #4 and #5 (32, reusing #1's bytes).
    assert.deepEqual(model.stats, {
      allocs: 4, frees: 2, reallocs: 1, grows: 2, liveBytes: 128, peakBytes: 416,
      copyOutBytes: 128, errors: 1, warnings: 1, unseenFrees: 0,
    });
    assert.equal(session.regions.get(3).endedBy, 'realloc');
    assert.equal(session.regions.get(4).freeT, null);
    assert.equal(session.pages, 3);
    assert.deepEqual(session.grows.map(({ fromPages, toPages }) => [fromPages, toPages]), [[1, 2], [2, 3]]);
    assert.deepEqual(session.views.map((view) => view.viewId), [1, 2, 3]);
  });

  test('resizes a region in place when realloc keeps its allocId', () => {
    const model = new ViewsanModel();
    model.ingest([
      { type: 'alloc', seq: 1, t: 0, session: 1, ptr: 0x100, size: 16, allocId: 7, generation: 1, site: null },
      { type: 'realloc', seq: 2, t: 1, session: 1, oldPtr: 0x100, ptr: 0x100, size: 48, oldAllocId: 7, allocId: 7, site: null },
    ], 1);
    const region = model.sessions.get('1/1').regions.get(7);
    assert.equal(region.size, 48);
    assert.equal(region.freeT, null);
    assert.deepEqual([model.stats.liveBytes, model.stats.peakBytes], [48, 48]);
  });

  test('a free of an allocation made before the binding existed changes no bytes', () => {
    const model = new ViewsanModel();
    model.ingest([{ type: 'free', seq: 9, t: 5, session: 1, ptr: 0x100, size: 16, allocId: 3, site: null }], 1);
    assert.deepEqual(model.stats, { ...ZERO_STATS, frees: 1 });
  });

  test('keeps sessions apart by context, since session numbers restart in each', () => {
    const model = new ViewsanModel();
    model.ingest(useAfterFreeBatch(1), 1);
    model.ingest(useAfterFreeBatch(1), 2);
    model.ingest(useAfterFreeBatch(2), 2);
    assert.deepEqual([...model.sessions.keys()], ['1/1', '2/1', '2/2']);
    assert.equal(model.stats.errors, 3);
    assert.equal(model.stats.peakBytes, 3 * 64, 'peaks are summed over sessions, as report_path does');
  });

  test('lists reports oldest first, in arrival order across sessions', () => {
    const model = new ViewsanModel();
    const report = (session, seq, kind) =>
      ({ type: 'report', seq, t: seq, session, report: { ...useAfterFreeReport, kind } });
    model.ingest([report(1, 1, 'first')], 1);
    model.ingest([report(2, 1, 'second'), report(1, 2, 'third')], 1);
    model.ingest([report(1, 1, 'fourth')], 2);
    assert.deepEqual(model.toJSON().reports.map((r) => r.kind), ['first', 'second', 'third', 'fourth']);
  });

  test("the report file merges a place's reports from several sessions (a page's workers), counts summed", () => {
    const model = new ViewsanModel();
    const report = (session, seq, extra = {}) =>
      ({ type: 'report', seq, t: seq, session, report: { ...useAfterFreeReport, ...extra } });
    model.ingest([report(1, 1, { count: 3 })], 1);
    model.ingest([report(1, 1)], 2);  // a worker: same place
    model.ingest([report(1, 2, { stack: `${useAfterFreeReport.stack}\n    at elsewhere (app.js:1:1)` })], 2);
    model.ingest([report(1, 3)], 2);  // again in one session: a thrown report, its own
    assert.equal(model.reports.length, 4, 'the panel keeps each session\'s');
    const { reports } = model.toJSON();
    assert.deepEqual(reports.map((r) => r.count ?? 1), [4, 1, 1]);
    assert.equal(reports[0].stack, useAfterFreeReport.stack);
    assert.equal(model.reports[0].report.count, 3, 'the merge copies');
  });

  test('keeps unknown event types in the log and otherwise ignores them, and drops non-events', () => {
    const model = new ViewsanModel();
    const future = { type: 'thread-spawn', seq: 1, t: 0, session: 1, tid: 2 };
    const accepted = model.ingest([future, null, 42, 'alloc', { seq: 2 }, ...useAfterFreeBatch()], 1);
    assert.equal(accepted.length, 4);
    assert.deepEqual(model.events[0], { ...future, context: 1 });
    assert.deepEqual(model.stats, { ...ZERO_STATS, allocs: 1, frees: 1, peakBytes: 64, errors: 1 });
  });

  test('counts the allocator events the runtime could not stream, per session, and the summary says so', () => {
    const model = new ViewsanModel();
    model.ingest([{ type: 'overflow', seq: 0, t: 1, session: 1, lost: 1398 }, { type: 'overflow', seq: 1, t: 2, session: 1, lost: 2 }], 1);
    model.ingest([{ type: 'overflow', seq: 0, t: 1, session: 1, lost: 5 }], 2);
    assert.equal(model.lostEvents, 1405);
    assert.equal(model.sessions.get('1/1').lostEvents, 1400);
    const summary = formatSummary({ report: model.toJSON(), endedBy: 'idle', loaded: true, warnings: [], model });
    assert.match(summary, /warning: 1405 allocator events could not be streamed \(the runtime's event ring overflowed\)/);
    assert.doesNotMatch(formatSummary({ report: new ViewsanModel().toJSON(), endedBy: 'idle', loaded: true, warnings: [], model: new ViewsanModel() }),
      /could not be streamed/);
  });

  test('tells subscribers about events and page errors until they unsubscribe', () => {
    const model = new ViewsanModel();
    const changes = [];
    const unsubscribe = model.subscribe((change) => changes.push(change.type));
    model.ingest(useAfterFreeBatch(), 1);
    model.ingest([], 1);
    model.addPageError({ type: 'exception', message: 'Uncaught Error: boom' });
    model.addContext({ context: 1, target: 'page', url: 'http://app/' });
    unsubscribe();
    model.ingest(useAfterFreeBatch(), 1);
    assert.deepEqual(changes, ['events', 'pageError', 'context']);
  });

  test('round-trips through the report file', () => {
    const model = new ViewsanModel();
    model.ingest(busyBatch(), 1);
    model.ingest(useAfterFreeBatch(1), 2);
    model.addPageError({ type: 'console', message: 'boom' });
    model.addContext({ context: 2, target: 'worker', url: 'http://app/worker.js', name: 'decoder' });
    const json = JSON.parse(JSON.stringify(model));

    const reread = ViewsanModel.fromJSON(json);
    assert.deepEqual(reread.toJSON(), json);
    assert.deepEqual([...reread.sessions.keys()], ['1/1', '2/1']);
    assert.deepEqual(reread.contexts.get(2), { context: 2, target: 'worker', url: 'http://app/worker.js', name: 'decoder' });
  });

  test("reads a Node report_path file, which has reports and stats but no events", () => {
    const stats = { ...ZERO_STATS, allocs: 5, errors: 1 };
    const model = ViewsanModel.fromJSON({ version: 1, reports: [useAfterFreeReport], stats });
    assert.deepEqual(model.stats, stats);
    assert.deepEqual(model.reports, [{ report: useAfterFreeReport, sessionKey: null, context: null, t: null, seq: null }]);
    assert.equal(model.sessions.size, 0);
  });

  test('tells quarantined regions from reused ones', () => {
    const model = new ViewsanModel();
    model.ingest(busyBatch(), 1);
    const { regions, quarantined } = model.sessions.get('1/1');
    // #1 was freed and #5 took its first 32 bytes; #3 moved to #4 by realloc; #2 was freed last.
    assert.deepEqual([...regions.values()].map((region) => [region.allocId, regionState(region)]),
      [[1, 'reused'], [2, 'quarantined'], [3, 'quarantined'], [4, 'live'], [5, 'live']]);
    assert.equal(regions.get(1).reusedBy, 5);
    assert.deepEqual(quarantined.map((region) => region.allocId), [2, 3], 'sorted by address');

    // A later allocation over both quarantined regions reuses both.
    model.ingest([{ type: 'alloc', seq: 99, t: 20, session: 1, ptr: 0x10060, size: 0x200, allocId: 6, site: null }], 1);
    assert.deepEqual([regionState(regions.get(2)), regionState(regions.get(3))], ['reused', 'reused']);
    assert.deepEqual(quarantined, []);
  });

  test('says which views are live, freed under them or detached by growth', () => {
    const model = new ViewsanModel();
    model.ingest(busyBatch(), 1);
    // #1 over alloc #1 (freed at t=7), #2 whole-buffer after the last grow, #3 over alloc #2 (freed at t=14).
    assert.deepEqual(model.views.map((view) => [view.viewId, viewStatus(view)]), [[1, 'freed'], [2, 'live'], [3, 'freed']]);
    model.ingest([{ type: 'grow', seq: 50, t: 15, session: 1, fromPages: 3, toPages: 4 }], 1);
    assert.equal(viewStatus(model.views[1]), 'detached');
    assert.equal(model.views[1].owner, model.sessions.get('1/1'));
  });

  test('rejects JSON that is not a report', () => {
    assert.throws(() => ViewsanModel.fromJSON({ hello: 1 }), /not a viewsan report/);
  });
});
