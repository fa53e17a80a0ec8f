// report.memory: the bytes under a report as they were when it was made (memory-snapshot.js),
// for real faults in the hand-written heap (fixtures/freelist-heap.wat: malloc hands a freed block
// of a fitting size straight back, make_buffer fills a new buffer with 1, 2, 3, ...), on its
// shared twin and its 64-bit twin. Node 20 has memory64 behind a V8 flag, set here before
// anything compiles.
import v8 from 'node:v8';
v8.setFlagsFromString('--experimental-wasm-memory64');

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

const { formatReport, instantiate } = await import('viewsan');
const { loadFreelistHeap } = await import('./support/freelist-heap.mjs');
const { catchViewSan } = await import('./support/viewsan-error.mjs');

const fixture = (name) => readFile(path.join(process.env.VIEWSAN_FIXTURES, name));
// exitcode 0: the record-and-continue tests leave recorded errors on purpose.
const load = (options) => loadFreelistHeap({ exitcode: 0, ...options });

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
const pattern = (first, length) => Array.from({ length }, (_, i) => (first + i) & 0xff);

/** The bytes memory holds now at [start, start + length), as hex, read through a whole-memory view. */
function memoryHex(memory, start, length) {
  const all = new Uint8Array(memory.buffer);  // a whole-memory view is never an allocation error
  return hex(Array.from({ length }, (_, i) => all[start + i]));
}

/** The snapshot's bytes at [start, end) as hex, from whichever span holds them. */
function snapshotHex(snapshot, start, end) {
  const span = snapshot.spans.find((s) => s.start <= start && s.start + s.hex.length / 2 >= end);
  assert.ok(span, `a span holds [${start}, ${end}): ${JSON.stringify(snapshot.spans.map((s) => [s.start, s.hex.length / 2]))}`);
  return span.hex.slice((start - span.start) * 2, (end - span.start) * 2);
}

const marksOf = (snapshot, state) => snapshot.marks.filter((mark) => mark.state === state);
const spanBytes = (snapshot) => snapshot.spans.reduce((sum, s) => sum + s.hex.length / 2, 0);

/** The checks every snapshot passes: JSON, row-aligned spans in order, within the memory and the cap. */
function assertWellFormed(snapshot, memory) {
  assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot, 'plain JSON');
  assert.ok(spanBytes(snapshot) <= 256, `at most 256 bytes: ${spanBytes(snapshot)}`);
  let previousEnd = -1;
  for (const { start, hex: text } of snapshot.spans) {
    assert.match(text, /^([0-9a-f]{2})+$/, 'lowercase hex, two digits a byte');
    assert.ok(start > previousEnd, 'spans in address order, apart');
    previousEnd = start + text.length / 2;
    assert.ok(previousEnd <= memory.buffer.byteLength, 'within the memory');
    assert.equal(start % 16, 0, 'a span starts on a row');
  }
}

test('use-after-reuse: the new owner\'s bytes as they were when the stale write was reported, the reused range marked', async () => {
  const m = await load({ haltOnError: false });
  const p = m.malloc(32);
  const stale = new Uint8Array(m.memory.buffer, p, 32);
  stale.set(pattern(0xa0, 32));
  m.free(p);
  const q = m.malloc(32);
  assert.equal(q, p, 'the free list hands the same block back');
  new Uint8Array(m.memory.buffer, q, 32).set(pattern(0xc0, 32));
  const before = memoryHex(m.memory, p - 16, 64);
  stale[5] = 0xee;  // reported, then (record and continue) the write lands
  const [report] = m.session.reports;
  assert.equal(report.kind, 'use-after-reuse');
  const { memory } = report;
  assertWellFormed(memory, m.memory);
  assert.equal(snapshotHex(memory, p, p + 32), hex(pattern(0xc0, 32)), 'the new owner\'s bytes, not the freed ones');
  assert.equal(snapshotHex(memory, p - 16, p + 48), before, 'as memory held them when the report was made');
  assert.equal(memoryHex(m.memory, p + 5, 1), 'ee', 'the write landed after the report');
  assert.deepEqual(memory.spans.map((s) => [s.start, s.hex.length / 2]), [[(p - 16) & ~15, 80]],
    'the view with a row of context on each side');
  assert.deepEqual(marksOf(memory, 'freed'), [{ start: p, end: p + 32, state: 'freed', allocId: report.region.allocId }]);
  assert.deepEqual(marksOf(memory, 'reused'), [{ start: q, end: q + 32, state: 'reused', allocId: report.newer.allocId }]);
  assert.deepEqual(marksOf(memory, 'view'), [{ start: p, end: p + 32, state: 'view' }]);
  assert.deepEqual(marksOf(memory, 'access'), [{ start: p + 5, end: p + 6, state: 'access' }], 'the faulting element');
  assert.equal(formatReport(report), report.message, 'the text is the same, memory or not');
  assert.doesNotMatch(report.message, /spans|[0-9a-f]{32}/);
});

