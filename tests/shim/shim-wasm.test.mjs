// Drives the built viewsan-shim.wasm through its exports with plain WebAssembly APIs, as the JS
// runtime does: hooks in, state read zero-copy through typed-array views over the shim's memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fromHere = (path) => fileURLToPath(new URL(path, import.meta.url));
const wasmPath =
  process.env.VIEWSAN_SHIM_WASM ?? fromHere('../../runtime-shim/js/viewsan-shim.wasm');
const headerPath =
  process.env.VIEWSAN_SHIM_ABI_H ?? fromHere('../../runtime-shim/include/viewsan/shim_abi.h');
const shimModule = new WebAssembly.Module(readFileSync(wasmPath));

// Byte offsets, as shim_abi.h lays the structs out.
const STATE = {
  free_epoch: 0, grow_count: 4, allocs: 8, frees: 12, reallocs: 16, grows: 20, errors: 24,
  events_enabled: 28, live_bytes: 32, peak_bytes: 40, quarantine_bytes: 48, heap_low: 56,
  check_epoch: 64,
  last_alloc_id: 68, unseen_frees: 72,
};
const RESULT = {
  state: 0, alloc_id: 4, generation: 8, alloc_site: 12, free_site: 16, frees_ago: 20, ptr: 24,
  size: 32, newer_alloc_id: 40, newer_alloc_site: 44, newer_ptr: 48, newer_size: 56,
  from_pages: 64, to_pages: 72, grow_site: 80,
};
const RING = { capacity: 0, record_size: 4, written: 8, overflowed: 16, read: 24 };
const RING_HEADER_SIZE = 32; // records follow the header
const EVENT = { kind: 0, site: 4, alloc_id: 8, aux: 12, ptr: 16, size: 24, old_ptr: 32, t: 40 };
const EVENT_SIZE = 48;
const SIGNED = new Set(['alloc_site', 'free_site', 'newer_alloc_site', 'grow_site', 'site']);
const F64 = new Set([
  'live_bytes', 'peak_bytes', 'quarantine_bytes', 'heap_low', 'ptr', 'size', 'newer_ptr',
  'newer_size', 'from_pages', 'to_pages', 'written', 'overflowed', 'read', 'old_ptr', 't',
]);

const LIVE = 1, FREED = 2, REUSED = 3, STRADDLES = 4, UNKNOWN_ID = 5, UNALLOCATED = 0;
const DOUBLE_FREE = 1, INVALID_FREE = 2;
const EV_ALLOC = 1, EV_FREE = 2, EV_REALLOC = 3, EV_GROW = 4, EV_BAD_FREE = 5;
const SITE_UNKNOWN = -2;

// One shim instance with recording imports. Its views over the shim's memory are re-created when
// Emscripten's runtime reports that the memory grew, as the JS runtime must do.
function instantiate({ onError, now = () => 0, onEventsFull } = {}) {
  const seen = { errors: [], nowCalls: 0, growths: 0, fills: [], eventsFull: 0 };
  const views = {};
  const refresh = () => {
    const buffer = instance.exports.memory.buffer;
    views.u32 = new Uint32Array(buffer);
    views.i32 = new Int32Array(buffer);
    views.f64 = new Float64Array(buffer);
  };
  const instance = new WebAssembly.Instance(shimModule, {
    env: {
      vs_on_error(kind, ptr, site) {
        seen.errors.push({ kind, ptr, site });
        onError?.(kind, ptr, site);
      },
      vs_now() {
        seen.nowCalls++;
        return now();
      },
      emscripten_notify_memory_growth() {
        seen.growths++;
        refresh();
      },
      vs_fill_freed(ptr, size) {
        seen.fills.push([ptr, size]);
      },
      vs_on_events_full() {
        seen.eventsFull++;
        onEventsFull?.();
      },
    },
  });
  refresh();
  const x = instance.exports;
  const read = (base, layout) => {
    const out = {};
    for (const [name, offset] of Object.entries(layout)) {
      const at = base + offset;
      if (F64.has(name)) out[name] = views.f64[at / 8];
      else out[name] = (SIGNED.has(name) ? views.i32 : views.u32)[at / 4];
    }
    return out;
  };
  const ring = () => read(x.vs_events_ptr(), RING);
  return {
    x,
    seen,
    views,
    state: () => {
      x.vs_sync_state();  // the byte counts are brought up to date by whoever reads them
      return read(x.vs_state_ptr(), STATE);
    },
    result: () => read(x.vs_result_ptr(), RESULT),
    ring,
    event(i) {
      const { capacity } = ring();
      return read(x.vs_events_ptr() + RING_HEADER_SIZE + (i % capacity) * EVENT_SIZE, EVENT);
    },
    enableEvents() {
      views.u32[(x.vs_state_ptr() + STATE.events_enabled) / 4] = 1;
    },
    setRead(n) {
      views.f64[(x.vs_events_ptr() + RING.read) / 8] = n;
    },
    idAt(ptr) {
      assert.equal(x.vs_lookup(ptr, 0), LIVE);
      return this.result().alloc_id;
    },
  };
}

