// The guard against a hand-written module whose allocator calls memory.grow and whose own code
// frees buffers: every failure is thrown at the faulting access, correct flows stay silent.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { instantiate } from 'viewsan';

import { loadFreelistHeap } from './support/freelist-heap.mjs';
import { catchViewSan } from './support/viewsan-error.mjs';

const load = loadFreelistHeap;

test('correct flow: allocate, view, call, read, let the module free: no report', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);
  assert.deepEqual([...view.subarray(0, 4)], [1, 2, 3, 4]);
  view[0] = 100;  // writes through the guarded view reach the module
  assert.equal(m.consume(p, 16), 100 + (16 * 17) / 2 - 1);
  assert.equal(m.session.reports.length, 0);
  assert.equal(m.session.stats().errors, 0);
});

test('use-after-free: a view read after the module freed its buffer internally', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);
  m.consume(p, 16);
  const error = catchViewSan(() => view[3]);
  assert.equal(error.kind, 'use-after-free');
  const { report } = error;
  assert.equal(report.severity, 'error');
  assert.equal(report.view.ctor, 'Uint8Array');
  assert.equal(report.view.byteOffset, p);
  assert.equal(report.region.ptr, p);
  assert.equal(report.region.size, 16);
  assert.equal(report.region.allocSite.func, 'make_buffer');
  assert.equal(report.region.freeSite.func, 'consume');
  assert.match(report.message, /^ERROR: viewsan: use-after-free on a Uint8Array view of 16 elements/);
  assert.match(report.message, /freed by consume \(calls free\)/);
  assert.match(report.message, /previously allocated by make_buffer \(calls malloc\)/);
  assert.match(report.message, /READ of element \[3\]/);
  assert.match(report.message, /HINT: /);
  assert.match(report.view.createdAt, /handwritten-heap\.test\.mjs/);
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report, 'the report is plain JSON');
});

test('use-after-reuse: the freed bytes now belong to a newer allocation', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);
  m.consume(p, 16);
  const q = m.make_buffer(16);
  assert.equal(q, p, 'the free list hands the same block back');
  const error = catchViewSan(() => { view[0] = 7; });
  assert.equal(error.kind, 'use-after-reuse');
  assert.equal(error.report.access.op, 'write');
  assert.ok(error.report.newer.allocId > error.report.region.allocId);
  assert.equal(new Uint8Array(m.memory.buffer, q, 16)[0], 1, 'the faulting write did not land');
});

test('use-after-grow: the allocator grew memory under a live view', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);
  m.make_buffer(200000);  // does not fit in the first page: malloc runs memory.grow
  assert.equal(view.byteLength, 0, 'reading byteLength is the detach idiom, never a violation');
  assert.notEqual(view.buffer, m.memory.buffer);
  const error = catchViewSan(() => view[0]);
  assert.equal(error.kind, 'use-after-grow');
  assert.equal(error.report.grow.fromPages, 1);
  assert.ok(error.report.grow.toPages > 1);
  assert.equal(error.report.grow.site.kind, 'memory.grow');
  assert.equal(error.report.grow.site.func, 'malloc');
  assert.match(error.message, /memory grew from 1 to \d+ pages/);
});

test('subarrays of a guarded view are guarded', async () => {
  const m = await load();
  const p = m.make_buffer(32);
  const part = new Uint8Array(m.memory.buffer, p, 32).subarray(8, 16);
  assert.equal(part[0], 9);
  m.consume(p, 32);
  assert.equal(catchViewSan(() => part[1]).kind, 'use-after-free');
});

test('misaligned Float32Array: a ViewSanError naming the fix instead of a bare RangeError', async () => {
  const m = await load();
  const p = m.make_buffer(64);
  const error = catchViewSan(() => new Float32Array(m.memory.buffer, p + 5, 4));
  assert.equal(error.kind, 'misaligned-view');
  assert.match(error.message, /multiple of 4/);
  assert.match(error.message, /DataView/);
  assert.doesNotThrow(() => new DataView(m.memory.buffer, p + 5, 16), 'a DataView at any offset is fine');
});

test('view-out-of-bounds and unallocated-view', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  assert.equal(catchViewSan(() => new Uint8Array(m.memory.buffer, p, 64)).kind, 'view-out-of-bounds');
  const beyondHeap = p + 4096;
  assert.equal(catchViewSan(() => new Uint8Array(m.memory.buffer, beyondHeap, 8)).kind, 'unallocated-view');
  assert.doesNotThrow(() => new Uint8Array(m.memory.buffer, 16, 8), 'static data below __heap_base is fine');
  assert.doesNotThrow(() => new Uint8Array(m.memory.buffer), 'a whole-buffer view is fine');
});

// `new Int32Array(buffer, ptr)` and `HEAPU8.subarray(ptr)` give no length: the view runs to the
// end of the buffer, over whatever lies past the allocation, and is the view of the allocation it
// starts in (napi-wasm writes its asyncify descriptor through one).
test('a view made without a length is the view of the allocation it starts in', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const words = new Int32Array(m.memory.buffer, p);
  words.set([7, 8]);
  assert.equal(words[1], 8);
  const bytes = new Uint8Array(m.memory.buffer).subarray(p + 2);
  assert.equal(bytes[2], 8);
  assert.equal(m.session.reports.length, 0);
  m.consume(p, 16);
  assert.equal(catchViewSan(() => words[0]).kind, 'use-after-free');
  assert.equal(catchViewSan(() => bytes[0]).kind, 'use-after-free');
  assert.equal(catchViewSan(() => new Int32Array(m.memory.buffer, p)).kind, 'use-after-free');
});

