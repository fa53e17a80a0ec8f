// Contract 4's one module, viewsan/protocol: the runtime sends what it lists, in versioned batches,
// and its lists match what the runtime makes (event types, report kinds, stats fields).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import * as viewsan from 'viewsan';
import * as protocol from 'viewsan/protocol';

import { makeReport } from '../../runtime-shim/js/src/report.js';
import { loadFreelistHeap } from './support/freelist-heap.mjs';

const {
  BINDING_NAME, EVENT_NAMES, EventType, PROTOCOL_VERSION, REPORT_KINDS, STAT_FIELDS, decodeBatch, encodeBatch,
} = protocol;
const packageDir = path.resolve(import.meta.dirname, '../../runtime-shim/js');
const runtimeDir = path.join(packageDir, 'src');

/** The batches a DevTools consumer receives while `run` uses a fresh instance of the heap fixture. */
async function collectBatches(run) {
  const batches = [];
  globalThis[BINDING_NAME] = (batch) => batches.push(batch);
  try {
    // exitcode 0: the error is recorded on purpose (the latest session's options apply at exit).
    const m = await loadFreelistHeap({ haltOnError: false, exitcode: 0 });
    await run(m);
    m.session.stream.flush();
    m.session.dispose();
  } finally {
    delete globalThis[BINDING_NAME];
  }
  return batches;
}

test('the protocol module is the package export viewsan/protocol, and the package re-exports its kinds', async () => {
  assert.equal(import.meta.resolve('viewsan/protocol'), import.meta.resolve('viewsan/protocol.js'));
  assert.equal(import.meta.resolve('viewsan/protocol'), `file://${path.join(packageDir, 'dist', 'protocol.js')}`);
  assert.equal(viewsan.REPORT_KINDS, REPORT_KINDS);
  assert.equal(PROTOCOL_VERSION, 1);
  assert.equal(protocol.REPORT_VERSION, 1);
  assert.equal(BINDING_NAME, '__viewsan_devtools');
});

test('the protocol module imports nothing: the panel loads it in a browser as it is', () => {
  const source = readFileSync(path.join(runtimeDir, 'protocol.js'), 'utf8');
  assert.doesNotMatch(source, /^\s*import\b|\bimport\(/m);
});

test('every batch is {"v":1,"events":[…]}, and every event is of a listed type', async () => {
  const batches = await collectBatches(async (m) => {
    const p = m.malloc(64);
    const view = new Float32Array(m.memory.buffer, p, 16);
    m.free(p);
    void view[0];  // use-after-free, recorded (haltOnError: false)
    m.make_buffer(200000);  // malloc grows the memory
  });
  assert.ok(batches.length > 0);
  const events = [];
  for (const text of batches) {
    const batch = JSON.parse(text);
    assert.deepEqual(Object.keys(batch), ['v', 'events']);
    assert.equal(batch.v, PROTOCOL_VERSION);
    assert.ok(Array.isArray(batch.events));
    events.push(...batch.events);
  }
  for (const event of events) assert.ok(EVENT_NAMES.includes(event.type), `unlisted event type ${event.type}`);
  const seen = new Set(events.map((event) => event.type));
  for (const type of ['alloc', 'free', 'grow', 'view', 'report']) assert.ok(seen.has(type), `no ${type} event`);
  assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index), 'seq counts every event');
  for (const report of events.filter((event) => event.type === EventType.REPORT)) {
    assert.ok(REPORT_KINDS.includes(report.report.kind));
  }
});

test('thousands of allocations in one wasm call reach the stream, every one in order, none lost', async () => {
  const bytes = readFileSync(path.join(process.env.VIEWSAN_FIXTURES, 'alloc-storm.vs.wasm'));
  const batches = [];
  globalThis[BINDING_NAME] = (batch) => batches.push(batch);
  const CALLS = 20_000;  // several times the shim's ring (4096 records)
  try {
    const { instance, session } = await viewsan.instantiate(bytes, {}, { exitcode: 0 });
    instance.exports.churn(CALLS);
    // Sent from inside the call, as the ring filled: no batch waits for it to return.
    assert.ok(batches.length >= 4, `${batches.length} batches during the call`);
    session.stream.flush();
    session.dispose();
  } finally {
    delete globalThis[BINDING_NAME];
  }
  const events = batches.flatMap((text) => decodeBatch(text).events);
  assert.deepEqual(events.filter((event) => event.type === EventType.OVERFLOW), []);
  const allocs = events.filter((event) => event.type === EventType.ALLOC);
  const frees = events.filter((event) => event.type === EventType.FREE);
  assert.equal(allocs.length, CALLS);
  assert.equal(frees.length, CALLS);
  assert.ok(allocs.every((event, index) => index === 0 || event.allocId === allocs[index - 1].allocId + 1), 'in order');
  assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index), 'seq counts every event');
});