test('use-after-free: a Float32Array\'s faulting element is its four bytes; the region is marked freed', async () => {
  const m = await load();
  const p = m.make_buffer(64);
  const floats = new Float32Array(m.memory.buffer, p, 16);
  m.consume(p, 64);
  const { report } = catchViewSan(() => floats[3]);
  assert.equal(report.kind, 'use-after-free');
  assertWellFormed(report.memory, m.memory);
  assert.equal(snapshotHex(report.memory, p, p + 64), hex(pattern(1, 64)), 'the freed bytes, as the module left them');
  assert.deepEqual(marksOf(report.memory, 'freed').map(({ start, end }) => [start, end]), [[p, p + 64]]);
  assert.deepEqual(marksOf(report.memory, 'live'), []);
  assert.deepEqual(marksOf(report.memory, 'access').map(({ start, end }) => [start, end]), [[p + 12, p + 16]]);
});

test('use-after-grow: read from the memory\'s new buffer, never the detached one', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);
  const old = m.memory.buffer;
  m.make_buffer(200000);  // does not fit in the first page: malloc runs memory.grow
  assert.equal(old.byteLength, 0, 'the old buffer is detached');
  const { report } = catchViewSan(() => view[2]);
  assert.equal(report.kind, 'use-after-grow');
  assertWellFormed(report.memory, m.memory);
  assert.equal(snapshotHex(report.memory, p, p + 16), hex(pattern(1, 16)), 'the bytes, moved to the new buffer');
  assert.deepEqual(marksOf(report.memory, 'live').map(({ start, end, allocId }) => [start, end, allocId]),
    [[p, p + 16, report.region.allocId]], 'the allocation is still live');
  assert.deepEqual(marksOf(report.memory, 'access').map(({ start, end }) => [start, end]), [[p + 2, p + 3]]);
});

test('DataView: the bytes a get touched, from its byte offset and its type', async () => {
  const m = await load();
  const p = m.make_buffer(32);
  const view = new DataView(m.memory.buffer, p, 32);
  m.free(p);
  const { report } = catchViewSan(() => view.getFloat64(4, true));
  assert.deepEqual(marksOf(report.memory, 'access').map(({ start, end }) => [start, end]), [[p + 4, p + 12]]);
  assert.deepEqual(marksOf(report.memory, 'view').map(({ start, end }) => [start, end]), [[p, p + 32]], 'a DataView\'s length is bytes');
});

