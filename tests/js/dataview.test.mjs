// DataViews over a guarded memory are guarded like typed arrays, in both modes: every get/set
// method through a view whose allocation was freed, reused or whose buffer growth detached is
// reported with the same report shape (view.ctor 'DataView', the method and byte offset in the
// access line); a DataView is never misaligned; byteLength, byteOffset and buffer behave as the
// engine's and are never violations; the platform sinks take a guarded DataView as they take a
// guarded typed array; DevTools gets its `view` events.
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { describe, test } from 'node:test';
import { types } from 'node:util';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

import { ViewSanError } from 'viewsan';

import { loadFreelistHeap } from './support/freelist-heap.mjs';
import { catchViewSan, viewSanKind } from './support/viewsan-error.mjs';

// exitcode 0: the record-and-continue test leaves recorded errors on purpose.
const load = (options) => loadFreelistHeap({ exitcode: 0, ...options });

// Every get/set pair of this engine (Float16 where it has one), with a value each round-trips.
const ACCESSORS = Object.getOwnPropertyNames(DataView.prototype)
  .filter((name) => /^get(Big)?(Int|Uint|Float)\d+$/.test(name))
  .map((getter) => {
    const type = getter.slice(3);
    const big = type.startsWith('Big');
    const value = big ? 0x0102030405060708n : type.startsWith('Float') ? 1.5 : type.startsWith('Int') ? -3 : 7;
    return { type, getter, setter: `set${type}`, value, size: Number(type.match(/\d+/)[0]) / 8 };
  });

const grow = (m) => m.malloc(200000);  // does not fit in the first page: malloc runs memory.grow

test('the engine has the accessors this suite walks', () => {
  assert.ok(ACCESSORS.length >= 10, ACCESSORS.map((a) => a.getter).join());
});