test('unseen frees, which have no event of their own, reach the stream as a stats event', async () => {
  const bytes = readFileSync(path.join(process.env.VIEWSAN_FIXTURES, 'wbindgen-tensors.vs.wasm'));
  const batches = [];
  globalThis[BINDING_NAME] = (batch) => batches.push(batch);
  try {
    const { instance, session } = await viewsan.instantiate(bytes, {}, { exitcode: 0 });
    const { __wbindgen_malloc: malloc, __wbindgen_free: free } = instance.exports;
    const p = malloc(64, 4);
    free(p, 64, 4);
    // Coverage is partial (no name section): the second free is counted as unseen, not reported.
    free(p, 64, 4);
    assert.equal(session.stats().unseenFrees, 1);
    session.stream.flush();
    session.dispose();
  } finally {
    delete globalThis[BINDING_NAME];
  }
  const events = batches.flatMap((text) => JSON.parse(text).events);
  assert.deepEqual(events.filter((event) => event.type === EventType.STATS).map(({ unseenFrees }) => unseenFrees), [1]);
  assert.deepEqual(events.filter((event) => event.type === EventType.FREE).length, 1);
});

test('bytes copied out at a place reported already reach the stream in stats events', async () => {
  const batches = await collectBatches(async (m) => {
    const p = m.malloc(64);
    const view = new Uint8Array(m.memory.buffer, p, 64);
    for (const bytes of [64, 64, 64, 16]) {  // one place
      if (bytes === 16) m.session.stream.flush();
      view.slice(0, bytes);
    }
  });
  const events = batches.flatMap((text) => JSON.parse(text).events);
  assert.equal(events.filter((event) => event.type === EventType.REPORT).length, 1, 'one copy-out report: one place');
  const counted = events.filter((event) => event.type === EventType.STATS && event.copyOutBytes !== undefined);
  assert.deepEqual(counted.map((event) => event.copyOutBytes).slice(-2), [3 * 64, 3 * 64 + 16]);
});

test('a report made again at its place: the report once, then its count as it goes up', async () => {
  const batches = await collectBatches(async (m) => {
    const p = m.malloc(64);
    const views = Array.from({ length: 5 }, () => new Uint8Array(m.memory.buffer, p, 64));
    m.free(p);
    // One place (the same stack) for every read: after the first, the report goes out with count
    // 1; after the third, one count event for the two; then another for the last two.
    for (const [index, view] of views.entries()) {
      view.at(0);
      if (index === 0 || index === 2) m.session.stream.flush();
    }
  });
  const events = batches.flatMap((text) => JSON.parse(text).events);
  const reports = events.filter((event) => event.type === EventType.REPORT);
  assert.deepEqual(reports.map((event) => [event.reportId, event.report.kind, event.report.count]), [[1, 'use-after-free', 1]]);
  assert.deepEqual(events.filter((event) => event.type === EventType.REPORT_COUNT).map(({ reportId, count }) => [reportId, count]),
    [[1, 3], [1, 5]]);
});

test('the runtime names event types only through EventType, and uses every one of them', () => {
  const used = new Set();
  for (const name of readdirSync(runtimeDir).filter((file) => file.endsWith('.js') && file !== 'protocol.js')) {
    const source = readFileSync(path.join(runtimeDir, name), 'utf8');
    for (const [, key] of source.matchAll(/\bEventType\.([A-Z_]+)\b/g)) used.add(key);
    // An event pushed or enqueued with a string literal for its type would bypass the list.
    assert.doesNotMatch(source, /(?:push|enqueue)\(\{\s*type: '/, `${name} names an event type with a string literal`);
  }
  assert.deepEqual([...used].sort(), Object.keys(EventType).sort());
  assert.deepEqual(EVENT_NAMES, Object.values(EventType));
});

test('a report of a kind protocol.js does not list is a bug of the runtime, not a report', () => {
  assert.throws(() => makeReport({ kind: 'use-after-nothing' }), /no report kind 'use-after-nothing' in protocol\.js/);
  for (const kind of REPORT_KINDS) assert.equal(makeReport({ kind, stack: '' }).kind, kind);
});

test('STAT_FIELDS are the fields of session.stats(), in its order, and the report file\'s stats', async () => {
  const m = await loadFreelistHeap({ exitcode: 0 });
  assert.deepEqual(Object.keys(m.session.stats()), STAT_FIELDS);
  m.session.dispose();
});

test('decodeBatch reads version 1 and the bare arrays of older runtimes, and sets newer versions aside', () => {
  const events = [{ type: 'alloc', seq: 0, t: 0, session: 1, ptr: 16, size: 8, allocId: 1, generation: 1, site: null }];
  assert.equal(encodeBatch(events), JSON.stringify({ v: 1, events }));
  assert.deepEqual(decodeBatch(encodeBatch(events)), { version: 1, events });
  assert.deepEqual(decodeBatch(JSON.stringify(events)), { version: 0, events });
  assert.deepEqual(decodeBatch(JSON.stringify({ v: 2, events, more: 'fields' })), { version: 2, events: null });
  assert.deepEqual(decodeBatch(JSON.stringify({ v: 2 })), { version: 2, events: null });
  for (const text of ['{not json', '"text"', 'null', '{"events":[]}', '{"v":0,"events":[]}', '{"v":"1","events":[]}', '{"v":1}']) {
    assert.equal(decodeBatch(text), null, text);
  }
});