test('double-free is caught before the allocator runs', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  m.free(p);
  const error = catchViewSan(() => m.free(p));
  assert.equal(error.kind, 'double-free');
  assert.equal(error.report.region.allocSite.func, 'make_buffer');
  assert.equal(error.report.region.freeSite.kind, 'export');
});

test('regions() lists every live allocation once; stats count hooks', async () => {
  const m = await load();
  const a = m.make_buffer(8);
  const b = m.make_buffer(24);
  const c = m.make_buffer(40);
  m.consume(b, 24);
  const regions = m.session.regions();
  assert.deepEqual(regions.map((r) => r.ptr).sort((x, y) => x - y), [a, c]);
  assert.deepEqual(regions.map((r) => r.size).sort((x, y) => x - y), [8, 40]);
  assert.ok(regions.every((r) => r.allocSite.func === 'make_buffer'));
  const s = m.session.stats();
  assert.equal(s.allocs, 3);
  assert.equal(s.frees, 1);
  assert.equal(s.liveBytes, 48);
});

test('guarded views keep their identity as typed arrays', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);
  assert.ok(view instanceof Uint8Array);
  assert.ok(ArrayBuffer.isView(view));
  assert.equal(view.constructor, Uint8Array);
  assert.equal(Object.prototype.toString.call(view), '[object Uint8Array]');
  assert.equal(new TextDecoder().decode(view.subarray(0, 0)), '');
  const copy = new Uint8Array(4);
  copy.set(view.subarray(0, 4));
  assert.deepEqual([...copy], [1, 2, 3, 4]);
});

test('max_free_fill_size: stale reads through a view nothing checks show the fill byte', async () => {
  const m = await load({ mode: 'compat', maxFreeFillSize: 8, freeFillByte: 0xde });
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 16);  // compat: a real typed array
  m.consume(p, 16);  // freed inside wasm: the hook fills before the allocator runs
  const bytes = Array.from({ length: 16 }, (_, i) => view[i]);  // element reads are not checked
  assert.deepEqual(bytes, [...Array(8).fill(0xde), 9, 10, 11, 12, 13, 14, 15, 16]);
  // The allocator's own bookkeeping (before the payload) was left alone: the block is reused.
  assert.equal(m.make_buffer(16), p);
});

test('malloc_context_size: 0 records no JavaScript stacks; reports still name the wasm sites', async () => {
  const withStacks = await load();
  const quiet = await load({ mallocContextSize: 0 });
  for (const m of [withStacks, quiet]) {
    const p = m.malloc(16);
    const view = new Uint8Array(m.memory.buffer, p, 16);
    m.free(p);
    m.report = catchViewSan(() => view[0]).report;
  }
  assert.match(withStacks.report.view.createdAt, /handwritten-heap\.test\.mjs/);
  assert.match(withStacks.report.region.freeSite.stack, /handwritten-heap\.test\.mjs/);
  assert.equal(quiet.report.view.createdAt, '');
  assert.ok(!quiet.report.region.freeSite.stack, JSON.stringify(quiet.report.region.freeSite));
  assert.equal(quiet.report.region.freeSite.func, 'free');
  assert.doesNotMatch(quiet.report.message, /the view was created here/);
  assert.match(quiet.report.message, /^ERROR: viewsan: use-after-free/);
});

test('a minified build\'s allocator exports record where JavaScript allocated and freed, as malloc and free do', async () => {
  // Exported as `Ia` and `Ja`, which only its glue ties to malloc and free (the instrument read it).
  const bytes = await readFile(path.join(process.env.VIEWSAN_FIXTURES, 'minified-heap.vs.wasm'));
  const { instance, session } = await instantiate(bytes, {});
  const { Ia: malloc, Ja: free, memory } = instance.exports;
  const p = malloc(16);
  const view = new Uint8Array(memory.buffer, p, 16);
  free(p);
  const { report } = catchViewSan(() => view[0]);
  assert.equal(report.region.allocSite.func, 'Ia');
  assert.match(report.region.allocSite.stack, /handwritten-heap\.test\.mjs/);
  assert.match(report.region.freeSite.stack, /handwritten-heap\.test\.mjs/);
  assert.match(report.message, /freed by Ja \(called from JavaScript through its export\) \(the most recent free\) here:\n {4}at /);
  assert.match(report.message, /previously allocated by Ia \(called from JavaScript through its export\) here:\n {4}at /);
  assert.equal(session.reports.length, 1);
});

test('malloc_context_size: by default, as many program frames as an error stack shows (ten); more when asked', async () => {
  // Made 25 calls deep, below the test's own frames.
  const nested = (depth, make) => (depth === 0 ? make() : nested(depth - 1, make));
  const programFrames = (stack) => stack.split('\n').filter((line) => /handwritten-heap\.test\.mjs/.test(line)).length;
  for (const [options, expected] of [[{}, 10], [{ mallocContextSize: 20 }, 20]]) {
    const m = await load(options);
    const p = m.malloc(16);
    const view = nested(25, () => new Uint8Array(m.memory.buffer, p, 16));
    m.free(p);
    const { createdAt } = catchViewSan(() => view[0]).report.view;
    assert.equal(programFrames(createdAt), expected, createdAt);
  }
});

test('the report names the view with its article: an Int32Array, a Float32Array', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const ints = new Int32Array(m.memory.buffer, p, 4);
  const floats = new Float32Array(m.memory.buffer, p, 4);
  m.consume(p, 16);
  assert.match(catchViewSan(() => ints[0]).message, /^ERROR: viewsan: use-after-free on an Int32Array view of 4 elements/);
  assert.match(catchViewSan(() => floats[0]).message, /^ERROR: viewsan: use-after-free on a Float32Array view of 4 elements/);
});