function declaredInHeader() {
  const header = readFileSync(headerPath, 'utf8');
  const names = (re) => [...header.matchAll(re)].map((m) => m[1]);
  return {
    imports: [...names(/^VS_IMPORT\((\w+)\)/gm), ...names(/^\/\/\s+env\.(\w+)\(/gm)],
    exports: ['memory', ...names(/^VS_EXPORT\((\w+)\)/gm)],
  };
}

test('imports are exactly the ones shim_abi.h documents', () => {
  const { imports } = declaredInHeader();
  assert.deepEqual(imports.sort(),
    ['emscripten_notify_memory_growth', 'vs_fill_freed', 'vs_now', 'vs_on_error', 'vs_on_events_full']);
  const actual = WebAssembly.Module.imports(shimModule);
  assert.deepEqual(
    actual.map((i) => `${i.module}.${i.name}:${i.kind}`).sort(),
    imports.map((name) => `env.${name}:function`).sort(),
  );
});

test('the shim stays small: at most 72 KiB', () => {
  const bytes = readFileSync(wasmPath).byteLength;
  assert.ok(bytes <= 72 * 1024, `viewsan-shim.wasm is ${bytes} bytes`);
});

test('exports are exactly memory and the functions shim_abi.h declares', () => {
  const { exports } = declaredInHeader();
  const actual = WebAssembly.Module.exports(shimModule);
  assert.deepEqual(actual.map((e) => e.name).sort(), exports.sort());
  for (const e of actual) assert.equal(e.kind, e.name === 'memory' ? 'memory' : 'function', e.name);
});

test('free filling: a free of a live region asks for its first bytes to be filled', () => {
  const { x, seen } = instantiate();
  x.vs_hook_alloc(0x1000, 64, 0);
  x.vs_hook_free(0x1000, 0);
  assert.deepEqual(seen.fills, [], 'off by default');
  x.vs_configure_free_fill(16);
  x.vs_hook_alloc(0x2000, 64, 0);
  x.vs_hook_free(0x2000, 0);
  x.vs_hook_free(0x2000, 0);  // a double free is not filled
  assert.deepEqual(seen.fills, [[0x2000, 16]]);
});

test('alloc, free and lookup', () => {
  const shim = instantiate();
  const { x } = shim;
  assert.equal(shim.state().heap_low, Infinity);
  x.vs_hook_alloc(0x1000, 32, 5);
  assert.equal(x.vs_lookup(0x1008, 8), LIVE);
  assert.deepEqual(shim.result(), {
    state: LIVE, alloc_id: 1, generation: 0, alloc_site: 5, free_site: SITE_UNKNOWN,
    frees_ago: 0, ptr: 0x1000, size: 32, newer_alloc_id: 0, newer_alloc_site: SITE_UNKNOWN,
    newer_ptr: 0, newer_size: 0, from_pages: 0, to_pages: 0, grow_site: SITE_UNKNOWN,
  });
  assert.equal(x.vs_lookup(0x1000, 33), STRADDLES);
  assert.equal(x.vs_lookup(0x2000, 4), UNALLOCATED);

  x.vs_hook_free(0x1000, 6);
  assert.equal(x.vs_lookup(0x1008, 8), FREED);
  assert.equal(shim.result().free_site, 6);
  assert.equal(x.vs_alloc_status(1), FREED);
  assert.equal(x.vs_alloc_status(2), UNKNOWN_ID);

  const s = shim.state();
  assert.equal(s.allocs, 1);
  assert.equal(s.frees, 1);
  assert.equal(s.free_epoch, 1);
  assert.equal(s.live_bytes, 0);
  assert.equal(s.peak_bytes, 32);
  assert.equal(s.quarantine_bytes, 32);
  assert.equal(s.heap_low, 0x1000);
  assert.equal(shim.seen.errors.length, 0);
});

test('an allocation at a freed address is the next generation, and the old id says reused', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_hook_alloc(0x1000, 32, 1);
  const a = shim.idAt(0x1000);
  x.vs_hook_free(0x1000, 2);
  x.vs_hook_alloc(0x1000, 16, 3);
  const b = shim.idAt(0x1000);
  assert.equal(shim.result().generation, 1);
  assert.equal(x.vs_alloc_status(a), REUSED);
  assert.equal(x.vs_describe_alloc(a), REUSED);
  const r = shim.result();
  assert.equal(r.alloc_id, a);
  assert.equal(r.newer_alloc_id, b);
  assert.equal(r.newer_alloc_site, 3);
  assert.equal(r.newer_size, 16);
  assert.equal(r.frees_ago, 0);
});

