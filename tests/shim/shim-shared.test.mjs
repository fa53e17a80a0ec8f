// The shim of heaps that threads share (viewsan-shim-shared.wasm): one registry in one shared
// memory, an instance per thread, a heap lock. Driven with plain WebAssembly APIs, on real threads
// (worker_threads), as the JS runtime drives it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

const wasmPath = process.env.VIEWSAN_SHARED_SHIM_WASM;
const headerPath = process.env.VIEWSAN_SHIM_ABI_H;
assert.ok(wasmPath && headerPath, 'VIEWSAN_SHARED_SHIM_WASM and VIEWSAN_SHIM_ABI_H must be set');
const bytes = readFileSync(wasmPath);
const shimModule = new WebAssembly.Module(bytes);
// As runtime-shim/js/src/shim.js gives it: the shim's link declares 16 to 32768 pages.
const MEMORY = { initial: 16, maximum: 32768, shared: true };
const LIVE = 1, FREED = 2;
const STATE = { allocs: 8, frees: 12, errors: 24 };

// One thread's instance over the heap's shim memory; the code is a string so that a worker runs it too.
const instanceSource = `(module, memory, errors) => new WebAssembly.Instance(module, { env: {
  memory, vs_now: () => 0, vs_fill_freed() {}, vs_on_events_full() {}, emscripten_notify_memory_growth() {},
  vs_on_error(kind, ptr) { errors.push([kind, ptr]); },
} }).exports`;
const instantiate = eval(instanceSource);

function readState(x, memory, offset) {
  x.vs_lock();
  try {
    x.vs_sync_state();
    return new Uint32Array(memory.buffer)[(x.vs_state_ptr() + offset) / 4];
  } finally {
    x.vs_unlock();
  }
}

test('imports: the shim functions of shim_abi.h and one shared memory; exports: the functions', () => {
  const header = readFileSync(headerPath, 'utf8');
  const declared = (re) => [...header.matchAll(re)].map((m) => m[1]);
  const imports = WebAssembly.Module.imports(shimModule).map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  assert.deepEqual(imports, [...declared(/^VS_IMPORT\((\w+)\)/gm), ...declared(/^\/\/\s+env\.(\w+)\(/gm)]
    .map((name) => `env.${name}:function`).concat('env.memory:memory').sort());
  const exports = WebAssembly.Module.exports(shimModule);
  assert.deepEqual(exports.map((e) => e.name).sort(), declared(/^VS_EXPORT\((\w+)\)/gm).sort());
  assert.ok(exports.every((e) => e.kind === 'function'));
});

test('two instances over one shim memory are one registry', () => {
  const memory = new WebAssembly.Memory(MEMORY);
  const errors = [];
  const a = instantiate(shimModule, memory, errors);
  const b = instantiate(shimModule, memory, errors);  // its start function leaves a's data alone
  a.vs_configure(1, -1);
  a.vs_hook_alloc(4096, 64, 0);
  assert.equal(b.vs_lookup(4096, 64), LIVE);
  const id = b.vs_live_id_at(4096);
  assert.ok(id > 0);
  b.vs_hook_free(4096, 1);
  assert.equal(a.vs_alloc_status(id), FREED);
  a.vs_hook_free(4096, 2);  // the second free of the region, through the other instance
  assert.deepEqual(errors, [[1, 4096]]);
  assert.equal(readState(a, memory, STATE.allocs), 1);
  assert.equal(readState(b, memory, STATE.frees), 1);
});

test('threads calling hooks at once leave the registry whole', async () => {
  const memory = new WebAssembly.Memory(MEMORY);
  const errors = [];
  const main = instantiate(shimModule, memory, errors);
  main.vs_configure(1, -1);  // complete coverage: an unknown pointer freed would be an error
  const rounds = 50000;
  // Each thread allocates and frees in its own address range, 8 live at a time, so that the
  // shim's tables grow (its memory too) while the other thread is in the middle of its work.
  const churn = `(x, base, rounds) => {
    for (let i = 0; i < rounds; i++) {
      const ptr = base + (i % 4096) * 64;
      x.vs_hook_alloc(ptr, 48, 0);
      if (i >= 8) x.vs_hook_free(base + ((i - 8) % 4096) * 64, 1);
    }
    for (let i = Math.max(0, rounds - 8); i < rounds; i++) x.vs_hook_free(base + (i % 4096) * 64, 1);
  }`;
  // All start at once: each worker waits for the main thread's signal once it is ready.
  const go = new Int32Array(new SharedArrayBuffer(4));
  const threads = [1, 2, 3].map((n) => new Worker(`
    const { parentPort, workerData: { module, memory, base, rounds, go } } = require('node:worker_threads');
    const errors = [];
    const x = (${instanceSource})(module, memory, errors);
    parentPort.postMessage('ready');
    Atomics.wait(go, 0, 0);
    (${churn})(x, base, rounds);
    parentPort.postMessage(errors);
  `, { eval: true, workerData: { module: shimModule, memory, base: (n + 1) << 24, rounds, go } }));
  const message = (w) => new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await Promise.all(threads.map(message));
  const done = threads.map(message);
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
  eval(churn)(main, 1 << 24, rounds);
  const workerErrors = await Promise.all(done);
  assert.deepEqual([errors, ...workerErrors], [[], [], [], []], 'no bad free: every allocation was seen');
  assert.equal(readState(main, memory, STATE.allocs), 4 * rounds);
  assert.equal(readState(main, memory, STATE.frees), 4 * rounds);
  assert.equal(main.vs_regions_snapshot(), 0, 'nothing left live');
});
