// The panel's filters (kind, severity, session, search, time range, live views) and the incremental list
// they keep, without a browser.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyFilter, FilteredList, matchesReport, matchesView } from '../../devtools/panel/filters.js';
import { ViewsanModel } from '../../devtools/panel/model.js';
import { busyBatch, useAfterFreeBatch } from './fixtures/events.js';

function model() {
  const m = new ViewsanModel();
  m.ingest(busyBatch(1), 1);
  m.ingest(useAfterFreeBatch(1), 2);
  return m;
}

const kinds = (entries) => entries.map((entry) => entry.report.kind);

describe('report filters', () => {
  test('by kind, severity and session', () => {
    const { reports } = model();
    const only = (change) => kinds(reports.filter((entry) => matchesReport(entry, { ...emptyFilter(), ...change })));
    assert.deepEqual(only({}), ['use-after-reuse', 'copy-out', 'use-after-free']);
    assert.deepEqual(only({ kind: 'copy-out' }), ['copy-out']);
    assert.deepEqual(only({ severity: 'error' }), ['use-after-reuse', 'use-after-free']);
    assert.deepEqual(only({ sessionKey: '2/1' }), ['use-after-free']);
    assert.deepEqual(only({ sessionKey: '2/1', severity: 'warning' }), []);
  });

  test('search matches every word, anywhere in the message, sites and stacks, ignoring case', () => {
    const { reports } = model();
    const search = (text) => kinds(reports.filter((entry) => matchesReport(entry, { ...emptyFilter(), search: text })));
    assert.deepEqual(search('UPLOAD'), ['copy-out'], 'a function of the faulting stack');
    assert.deepEqual(search('render_frame'), ['use-after-reuse', 'use-after-free'], 'the allocation site');
    assert.deepEqual(search('drawMesh reuse'), ['use-after-reuse']);
    assert.deepEqual(search('nothing-like-this'), []);
  });

  test('a time range keeps the reports made within it, ends included; a report without a time is outside any', () => {
    const { reports } = model();
    const within = (from, to) => kinds(reports.filter((entry) => matchesReport(entry, { ...emptyFilter(), time: { from, to } })));
    // busyBatch reports at 11 and 12 ms; useAfterFreeBatch's at 3 ms.
    assert.deepEqual(within(0, 100), ['use-after-reuse', 'copy-out', 'use-after-free']);
    assert.deepEqual(within(11, 11.5), ['use-after-reuse']);
    assert.deepEqual(within(2, 11), ['use-after-reuse', 'use-after-free']);
    assert.deepEqual(within(12.5, 20), []);
    const untimed = { ...reports[0], t: null };
    assert.equal(matchesReport(untimed, emptyFilter()), true);
    assert.equal(matchesReport(untimed, { ...emptyFilter(), time: { from: 0, to: 100 } }), false);
  });
});

describe('view filters', () => {
  test('live only by default, and by session and search', () => {
    const m = model();
    m.ingest([{ type: 'view', seq: 1, t: 4, session: 1, viewId: 1, ctor: 'Int32Array', byteOffset: 0x20000, length: 4, byteLength: 16, allocId: null }], 2);
    const ids = (change) => m.views.filter((view) => matchesView(view, { ...emptyFilter(), ...change }))
      .map((view) => `${view.owner.key}#${view.viewId}`);
    assert.deepEqual(ids({}), ['1/1#2', '2/1#1']);
    assert.deepEqual(ids({ liveViewsOnly: false }), ['1/1#1', '1/1#2', '1/1#3', '2/1#1']);
    assert.deepEqual(ids({ liveViewsOnly: false, sessionKey: '1/1', search: 'uint8array' }), ['1/1#2', '1/1#3']);
  });
});

describe('FilteredList', () => {
  test('filters only what was added since, and starts over when the filter changes', () => {
    const seen = [];
    const list = new FilteredList((item, filter) => {
      seen.push(item);
      return item % filter.kind === 0;
    });
    const source = [1, 2, 3, 4];
    const evens = { ...emptyFilter(), kind: 2 };
    const first = list.update(source, evens);
    assert.deepEqual(first, [2, 4]);
    assert.equal(list.update(source, evens), first, 'the same array while nothing changed');
    source.push(5, 6);
    assert.deepEqual(list.update(source, evens), [2, 4, 6]);
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(list.update(source, { ...emptyFilter(), kind: 3 }), [3, 6]);
    assert.deepEqual(list.update(source, { ...emptyFilter(), kind: 3 }, 'after a grow'), [3, 6]);
    assert.equal(seen.length, 18);
  });
});