test('realloc that moves frees the old allocation; in place it resizes', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_hook_alloc(0x1000, 16, 1);
  x.vs_hook_realloc(0x1000, 0x1000, 64, 2);
  assert.equal(shim.idAt(0x1000), 1);
  assert.equal(x.vs_lookup(0x1000, 64), LIVE);
  assert.equal(shim.state().free_epoch, 0);
  x.vs_hook_realloc(0x1000, 0x4000, 128, 3);
  assert.equal(shim.idAt(0x4000), 2);
  assert.equal(x.vs_alloc_status(1), FREED);
  const s = shim.state();
  assert.equal(s.reallocs, 2);
  assert.equal(s.free_epoch, 1);
  assert.equal(s.live_bytes, 128);
  x.vs_hook_realloc(0, 0x8000, 8, 4); // realloc(NULL, n)
  x.vs_hook_realloc(0x8000, 0, 100, 5); // failed: the old block stays
  assert.equal(x.vs_lookup(0x8000, 8), LIVE);
  x.vs_hook_realloc(0x8000, 0, 0, 6); // realloc(p, 0) returned null: p was freed
  assert.equal(x.vs_lookup(0x8000, 8), FREED);
});

test('double and invalid frees call vs_on_error after recording them', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_configure(1, -1);
  x.vs_hook_alloc(0x1000, 32, 1);
  x.vs_hook_free(0x1000, 2);
  x.vs_hook_free(0x1000, 3);
  assert.deepEqual(shim.seen.errors, [{ kind: DOUBLE_FREE, ptr: 0x1000, site: 3 }]);
  assert.equal(shim.state().errors, 1);
  assert.equal(shim.result().state, FREED);
  assert.equal(shim.result().free_site, 2);

  x.vs_hook_alloc(0x2000, 32, 4);
  x.vs_hook_free(0x2010, 5);
  assert.deepEqual(shim.seen.errors[1], { kind: INVALID_FREE, ptr: 0x2010, site: 5 });
  assert.equal(x.vs_alloc_status(2), LIVE);

  x.vs_configure(0, -1);
  x.vs_hook_free(0x9000, 6); // unknown pointer, partial coverage: an allocation no hook saw
  assert.equal(shim.seen.errors.length, 2);
  assert.equal(shim.state().unseen_frees, 1);
  x.vs_configure(1, -1);
  x.vs_hook_free(0x9000, 7);
  assert.deepEqual(shim.seen.errors[2], { kind: INVALID_FREE, ptr: 0x9000, site: 7 });
  x.vs_hook_free(0, 8);
  assert.equal(shim.seen.errors.length, 3);
});

test('a throwing vs_on_error unwinds through the shim and leaves it consistent', () => {
  class Halt extends Error {}
  const shim = instantiate({ onError: () => { throw new Halt(); } });
  const { x } = shim;
  x.vs_configure(1, -1);
  x.vs_hook_alloc(0x1000, 32, 1);
  x.vs_hook_free(0x1000, 2);
  assert.throws(() => x.vs_hook_free(0x1000, 3), Halt);
  assert.throws(() => x.vs_hook_realloc(0x1000, 0x3000, 8, 4), Halt);
  assert.equal(shim.state().errors, 2);
  assert.equal(x.vs_lookup(0x3000, 8), LIVE);
  x.vs_hook_alloc(0x1000, 8, 5);
  assert.equal(shim.idAt(0x1000), 3);
  assert.equal(shim.result().generation, 1);
});