for (const mode of ['strict', 'compat']) {
  describe(`${mode} mode`, () => {
    test('new DataView(memory.buffer, ptr, n) is guarded, and reads and writes the module\'s bytes', async () => {
      const m = await load({ mode });
      const p = m.make_buffer(32);
      const view = new DataView(m.memory.buffer, p, 32);
      if (mode === 'strict') assert.ok(types.isProxy(view));
      else assert.ok(!types.isProxy(view));
      assert.ok(view instanceof DataView);
      assert.equal(view.constructor, DataView);
      assert.ok(ArrayBuffer.isView(view));
      assert.equal(Object.prototype.toString.call(view), '[object DataView]');
      assert.equal(view.byteOffset, p);
      assert.equal(view.byteLength, 32);
      assert.equal(view.buffer, m.memory.buffer);
      assert.equal(view.getUint8(0), 1);
      assert.equal(view.getUint32(0, true), 0x04030201);
      for (const { getter, setter, value } of ACCESSORS) {
        view[setter](8, value, true);
        assert.equal(view[getter](8, true), value, getter);
        view[setter](8, value);  // big-endian, littleEndian undefined
        assert.equal(view[getter](8), value, `${getter} big-endian`);
      }
      view.setUint8(31, 200);
      assert.equal(new Uint8Array(m.memory.buffer, p, 32)[31], 200, 'the write reached linear memory');
      // The engine's own errors are unchanged: an offset past the end is its RangeError.
      assert.throws(() => view.getUint32(30), (e) => e instanceof RangeError && !(e instanceof ViewSanError));
      assert.deepEqual(m.session.reports, []);
    });

    for (const { getter, setter, value, size } of ACCESSORS) {
      test(`${getter} / ${setter} after free: use-after-free, with the method and byte offset`, async () => {
        const m = await load({ mode });
        const p = m.make_buffer(32);
        const view = new DataView(m.memory.buffer, p, 32);
        m.consume(p, 32);  // the module frees it internally
        const offset = 16 - size;
        for (const [method, call, op] of [[getter, () => view[getter](offset, true), 'read'],
          [setter, () => view[setter](offset, value, true), 'write']]) {
          const error = catchViewSan(call);
          assert.equal(error.kind, 'use-after-free', method);
          const { report } = error;
          assert.equal(report.view.ctor, 'DataView');
          assert.equal(report.view.byteOffset, p);
          assert.equal(report.view.length, 32);
          assert.deepEqual(report.access, { op, method, byteOffset: offset });
          assert.equal(report.region.ptr, p);
          assert.equal(report.region.size, 32);
          assert.equal(report.region.allocSite.func, 'make_buffer');
          assert.equal(report.region.freeSite.func, 'consume');
          assert.match(report.message, /^ERROR: viewsan: use-after-free on a DataView of 32 bytes at 0x/);
          assert.match(report.message, new RegExp(`${op.toUpperCase()} by ${method}\\(\\) at byte offset ${offset} through the view, here:`));
          assert.match(report.message, new RegExp(`SUMMARY: viewsan: use-after-free DataView\\.${method}\\(${offset}\\) at 0x${p.toString(16)}\\n`));
          assert.match(report.view.createdAt, /dataview\.test\.mjs/);
          assert.deepEqual(JSON.parse(JSON.stringify(report)), report, 'the report is plain JSON');
        }
      });
    }

    test('use-after-reuse: the freed bytes belong to a newer allocation; the faulting write does not land', async () => {
      const m = await load({ mode });
      const p = m.make_buffer(16);
      const view = new DataView(m.memory.buffer, p, 16);
      m.consume(p, 16);
      const q = m.make_buffer(16);
      assert.equal(q, p, 'the free list hands the same block back');
      const error = catchViewSan(() => view.setUint16(2, 0xffff));
      assert.equal(error.kind, 'use-after-reuse');
      assert.deepEqual(error.report.access, { op: 'write', method: 'setUint16', byteOffset: 2 });
      assert.ok(error.report.newer.allocId > error.report.region.allocId);
      assert.equal(new Uint8Array(m.memory.buffer, q, 16)[2], 3);
    });

    test('use-after-grow, not the engine\'s bare TypeError; byteLength, byteOffset and buffer are the engine\'s', async () => {
      const m = await load({ mode });
      const p = m.make_buffer(16);
      const view = new DataView(m.memory.buffer, p, 16);
      const whole = new DataView(m.memory.buffer);
      const reference = new DataView(new ArrayBuffer(16));  // a plain DataView, detached below
      structuredClone(reference.buffer, { transfer: [reference.buffer] });
      grow(m);
      // The detach idioms: reading them is never a violation, and they behave as on any
      // detached DataView (the engine throws for byteLength and byteOffset).
      assert.notEqual(view.buffer, m.memory.buffer);
      assert.equal(view.buffer.byteLength, 0);
      for (const key of ['byteLength', 'byteOffset']) {
        let engine;
        try {
          reference[key];
        } catch (error) {
          engine = error;
        }
        assert.throws(() => view[key], (e) => e.constructor === engine.constructor && e.message === engine.message);
      }
      assert.deepEqual(m.session.reports, []);
      for (const v of [view, whole]) {
        const error = catchViewSan(() => v.getInt16(4));
        assert.equal(error.kind, 'use-after-grow');
        assert.deepEqual(error.report.access, { op: 'read', method: 'getInt16', byteOffset: 4 });
        assert.equal(error.report.grow.site.func, 'malloc');
        assert.equal(error.report.view.ctor, 'DataView');
        assert.match(error.message, /memory grew from 1 to \d+ pages/);
      }
      // A dead view is reported whatever the arguments, as typed-array method calls are.
      assert.equal(viewSanKind(() => view.setFloat64(-1, 0)), 'use-after-grow');
      assert.equal(viewSanKind(() => view.getUint8({ valueOf: () => 0 })), 'use-after-grow');
      assert.equal(catchViewSan(() => view.getUint8({ valueOf: () => 0 })).report.access.byteOffset, null);
    });

    test('a DataView at any offset is never misaligned-view', async () => {
      const m = await load({ mode });
      const p = m.malloc(64);
      for (let delta = 0; delta < 8; delta++) {
        const view = new DataView(m.memory.buffer, p + delta, 16);
        view.setFloat64(1, Math.PI, true);
        assert.equal(view.getFloat64(1, true), Math.PI);
      }
      assert.deepEqual(m.session.reports, []);
    });

    test('whole-buffer DataViews are checked for detachment only; sub-range ones like any view', async () => {
      const m = await load({ mode });
      const whole = new DataView(m.memory.buffer);
      const p = m.make_buffer(16);
      m.free(p);
      assert.equal(whole.getUint8(p), 1, 'a free is no error for a view over the whole buffer');
      assert.equal(catchViewSan(() => new DataView(m.memory.buffer, p, 8)).kind, 'use-after-free');
      const q = m.malloc(64);
      assert.equal(catchViewSan(() => new DataView(m.memory.buffer, q + 8, 64)).kind, 'view-out-of-bounds');
      assert.equal(catchViewSan(() => new DataView(m.memory.buffer, q + 4096, 8)).kind, 'unallocated-view');
      assert.doesNotThrow(() => new DataView(m.memory.buffer, 16, 8), 'static data below __heap_base is fine');
    });

    test('record-and-continue: each dead view is reported once per kind, and the call goes on', async () => {
      const m = await load({ mode, haltOnError: false });
      const p = m.make_buffer(16);
      const view = new DataView(m.memory.buffer, p, 16);
      m.free(p);
      assert.equal(view.getUint8(5), 6, 'the stale byte, read after the report');
      view.setUint8(5, 60);
      assert.equal(view.getUint8(5), 60);
      assert.deepEqual(m.session.reports.map((r) => r.kind), ['use-after-free']);
    });

    test('subclasses of DataView and DataViews over other buffers are left alone', async () => {
      const m = await load({ mode });
      class Bytes extends DataView {}
      const p = m.make_buffer(16);
      const sub = new Bytes(m.memory.buffer, p, 16);
      const plain = new DataView(new ArrayBuffer(8));
      assert.ok(!types.isProxy(sub) && !types.isProxy(plain));
      assert.equal(Object.getPrototypeOf(sub), Bytes.prototype);
      m.free(p);
      assert.equal(sub.getUint8(0), 1, 'not guarded: the app built its own class');
      assert.equal(plain.getUint8(0), 0);
      assert.deepEqual(m.session.reports, []);
    });

    test('the DevTools stream gets a `view` event for each DataView, as for typed arrays', async () => {
      const batches = [];
      globalThis.__viewsan_devtools = (batch) => batches.push(...JSON.parse(batch).events);
      try {
        const m = await load({ mode });
        const p = m.malloc(24);
        new DataView(m.memory.buffer, p + 1, 20);
        new Float64Array(m.memory.buffer, p, 3);
        m.session.view(DataView, p, 24);
        m.session.stream.flush();
        const views = batches.filter((e) => e.type === 'view');
        assert.equal(views.length, 3, 'one event per view: session.view() guards once');
        const [dataView, floats, explicit] = views;
        assert.equal(dataView.ctor, 'DataView');
        assert.equal(dataView.byteOffset, p + 1);
        assert.equal(dataView.length, 20);
        assert.equal(dataView.byteLength, 20);
        assert.equal(dataView.allocId, floats.allocId);
        assert.ok(dataView.allocId > 0);
        assert.equal(dataView.whole, false);
        assert.deepEqual(Object.keys(dataView).sort(), Object.keys(floats).sort());
        assert.equal(explicit.ctor, 'DataView');
        assert.equal(explicit.byteLength, 24);
      } finally {
        delete globalThis.__viewsan_devtools;
      }
    });
  });
}

