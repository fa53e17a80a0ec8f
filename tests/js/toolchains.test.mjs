// Every toolchain's modules under the guard, in both modes: clang + wasi-libc under node:wasi
// (memory.grow inside dlmalloc), a wasm-bindgen-shaped allocator, Emscripten's HEAP views, a shared
// memory that never detaches, and a module that was never instrumented. Strict mode throws at the
// element access; compat mode hands out real typed arrays and throws at the next method call.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { WASI } from 'node:wasi';

import { emscripten, instantiate } from 'viewsan';

import { catchViewSan } from './support/viewsan-error.mjs';

const fixtures = process.env.VIEWSAN_FIXTURES;
const sampleDir = path.join(process.env.VIEWSAN_BUILD_DIR, 'samples/invert');
const fixture = (name) => readFile(path.join(fixtures, name));

for (const mode of ['strict', 'compat']) {
  // The access that faults: an element read in strict mode, a method call in compat mode.
  const touch = mode === 'strict' ? (view) => view[0] : (view) => view.at(0);

  describe(`${mode} mode`, () => {
    test('clang + wasi-libc under node:wasi: correct flow silent; use-after-free; use-after-grow from sbrk', async () => {
      const wasi = new WASI({ version: 'preview1' });
      const { instance, session } = await instantiate(await fixture('wasi-audio.vs.wasm'),
        wasi.getImportObject(), { mode });
      assert.ok(instance.exports.memory instanceof WebAssembly.Memory);
      wasi.initialize(instance);
      const { memory, samples_new: samplesNew, samples_free: samplesFree, gain, reserve_tail: reserveTail } = instance.exports;

      const n = 4096;
      let p = samplesNew(n);
      let view = new Float32Array(memory.buffer, p, n);
      view.fill(0.5);
      gain(p, n, 2);
      assert.equal(touch(view), 1, 'the module wrote through the same bytes');
      samplesFree(p);
      assert.deepEqual(session.reports, []);

      p = samplesNew(n);
      view = new Float32Array(memory.buffer, p, n);
      samplesFree(p);
      const afterFree = catchViewSan(() => touch(view));
      assert.equal(afterFree.kind, 'use-after-free');
      assert.equal(afterFree.report.region.freeSite.func, 'samples_free');
      assert.equal(afterFree.report.region.allocSite.func, 'samples_new');

      p = samplesNew(n);
      view = new Float32Array(memory.buffer, p, n);
      assert.ok(reserveTail(64 << 20));
      const afterGrow = catchViewSan(() => touch(view));
      assert.equal(afterGrow.kind, 'use-after-grow');
      assert.equal(afterGrow.report.grow.site.kind, 'memory.grow');
      assert.equal(afterGrow.report.region.allocSite.func, 'samples_new');
    });

    test('wasm-bindgen-style allocator: use-after-free, use-after-reuse, copy-out; a second free is counted, not reported', async () => {
      const { instance, session } = await instantiate(await fixture('wbindgen-tensors.vs.wasm'), {}, { mode });
      const { memory, __wbindgen_malloc: malloc, __wbindgen_free: free, relu } = instance.exports;
      const p = malloc(64, 4);
      const tensor = new Float32Array(memory.buffer, p, 16);
      tensor.fill(-1);
      tensor.set([3], 1);
      relu(p, 16);
      assert.deepEqual([...tensor.subarray(0, 3)], [0, 3, 0]);
      const copy = tensor.slice(0, 4);
      assert.equal(copy.length, 4);
      assert.equal(session.reports.length, 1);
      assert.equal(session.reports[0].kind, 'copy-out');
      assert.equal(session.reports[0].severity, 'warning');
      assert.equal(session.stats().copyOutBytes, 16);

      free(p, 64, 4);
      const afterFree = catchViewSan(() => touch(tensor));
      assert.equal(afterFree.kind, 'use-after-free');
      assert.equal(afterFree.report.region.allocSite.func, '__wbindgen_malloc');
      assert.equal(afterFree.report.region.freeSite.kind, 'export');
      assert.match(afterFree.report.region.freeSite.stack, /toolchains\.test\.mjs/, 'JavaScript freed it: its stack is shown');
      assert.match(afterFree.report.region.allocSite.stack, /toolchains\.test\.mjs/);
      assert.match(afterFree.message, /freed by __wbindgen_free \(called from JavaScript through its export\).* here:\n {4}at /);

      const q = malloc(64, 4);
      assert.equal(q, p, 'the bin hands the block back');
      assert.equal(catchViewSan(() => touch(tensor)).kind, 'use-after-reuse');
      free(q, 64, 4);
      // Coverage is partial (no name section): an allocation no hook saw may have returned q
      // again, so the second free is counted as unseen, not reported (docs/reports/double-free.md).
      free(q, 64, 4);
      assert.equal(session.stats().unseenFrees, 1);
      assert.equal(session.stats().errors, 2);
    });

    test('shared memory: growth never detaches, frees are still caught', async () => {
      const { instance, session } = await instantiate(await fixture('shared-heap.vs.wasm'), {}, { mode });
      const { memory, make_buffer: makeBuffer, consume } = instance.exports;
      assert.ok(memory.buffer instanceof SharedArrayBuffer);
      const p = makeBuffer(16);
      const view = new Uint8Array(memory.buffer, p, 16);
      makeBuffer(200000);  // grows the shared memory: the view stays valid
      assert.equal(touch(view), 1);
      assert.deepEqual(session.reports, []);
      consume(p, 16);
      assert.equal(catchViewSan(() => touch(view)).kind, 'use-after-free');
    });

    test('Emscripten: HEAPF32.subarray views are checked against their allocation; cached HEAPU8 against growth', async () => {
      const createInvert = createRequire(import.meta.url)(path.join(sampleDir, 'invert.js'));
      const glue = emscripten({ wasmBinary: await readFile(path.join(sampleDir, 'invert.vs.wasm')), mode });
      const app = await createInvert({ ...glue });
      const p = app._malloc(64);
      const floats = app.HEAPF32.subarray(p >> 2, (p >> 2) + 16);
      floats.fill(1.5);
      assert.equal(touch(floats), 1.5);
      app._free(p);
      const afterFree = catchViewSan(() => touch(floats));
      assert.equal(afterFree.kind, 'use-after-free');
      assert.equal(afterFree.report.region.ptr, p);

      const heap = app.HEAPU8;  // cached across a call that grows memory: the classic bug
      assert.ok(app._reserve_scratch(64 << 20));
      assert.notEqual(app.HEAPU8, heap, 'Emscripten replaced its own views');
      assert.equal(catchViewSan(() => touch(heap)).kind, 'use-after-grow');
      assert.equal(glue.session.reports.filter((r) => r.severity === 'error').length, 2);
    });

    test('a module that was never instrumented: detach and misalignment are still caught', async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.wasm'), {}, { mode });
      const { memory, make_buffer: makeBuffer } = instance.exports;
      const p = makeBuffer(64);
      assert.equal(catchViewSan(() => new Float64Array(memory.buffer, p + 4, 2)).kind, 'misaligned-view');
      const view = new Uint8Array(memory.buffer, p, 64);
      makeBuffer(200000);
      const error = catchViewSan(() => touch(view));
      assert.equal(error.kind, 'use-after-grow');
      assert.equal(error.report.grow, null, 'the module has no hooks, so the grow itself is unknown');
      assert.equal(session.stats().allocs, 0, 'allocations inside wasm are invisible');
    });

    test('a module that was never instrumented: frees through its exported allocator are checked', async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.wasm'), {}, { mode });
      assert.ok(instance instanceof WebAssembly.Instance);
      const { memory, malloc, free } = instance.exports;
      const p = malloc(32);
      const view = new Uint8Array(memory.buffer, p, 32);
      assert.equal(catchViewSan(() => new Uint8Array(memory.buffer, p, 64)).kind, 'view-out-of-bounds');
      free(p);
      const error = catchViewSan(() => touch(view));
      assert.equal(error.kind, 'use-after-free');
      assert.equal(error.report.region.allocSite.kind, 'js');
      assert.match(error.report.region.allocSite.stack, /toolchains\.test\.mjs/);
      assert.match(error.report.region.freeSite.stack, /toolchains\.test\.mjs/);
      // Wasm allocates and frees out of sight here: it may have handed p out again, and may have
      // made 12345 itself. Neither free is an error; both are counted.
      free(p);
      free(12345);
      assert.equal(session.stats().unseenFrees, 2);
      assert.equal(session.stats().errors, 2);
      assert.equal(session.stats().allocs, 1);
    });
  });
}

test('compat views are real typed arrays: the engine accepts them everywhere', async () => {
  const { instance } = await instantiate(await fixture('wbindgen-tensors.vs.wasm'), {}, { mode: 'compat' });
  const { memory, __wbindgen_malloc: malloc } = instance.exports;
  const bytes = new Uint8Array(memory.buffer, malloc(16, 1), 16);
  assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
  assert.equal(Buffer.from(bytes.buffer, bytes.byteOffset, 4).length, 4);
  assert.equal(structuredClone(bytes).length, 16);
});