test('pointers past 2 GiB are unsigned, and the 64 hooks take BigInt above 4 GiB', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_configure(1, -1);
  x.vs_hook_alloc(0x90000000, 0x100, 1); // reaches wasm as a negative i32
  assert.equal(x.vs_lookup(0x90000080, 0x80), LIVE);
  assert.equal(shim.result().ptr, 0x90000000);
  x.vs_hook_free(0x90000000, 2);
  assert.equal(x.vs_lookup(0x90000000, 4), FREED);

  const base = 5n << 32n;
  x.vs_hook_alloc64(base, 4096n, 3);
  assert.equal(x.vs_lookup(Number(base) + 100, 8), LIVE);
  assert.equal(shim.result().ptr, Number(base));
  x.vs_hook_realloc64(base, base + (1n << 40n), 64n, 4);
  assert.equal(x.vs_lookup(Number(base + (1n << 40n)), 64), LIVE);
  assert.equal(x.vs_describe_alloc(2), FREED);
  x.vs_hook_free64(base, 5);
  assert.equal(shim.seen.errors[0].kind, DOUBLE_FREE);
  assert.equal(shim.seen.errors[0].ptr, Number(base));
  x.vs_hook_grow_begin64(1n, 6);
  x.vs_hook_grow_end64(1n << 17n, 1n, 6);
  assert.equal(x.vs_grow_record(0), 1);
  assert.equal(shim.result().to_pages, 131073);
});

test('events: one record per hook while enabled, wraparound and overflow', () => {
  let clock = 0;
  const shim = instantiate({ now: () => ++clock });
  const { x } = shim;
  x.vs_configure(1, -1);
  x.vs_hook_alloc(0x1000, 8, 1);
  assert.equal(shim.ring().written, 0);
  assert.equal(shim.seen.nowCalls, 0);

  shim.enableEvents();
  x.vs_hook_free(0x1000, 2);
  x.vs_hook_alloc(0x1000, 16, 3);
  x.vs_hook_realloc(0x1000, 0x2000, 32, 4);
  x.vs_hook_grow_end(16, 2, 5);
  x.vs_hook_free(0x2000, 6);
  x.vs_hook_free(0x2000, 7);
  const events = [0, 1, 2, 3, 4, 5].map((i) => shim.event(i));
  assert.deepEqual(
    events.map((e) => e.kind),
    [EV_FREE, EV_ALLOC, EV_REALLOC, EV_GROW, EV_FREE, EV_BAD_FREE],
  );
  assert.deepEqual(events.map((e) => e.site), [2, 3, 4, 5, 6, 7]);
  assert.deepEqual(events.map((e) => e.t), [1, 2, 3, 4, 5, 6]);
  assert.equal(events[1].aux, 1); // generation
  const { alloc_id, aux, old_ptr, ptr } = events[2];
  assert.deepEqual([alloc_id, aux, old_ptr, ptr], [3, 2, 0x1000, 0x2000]);
  assert.deepEqual([events[3].ptr, events[3].size, events[3].aux], [16, 2, 0]);
  assert.equal(events[5].aux, DOUBLE_FREE);

  const { capacity, record_size } = shim.ring();
  assert.equal(record_size, EVENT_SIZE);
  shim.setRead(6);
  for (let i = 0; i < capacity + 10; i++) x.vs_hook_alloc(0x10000 + 16 * i, 8, 0);
  const ring = shim.ring();
  assert.equal(ring.written, capacity + 16);
  assert.equal(ring.overflowed, 10);
  assert.equal(shim.event(ring.written - 1).ptr, 0x10000 + 16 * (capacity + 9));
  assert.equal(shim.seen.eventsFull, 10, 'asked before each overwrite, and read nothing');
});

test('events: a full ring asks JS to read it from inside the hook, and nothing is lost', () => {
  const seen = [];
  const shim = instantiate({
    // As the runtime does: read from the cursor to what is written, move the cursor, call nothing.
    onEventsFull() {
      const { read, written } = shim.ring();
      for (let i = read; i < written; i++) seen.push(shim.event(i).ptr);
      shim.setRead(written);
    },
  });
  const { x } = shim;
  x.vs_configure(1, -1);
  shim.enableEvents();
  const { capacity } = shim.ring();
  const count = 3 * capacity + 5;
  for (let i = 0; i < count; i++) x.vs_hook_alloc(0x10000 + 16 * i, 8, 0);
  assert.equal(shim.seen.eventsFull, 3);
  assert.equal(shim.ring().overflowed, 0);
  assert.equal(seen.length, 3 * capacity);
  assert.ok(seen.every((ptr, i) => ptr === 0x10000 + 16 * i), 'every record, in order');
});

test('grow records keep their index', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_hook_grow_begin(1, 1);
  x.vs_hook_grow_end(2, 1, 1);
  x.vs_hook_grow_end(-1, 65536, 2);
  x.vs_hook_grow_end(3, 4, -1);
  const s = shim.state();
  assert.equal(s.grows, 2);
  assert.equal(s.grow_count, 2);
  assert.equal(x.vs_grow_record(1), 1);
  assert.deepEqual(
    [shim.result().from_pages, shim.result().to_pages, shim.result().grow_site],
    [3, 7, -1],
  );
  assert.equal(x.vs_grow_record(2), 0);
});