describe('compat mode: DataView.prototype methods check their receiver', () => {
  test('DataView.prototype.getX.call(view) is checked; other DataViews pay a lookup only', async () => {
    const m = await load({ mode: 'compat' });
    const p = m.make_buffer(16);
    const view = new DataView(m.memory.buffer, p, 16);
    const { getUint8, setUint8 } = DataView.prototype;
    assert.equal(getUint8.call(view, 1), 2);
    assert.equal(getUint8.length, 1);
    assert.equal(getUint8.name, 'getUint8');
    m.free(p);
    assert.equal(catchViewSan(() => getUint8.call(view, 0)).kind, 'use-after-free');
    assert.equal(catchViewSan(() => setUint8.call(view, 0, 1)).kind, 'use-after-free');
    const plain = new DataView(new ArrayBuffer(4));
    setUint8.call(plain, 0, 9);
    assert.equal(getUint8.call(plain, 0), 9);
    assert.throws(() => getUint8.call({}, 0), TypeError);
  });
});

// Sinks that take an ArrayBufferView take a guarded DataView as the engine takes a plain one (its
// result, or its very error for the sinks that want a typed array), and report a freed one.
const SINKS = {
  'TextDecoder.decode': (v) => new TextDecoder().decode(v),
  'crypto.getRandomValues': (v) => crypto.getRandomValues(v).byteLength,
  'TextEncoder.encodeInto': (v) => new TextEncoder().encodeInto('hi', v).written,
  'Buffer.from': (v) => Buffer.from(v).length,
  'fs.writeSync': (v) => {
    const fd = openSync('/dev/null', 'w');
    try {
      return writeSync(fd, v);
    } finally {
      closeSync(fd);
    }
  },
  Blob: (v) => new Blob([v]).size,
  Response: (v) => new Response(v).status,
  structuredClone: (v) => structuredClone({ bytes: v }).bytes.getUint8(0),
  'MessagePort.postMessage': (v) => {
    const { port1, port2 } = new MessageChannel();
    try {
      port1.postMessage({ bytes: [v] });
      return receiveMessageOnPort(port2).message.bytes[0].getUint8(0);
    } finally {
      port1.close();
    }
  },
  'ArrayBuffer.isView': (v) => ArrayBuffer.isView(v),
  'Array.from': (v) => Array.from(v).length,
};
// The engine takes these from any ArrayBufferView (the others refuse a DataView, or never read it).
const READS_A_DATAVIEW = new Set(['TextDecoder.decode', 'fs.writeSync', 'Blob', 'Response', 'structuredClone', 'MessagePort.postMessage']);

const outcome = (fn) => {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: error.constructor.name, message: error.message };
  }
};

for (const mode of ['strict', 'compat']) {
  describe(`${mode} mode: sinks take a guarded DataView as they take a plain one`, () => {
    for (const [name, use] of Object.entries(SINKS)) {
      test(name, async () => {
        const m = await load({ mode });
        const p = m.malloc(16);
        const view = new DataView(m.memory.buffer, p, 16);
        for (let i = 0; i < 16; i++) view.setUint8(i, 65 + i);
        const plain = new DataView(new Uint8Array(16).map((_, i) => 65 + i).buffer);
        const expected = outcome(() => use(plain));
        assert.deepEqual(outcome(() => use(view)), expected);
        assert.deepEqual(m.session.reports, [], 'no copy-out either: a DataView has no elements to copy');
        m.free(p);
        if (!READS_A_DATAVIEW.has(name)) return;
        assert.equal(catchViewSan(() => use(view)).kind, 'use-after-free');
        assert.ok(!('error' in expected), JSON.stringify(expected));
      });
    }
  });
}