test('double-free and invalid-free: the region and the pointer freed', async () => {
  const m = await load();
  const p = m.make_buffer(24);
  m.free(p);
  const double = catchViewSan(() => m.free(p)).report;
  assert.equal(double.kind, 'double-free');
  assertWellFormed(double.memory, m.memory);
  assert.deepEqual(double.memory.marks, [
    { start: p, end: p + 24, state: 'freed', allocId: double.region.allocId },
    { start: p, end: p + 1, state: 'access' },
  ]);
  assert.equal(snapshotHex(double.memory, p, p + 24), hex(pattern(1, 24)));

  const q = m.make_buffer(40);
  const invalid = catchViewSan(() => m.free(q + 8)).report;
  assert.equal(invalid.kind, 'invalid-free');
  assert.deepEqual(invalid.memory.marks, [
    { start: q, end: q + 40, state: 'live', allocId: invalid.region.allocId },
    { start: q + 8, end: q + 9, state: 'access' },
  ]);
  assert.equal(snapshotHex(invalid.memory, q, q + 40), memoryHex(m.memory, q, 40));

  // A pointer no allocation returned: the bytes around it, that byte marked.
  const stray = q + 4096;
  const unowned = catchViewSan(() => m.free(stray)).report;
  assert.equal(unowned.kind, 'invalid-free');
  assert.deepEqual(unowned.memory.marks, [{ start: stray, end: stray + 1, state: 'access' }]);
  const [first, end] = [Math.floor((stray - 16) / 16) * 16, Math.ceil((stray + 16) / 16) * 16];
  assert.deepEqual(unowned.memory.spans.map((s) => [s.start, s.hex.length / 2]), [[first, end - first]], 'a row each side');
});

test('copy-out: the copied range, marked; the snapshot itself is no copy-out', async () => {
  const m = await load({ haltOnError: false });
  const p = m.make_buffer(48);
  const view = new Uint8Array(m.memory.buffer, p, 48);
  view.slice(8, 20);
  const [report] = m.session.reports;
  assert.equal(report.kind, 'copy-out');
  assertWellFormed(report.memory, m.memory);
  assert.deepEqual(marksOf(report.memory, 'access').map(({ start, end }) => [start, end]), [[p + 8, p + 20]]);
  assert.deepEqual(marksOf(report.memory, 'view').map(({ start, end }) => [start, end]), [[p, p + 48]]);
  assert.equal(snapshotHex(report.memory, p + 8, p + 20), hex(pattern(9, 12)));
  assert.equal(m.session.stats().copyOutBytes, 12, 'only the program\'s copy is counted');
  assert.equal(m.session.reports.length, 1);
});

test('the cap: a long view shows its start and the faulting element\'s neighbourhood, 256 bytes in all', async () => {
  const m = await load();
  const p = m.make_buffer(4000);
  const floats = new Float32Array(m.memory.buffer, p, 1000);
  m.free(p);
  const { report } = catchViewSan(() => floats[700]);
  const { memory } = report;
  assertWellFormed(memory, m.memory);
  assert.equal(memory.spans.length, 2, JSON.stringify(memory.spans.map((s) => [s.start, s.hex.length / 2])));
  assert.equal(spanBytes(memory), 256);
  const [head, around] = memory.spans;
  assert.ok(head.start < p && head.start + head.hex.length / 2 > p, 'the first span holds the view\'s start');
  const element = p + 700 * 4;
  assert.equal(snapshotHex(memory, element, element + 4), memoryHex(m.memory, element, 4), 'the second holds the faulting element');
  assert.ok(around.start < element - 16, 'with rows before it');
  assert.deepEqual(marksOf(memory, 'view').map(({ start, end }) => [start, end]), [[p, p + 4000]], 'marks are whole ranges');
});

test('the cap: a long view read near its start shows one window of 256 bytes from there', async () => {
  const m = await load();
  const p = m.make_buffer(4000);
  const floats = new Float32Array(m.memory.buffer, p, 1000);
  m.free(p);
  const { memory } = catchViewSan(() => floats[10]).report;
  assertWellFormed(memory, m.memory);
  assert.deepEqual(memory.spans.map((s) => [s.start, s.hex.length / 2]), [[Math.floor((p - 16) / 16) * 16, 256]]);
  assert.equal(snapshotHex(memory, p + 40, p + 44), memoryHex(m.memory, p + 40, 4));
});

test('clamped to the memory: a view at its very end', async () => {
  const m = await load();
  m.make_buffer(16);  // an allocation, so the heap is known
  const end = m.memory.buffer.byteLength;
  const { report } = catchViewSan(() => new Uint8Array(m.memory.buffer, end - 8, 8));
  assert.equal(report.kind, 'unallocated-view');
  assertWellFormed(report.memory, m.memory);
  const [span] = report.memory.spans;
  assert.equal(span.start + span.hex.length / 2, end, 'ends where the memory does');
  assert.deepEqual(report.memory.marks, [{ start: end - 8, end, state: 'view' }]);
});

