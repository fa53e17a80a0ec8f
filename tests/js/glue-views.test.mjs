// Glue views: the views Emscripten's glue re-creates over the whole memory after instantiation and
// after each growth it makes (updateMemoryViews: Module.HEAP8 = HEAP8 = new Int8Array(b), ...) are
// handed to the glue as real typed arrays, since it never uses them stale; what an app reaches of
// them (Module.HEAPU8) is guarded, so a HEAPU8 kept across growth is still caught at the access,
// and copies out of them are still counted. Views the app makes itself stay guarded.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { types } from 'node:util';

import { instantiate } from 'viewsan';

import { catchViewSan } from './support/viewsan-error.mjs';

const fixture = (name) => readFile(path.join(process.env.VIEWSAN_FIXTURES, name));

// The shape of Emscripten's glue around its views, as 3.1.x writes it.
function emscriptenGlue(memory) {
  const Module = {};
  let HEAP8;
  let HEAPU8;
  let HEAP32;
  function updateMemoryViews() {
    const b = memory.buffer;
    Module.HEAP8 = HEAP8 = new Int8Array(b);
    Module.HEAPU8 = HEAPU8 = new Uint8Array(b);
    Module.HEAP32 = HEAP32 = new Int32Array(b);
  }
  function growMemory(pages) {
    memory.grow(pages);
    updateMemoryViews();
  }
  function writeString(ptr, text) {
    for (let i = 0; i < text.length; i++) HEAPU8[ptr + i] = text.charCodeAt(i);
  }
  return { Module, updateMemoryViews, growMemory, writeString, own: () => ({ HEAP8, HEAPU8, HEAP32 }) };
}

// The same glue at another place in a script: each place is told apart.
function otherGlue(memory) {
  const Module = {};
  let HEAPU8;
  function updateMemoryViews() {
    const b = memory.buffer;
    Module.HEAP8 = new Int8Array(b);
    Module.HEAPU8 = HEAPU8 = new Uint8Array(b);
  }
  function growMemory(pages) {
    memory.grow(pages);
    updateMemoryViews();
  }
  return { Module, updateMemoryViews, growMemory, own: () => ({ HEAPU8 }) };
}

for (const mode of ['strict', 'compat']) {
  const touch = mode === 'strict' ? (view) => view[0] : (view) => view.at(0);

  describe(`${mode} mode`, () => {
    test("the glue's own views are real typed arrays; Module.HEAPU8 is guarded and caught after growth", async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      const { HEAPU8 } = glue.own();
      assert.equal(types.isProxy(HEAPU8), false);
      assert.notEqual(glue.Module.HEAPU8, HEAPU8, 'the app gets a guarded view of its own');
      assert.equal(glue.Module.HEAPU8, glue.Module.HEAPU8);
      if (mode === 'strict') assert.equal(types.isProxy(glue.Module.HEAPU8), true);
      assert.ok(ArrayBuffer.isView(glue.Module.HEAPU8));

      const p = instance.exports.malloc(16);
      glue.writeString(p, 'viewsan');
      assert.equal(glue.Module.HEAPU8[p + 2], 'e'.charCodeAt(0), 'both see the same bytes');

      const cached = glue.Module.HEAPU8;  // kept across a growth: the classic bug
      glue.growMemory(1);
      assert.notEqual(glue.Module.HEAPU8, cached);
      assert.equal(glue.own().HEAPU8.length, instance.exports.memory.buffer.byteLength);
      assert.equal(glue.own().HEAPU8[p], 'v'.charCodeAt(0), 'the glue refreshed its views: no report');
      assert.deepEqual(session.reports, []);
      const error = catchViewSan(() => touch(cached));
      assert.equal(error.kind, 'use-after-grow');
      assert.equal(error.report.grow.site.kind, 'js');
      assert.match(error.report.view.createdAt, /glue-views\.test\.mjs/, 'created where the app read Module.HEAPU8');
    });

    test('views the app makes over the whole memory stay guarded', async () => {
      const { instance } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const { memory } = instance.exports;
      // Right after instantiation, and not an Int8Array: not a refresh.
      const heap = new Uint8Array(memory.buffer);
      memory.grow(1);
      // Right after a growth from JavaScript, in the same job as a refresh, but from elsewhere.
      const glue = emscriptenGlue(memory);
      glue.growMemory(1);
      const bytes = new Int8Array(memory.buffer);
      const floats = new Float64Array(memory.buffer);
      if (mode === 'strict') {
        assert.equal(types.isProxy(bytes), true);
        assert.equal(types.isProxy(floats), true);
      }
      assert.equal(catchViewSan(() => touch(heap)).kind, 'use-after-grow');
      glue.growMemory(1);
      assert.equal(catchViewSan(() => touch(floats)).kind, 'use-after-grow');
    });

    test('glue that makes its memory and views before instantiating (an imported memory) gets its own views too', async () => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
      const glue = emscriptenGlue(memory);
      glue.updateMemoryViews();  // the first view over the memory
      assert.equal(types.isProxy(glue.own().HEAPU8), false);
      await instantiate(await fixture('imported-heap.vs.wasm'), { env: { memory } }, { mode, exitcode: 0 });
      const cached = glue.Module.HEAPU8;
      glue.growMemory(1);
      assert.equal(types.isProxy(glue.own().HEAPU8), false);
      assert.equal(catchViewSan(() => touch(cached)).kind, 'use-after-grow');
    });

    test('glue whose first views were guarded keeps guarded ones after growth', async () => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
      const first = new Uint16Array(memory.buffer);  // not the glue's: its views are guarded
      const glue = otherGlue(memory);
      glue.updateMemoryViews();
      await instantiate(await fixture('imported-heap.vs.wasm'), { env: { memory } }, { mode, exitcode: 0 });
      glue.growMemory(1);
      if (mode === 'strict') assert.equal(types.isProxy(glue.own().HEAPU8), true, 'the same place, never claimed');
      const cached = glue.Module.HEAPU8;
      glue.growMemory(1);
      assert.equal(catchViewSan(() => touch(cached)).kind, 'use-after-grow');
      assert.equal(catchViewSan(() => touch(first)).kind, 'use-after-grow');
    });

    test('a copy out of a glue view is counted and reported', async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      const copy = glue.own().HEAP8.slice(64, 80);
      assert.equal(copy.length, 16);
      assert.equal(session.stats().copyOutBytes, 16);
      assert.deepEqual(session.reports.map((r) => [r.kind, r.view.ctor]), [['copy-out', 'Int8Array']]);
    });
  });
}

test('other objects get ordinary HEAP* properties', () => {
  const owner = {};
  owner.HEAPU8 = 5;
  assert.deepEqual(Object.getOwnPropertyDescriptor(owner, 'HEAPU8'),
    { value: 5, writable: true, enumerable: true, configurable: true });
  assert.equal({}.HEAP32, undefined);
  assert.deepEqual(Object.keys(Object.prototype), []);
});