test('snapshot lists live allocations in address order', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_hook_alloc(0x3000, 30, 3);
  x.vs_hook_alloc(0x1000, 10, 1);
  x.vs_hook_alloc(0x2000, 0, 2);
  assert.equal(x.vs_regions_snapshot(), 3);
  const at = x.vs_snapshot_ptr();
  const records = [0, 1, 2].map((i) => {
    const base = at + 32 * i;
    const { f64, u32, i32 } = shim.views;
    return [f64[base / 8], f64[base / 8 + 1], u32[base / 4 + 4], i32[base / 4 + 6]];
  });
  assert.deepEqual(records, [[0x1000, 10, 2, 1], [0x2000, 0, 3, 2], [0x3000, 30, 1, 3]]);
});

test('views recheck after allocations while coverage is partial; overlaps resolve at the next query', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_hook_alloc(0x1000, 32, 1);
  assert.equal(shim.state().check_epoch, 1);
  assert.equal(shim.state().free_epoch, 0);
  x.vs_hook_alloc(0x1010, 32, 2); // over the first, freed where no hook saw
  assert.equal(x.vs_alloc_status(1), REUSED);
  const s = shim.state();
  assert.equal(s.free_epoch, 1);
  assert.equal(s.check_epoch, 3);
  assert.equal(s.live_bytes, 32);
  x.vs_configure(1, -1);
  x.vs_hook_alloc(0x8000, 8, 3);
  assert.equal(shim.state().check_epoch, 3); // complete coverage: nothing to recheck
});

test('an allocator that never reuses an address: generations, lookups and memory stay right', () => {
  const shim = instantiate();
  const { x } = shim;
  x.vs_configure(0, 1 << 20);
  for (let i = 0; i < 3; i++) {
    x.vs_hook_alloc(0x800, 16, 1);
    x.vs_hook_free(0x800, 2);
  }
  const count = 300000;
  for (let i = 0; i < count; i++) {
    const ptr = 0x100000 + 32 * i;
    x.vs_hook_alloc(ptr, 24, 3);
    if (i >= 64) x.vs_hook_free(ptr - 64 * 32, 4);
  }
  const s = shim.state();
  assert.equal(s.allocs, count + 3);
  assert.equal(s.live_bytes, 64 * 24);
  assert.equal(x.vs_lookup(0x100000 + 32 * (count - 1), 24), LIVE);
  assert.equal(x.vs_lookup(0x100000 + 32 * (count - 100), 8), FREED);
  assert.equal(shim.result().free_site, 4);
  assert.equal(x.vs_lookup(0x100000, 8), UNALLOCATED); // long forgotten
  assert.equal(x.vs_regions_snapshot(), 64);
  assert.ok(x.memory.buffer.byteLength <= 32 * 1024 * 1024, `shim memory ${x.memory.buffer.byteLength}`);
  x.vs_hook_alloc(0x800, 16, 5); // its frees are forgotten too: the count starts over
  assert.equal(shim.idAt(0x800), count + 4);
  assert.equal(shim.result().generation, 0);
});

test('the shim grows its own memory and the views are re-created', () => {
  const shim = instantiate();
  const { x } = shim;
  shim.enableEvents();
  const before = shim.views.u32;
  const pagesBefore = x.memory.buffer.byteLength / 65536;
  const count = 100000;
  for (let i = 0; i < count; i++) x.vs_hook_alloc(0x100000 + 32 * i, 24, i);
  assert.ok(x.memory.buffer.byteLength / 65536 > pagesBefore, 'the shim memory grew');
  assert.ok(shim.seen.growths > 0, 'Emscripten reported the growth');
  assert.equal(before.length, 0, 'the old view was detached');
  assert.notEqual(shim.views.u32, before);
  const s = shim.state();
  assert.equal(s.allocs, count);
  assert.equal(s.live_bytes, 24 * count);
  assert.equal(shim.ring().written, count);
  assert.equal(x.vs_lookup(0x100000 + 32 * (count - 1), 24), LIVE);
  assert.equal(shim.result().alloc_id, count);
  assert.equal(x.vs_regions_snapshot(), count);
  const lastRecord = x.vs_snapshot_ptr() + 32 * (count - 1);
  assert.equal(shim.views.f64[lastRecord / 8], 0x100000 + 32 * (count - 1));
});