test('misaligned-view: the view and its allocation; no snapshot when the report names no place', async () => {
  const m = await load();
  const p = m.make_buffer(64);
  const { report } = catchViewSan(() => new Float32Array(m.memory.buffer, p + 2, 4));
  assert.equal(report.kind, 'misaligned-view');
  assert.deepEqual(report.memory.marks.map(({ start, end, state }) => [start, end, state]),
    [[p, p + 64, 'live'], [p + 2, p + 18, 'view']]);
  // An offset given as an object is not converted a second time: the report knows no address.
  const unknown = catchViewSan(() => new Float32Array(m.memory.buffer, { valueOf: () => p + 2 }, 4)).report;
  assert.equal(unknown.kind, 'misaligned-view');
  assert.equal(unknown.view.byteOffset, null);
  assert.equal('memory' in unknown, false);
});

test('a report made again at the same place is counted, its snapshot taken once', async () => {
  const m = await load({ haltOnError: false });
  const p = m.make_buffer(16);
  const beyondHeap = p + 64;
  for (let i = 0; i < 3; i++) new Uint8Array(m.memory.buffer, beyondHeap, 16);
  const [report] = m.session.reports;
  assert.equal(report.kind, 'unallocated-view');
  assert.equal(report.count, 3);
  assert.deepEqual(report.memory.marks, [{ start: beyondHeap, end: beyondHeap + 16, state: 'view' }]);
});

test('shared memory: the bytes from its SharedArrayBuffer, grown', async () => {
  const { instance, session } = await instantiate(await fixture('shared-heap.vs.wasm'), {}, { exitcode: 0 });
  const { memory, make_buffer: makeBuffer, consume } = instance.exports;
  assert.ok(memory.buffer instanceof SharedArrayBuffer);
  const p = makeBuffer(32);
  const view = new Uint8Array(memory.buffer, p, 32);
  const far = makeBuffer(200000);  // grows the shared memory: the view stays valid
  consume(p, 32);
  const { report } = catchViewSan(() => view[31]);
  assert.equal(report.kind, 'use-after-free');
  assertWellFormed(report.memory, memory);
  assert.equal(snapshotHex(report.memory, p, p + 32), hex(pattern(1, 32)));
  assert.deepEqual(marksOf(report.memory, 'access').map(({ start, end }) => [start, end]), [[p + 31, p + 32]]);
  assert.ok(far + 200000 <= memory.buffer.byteLength);
  assert.equal(session.stats().copyOutBytes, 0, 'reading the snapshot is no copy-out');
});

test('memory64: Number addresses, the bytes of the 64-bit memory', async () => {
  const { instance } = await instantiate(await fixture('freelist-heap64.vs.wasm'), {}, { exitcode: 0 });
  const m = instance.exports;
  const p = m.malloc(32n);
  const view = new Uint8Array(m.memory.buffer, Number(p), 32);
  view.set(pattern(0x30, 32));
  m.free(p);
  const q = m.malloc(32n);
  assert.equal(q, p);
  new Uint8Array(m.memory.buffer, Number(q), 32).set(pattern(0x90, 32));
  const { report } = catchViewSan(() => view[0]);
  assert.equal(report.kind, 'use-after-reuse');
  const { memory } = report;
  assertWellFormed(memory, m.memory);
  assert.equal(snapshotHex(memory, Number(p), Number(p) + 32), hex(pattern(0x90, 32)));
  assert.deepEqual(memory.marks.map(({ start, end, state }) => [start, end, state]), [
    [Number(p), Number(p) + 32, 'freed'], [Number(q), Number(q) + 32, 'reused'],
    [Number(p), Number(p) + 32, 'view'], [Number(p), Number(p) + 1, 'access'],
  ]);
});
