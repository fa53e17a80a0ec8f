// Glue views: the views Emscripten's glue re-creates over the whole memory after instantiation and
// after each growth it makes (updateMemoryViews: Module.HEAP8 = HEAP8 = new Int8Array(b),
// Module.HEAP16 = HEAP16 = new Int16Array(b), ...) are handed to the glue as real typed arrays,
// since it never uses them stale; what an app reaches of them (Module.HEAPU8) is guarded, so a
// HEAPU8 kept across growth is still caught at the access, and copies out of them are still
// counted. Views the app makes itself stay guarded, and Object.prototype keeps no HEAP* names.
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
  let HEAP16;
  let HEAPU8;
  let HEAP32;
  function updateMemoryViews() {
    const b = memory.buffer;
    Module.HEAP8 = HEAP8 = new Int8Array(b);
    Module.HEAP16 = HEAP16 = new Int16Array(b);
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
  return { Module, updateMemoryViews, growMemory, writeString, own: () => ({ HEAP8, HEAP16, HEAPU8, HEAP32 }) };
}

// The same glue evaluated from a string: no script file to read.
// eslint-disable-next-line no-new-func
const evaluatedGlue = new Function(`return ${emscriptenGlue.toString()}`)();

// Glue that exports none of its views (newer Emscripten, sql.js), at another place in the script.
function otherGlue(memory) {
  const Module = {};
  let HEAP8;
  let HEAP16;
  let HEAPU8;
  function updateMemoryViews() {
    const b = memory.buffer;
    HEAP8 = new Int8Array(b);
    HEAP16 = new Int16Array(b);
    HEAPU8 = new Uint8Array(b);
    Module.HEAPU8 = HEAPU8;
  }
  function growMemory(pages) {
    memory.grow(pages);
    updateMemoryViews();
  }
  return { Module, updateMemoryViews, growMemory, own: () => ({ HEAP8, HEAP16, HEAPU8 }) };
}

// The end of the task that handed the instance back: the HEAP* setters are gone by then.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

for (const mode of ['strict', 'compat']) {
  const touch = mode === 'strict' ? (view) => view[0] : (view) => view.at(0);
  const isGuarded = (view) => mode === 'compat' || types.isProxy(view);

  describe(`${mode} mode`, () => {
    test("the glue's own views are real typed arrays; Module.HEAPU8 is guarded and caught after growth", async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      const { HEAP8, HEAP16, HEAPU8 } = glue.own();
      assert.equal(types.isProxy(HEAPU8), false);
      assert.equal(types.isProxy(HEAP16), false);
      assert.equal(types.isProxy(HEAP8), false, "the script's text tells HEAP8 is the glue's");
      assert.notEqual(glue.Module.HEAPU8, HEAPU8, 'the app gets a guarded view of its own');
      assert.equal(glue.Module.HEAPU8, glue.Module.HEAPU8);
      assert.equal(isGuarded(glue.Module.HEAPU8), true);
      assert.ok(ArrayBuffer.isView(glue.Module.HEAPU8));

      const p = instance.exports.malloc(16);
      glue.writeString(p, 'viewsan');
      assert.equal(glue.Module.HEAPU8[p + 2], 'e'.charCodeAt(0), 'both see the same bytes');

      await nextTask();
      const cached = glue.Module.HEAPU8;  // kept across a growth: the classic bug
      glue.growMemory(1);
      assert.notEqual(glue.Module.HEAPU8, cached);
      assert.equal(types.isProxy(glue.own().HEAP8), false, 'after a growth HEAP8 is the glue\'s too');
      assert.equal(isGuarded(glue.Module.HEAP8), true);
      assert.equal(glue.own().HEAPU8.length, instance.exports.memory.buffer.byteLength);
      assert.equal(glue.own().HEAPU8[p], 'v'.charCodeAt(0), 'the glue refreshed its views: no report');
      assert.deepEqual(session.reports, []);
      const error = catchViewSan(() => touch(cached));
      assert.equal(error.kind, 'use-after-grow');
      assert.equal(error.report.grow.site.kind, 'js');
      assert.match(error.report.view.createdAt, /glue-views\.test\.mjs/, 'created where the app read Module.HEAPU8');
      assert.equal('HEAPU8' in {}, false, 'Object.prototype keeps no HEAP* names');
    });

    test('glue whose script cannot be read gets its own HEAP8 from its first growth on', async () => {
      const { instance } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = evaluatedGlue(instance.exports.memory);
      glue.updateMemoryViews();
      assert.equal(isGuarded(glue.own().HEAP8), true, 'only the Int16Array that follows tells a refresh');
      assert.equal(types.isProxy(glue.own().HEAP16), false);
      await nextTask();
      glue.growMemory(1);
      assert.equal(types.isProxy(glue.own().HEAP8), false);
    });

    test('glue that exports none of its views gets real ones too', async () => {
      const { instance } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = otherGlue(instance.exports.memory);
      glue.updateMemoryViews();
      assert.equal(types.isProxy(glue.own().HEAPU8), false);
      assert.equal(isGuarded(glue.Module.HEAPU8), true);
      await nextTask();
      const cached = glue.Module.HEAPU8;
      glue.growMemory(1);
      assert.equal(types.isProxy(glue.own().HEAP8), false);
      assert.equal(catchViewSan(() => touch(cached)).kind, 'use-after-grow');
    });

    test('views the app makes over the whole memory stay guarded', async () => {
      const { instance } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const { memory } = instance.exports;
      // Right after instantiation: an Int8Array, then views of other types (no Int16Array).
      const bytes = new Int8Array(memory.buffer);
      const heap = new Uint8Array(memory.buffer);
      assert.equal(isGuarded(bytes), true);
      assert.equal(isGuarded(heap), true);
      memory.grow(1);
      // An Int8Array and an Int16Array, made by two functions.
      const makeBytes = () => new Int8Array(memory.buffer);
      const makeShorts = () => new Int16Array(memory.buffer);
      const bytes2 = makeBytes();
      const shorts = makeShorts();
      assert.equal(isGuarded(shorts), true);
      // Right after a growth from JavaScript, in the same job as a refresh, but from elsewhere.
      const glue = emscriptenGlue(memory);
      glue.updateMemoryViews();
      glue.growMemory(1);
      const floats = new Float64Array(memory.buffer);
      assert.equal(isGuarded(floats), true);
      assert.equal(catchViewSan(() => touch(heap)).kind, 'use-after-grow');
      assert.equal(catchViewSan(() => touch(bytes2)).kind, 'use-after-grow');
      glue.growMemory(1);
      assert.equal(catchViewSan(() => touch(floats)).kind, 'use-after-grow');
    });

    test('glue that makes its memory and views before instantiating (an imported memory) gets its own views too', async () => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
      const glue = emscriptenGlue(memory);
      glue.updateMemoryViews();  // the first views over the memory
      assert.equal(types.isProxy(glue.own().HEAPU8), false);
      await instantiate(await fixture('imported-heap.vs.wasm'), { env: { memory } }, { mode, exitcode: 0 });
      const cached = glue.Module.HEAPU8;
      glue.growMemory(1);
      assert.equal(types.isProxy(glue.own().HEAPU8), false);
      assert.equal(catchViewSan(() => touch(cached)).kind, 'use-after-grow');
    });

    test('glue whose first views were made in a later task keeps guarded ones', async () => {
      const { instance } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      await nextTask();
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      assert.equal(isGuarded(glue.own().HEAPU8), true);
      assert.equal(Object.getOwnPropertyDescriptor(glue.Module, 'HEAPU8').value, glue.own().HEAPU8);
      glue.growMemory(1);
      assert.equal(isGuarded(glue.own().HEAPU8), true, 'the same place, never a refresh');
      const cached = glue.Module.HEAPU8;
      glue.growMemory(1);
      assert.equal(catchViewSan(() => touch(cached)).kind, 'use-after-grow');
    });

    // The app's Module.HEAPU8 is a guarded view over the glue's own: its slice is one copy, not
    // one for the guarded view and another for the glue's view under it (@sqlite.org/sqlite-wasm
    // copies a blob out so).
    test("a copy out of the app's Module.HEAPU8 is counted once", async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      assert.equal(glue.Module.HEAPU8.slice(64, 96).length, 32);
      assert.equal(glue.Module.HEAPU8.subarray(64, 96).length, 32);
      assert.equal(session.stats().copyOutBytes, 32);
      assert.deepEqual(session.reports.map((r) => [r.kind, r.bytes, r.count]), [['copy-out', 32, 1]]);
    });

    test('copies out of a glue view and its sub-arrays are counted and reported', async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      const { HEAPU8, HEAP32 } = glue.own();
      assert.equal(HEAPU8.slice(64, 80).length, 16);
      const sub = HEAPU8.subarray(128, 136);
      assert.equal(types.isProxy(sub), false);
      assert.equal(new Uint8Array(sub).length, 8);
      assert.equal(Array.from(HEAP32.subarray(0, 2)).length, 2);
      assert.equal(session.stats().copyOutBytes, 16 + 8 + 8);
      assert.deepEqual(session.reports.map((r) => [r.kind, r.view.ctor, r.view.byteOffset, r.access.method]), [
        ['copy-out', 'Uint8Array', 0, 'slice'],
        ['copy-out', 'Uint8Array', 128, 'new Uint8Array'],
        ['copy-out', 'Int32Array', 0, 'Array.from'],
      ]);
    });

    test("a glue's copies are all counted, and a new place is reported after thousands from another", async () => {
      const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { mode });
      const glue = emscriptenGlue(instance.exports.memory);
      glue.updateMemoryViews();
      const { HEAPU8 } = glue.own();
      const copyHere = () => HEAPU8.slice(64, 72);
      const copyThere = () => HEAPU8.slice(256, 264);
      for (let i = 0; i < 3000; i++) copyHere();
      for (let i = 0; i < 64; i++) copyThere();
      assert.equal(session.stats().copyOutBytes, (3000 + 64) * 8);
      assert.deepEqual(session.reports.map((r) => [r.kind, r.address]), [['copy-out', 64], ['copy-out', 256]]);
    });
  });
}

test('other objects get ordinary HEAP* properties, and Object.prototype none once the task ends', async () => {
  await instantiate(await fixture('freelist-heap.vs.wasm'), {}, { exitcode: 0 });
  const owner = {};
  owner.HEAPU8 = 5;
  assert.deepEqual(Object.getOwnPropertyDescriptor(owner, 'HEAPU8'),
    { value: 5, writable: true, enumerable: true, configurable: true });
  assert.equal({}.HEAP32, undefined);
  assert.deepEqual(Object.keys(Object.prototype), []);
  await nextTask();
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).filter((name) => name.startsWith('HEAP')), []);
});
