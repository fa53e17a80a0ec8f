// wasm-bindgen's glue: the views it caches over the whole memory, and checks before every use
// (getUint8ArrayMemory0: made again once growth detached the old one), are handed to it as real
// typed arrays; the sub-arrays it takes of them are guarded (they can reach the app: a `&[u8]`
// wasm passes to an imported function is one), with the stack of their first use as their
// creation; the views the app makes itself stay guarded; and the glue's own allocator calls
// record no JavaScript stack, while the app's calls of the same exports do. The glue is a script of
// its own (fixtures/bindgen-glue.mjs), this file the app.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { types } from 'node:util';

import { instantiate } from 'viewsan';

import { revalidatesCachedView } from '../../runtime-shim/js/src/glue-source.js';
import { bindgenGlue, bindgenGlueSource } from './fixtures/bindgen-glue.mjs';
import { catchViewSan } from './support/viewsan-error.mjs';

const fixture = (name) => readFile(path.join(process.env.VIEWSAN_FIXTURES, name));

// The glue's text evaluated from a string: no script file to read.
// eslint-disable-next-line no-new-func
const evaluatedGlue = new Function(`return ${bindgenGlueSource}`)();

async function load(mode, { makeGlue = bindgenGlue, options = {} } = {}) {
  let onBytes = () => {};
  const glue = makeGlue((bytes) => onBytes(bytes));
  const { instance, session } = await instantiate(await fixture('bindgen-lender.vs.wasm'), glue.imports, { mode, ...options });
  glue.bind(instance.exports);
  return { glue, instance, session, lendTo: (callback) => { onBytes = callback; } };
}

for (const mode of ['strict', 'compat']) {
  describe(`${mode} mode`, () => {
    test("the glue's cached views are real typed arrays; the app's own views stay guarded", async () => {
      const { glue, instance, session } = await load(mode);
      assert.equal(glue.greeting(), 'hello from wasm');
      assert.equal(glue.byteSum('abc'), 97 + 98 + 99);
      assert.equal(glue.readI32(2048), 0x6c6c6568);  // "hell"
      const { u8, dataView } = glue.own();
      assert.equal(types.isProxy(u8), false);
      assert.equal(types.isProxy(dataView), false);
      const mine = new Uint8Array(instance.exports.memory.buffer);
      assert.equal(types.isProxy(mine), mode === 'strict');
      instance.exports.grow(1);
      assert.equal(glue.greeting(), 'hello from wasm', 'the glue makes its views again after growth');
      assert.equal(types.isProxy(glue.own().u8), false);
      assert.equal(catchViewSan(() => mine.at(0)).kind, 'use-after-grow', "the app's whole-memory view is still caught");
      assert.equal(session.reports.filter((r) => r.severity === 'error').length, 1);
    });

    test('a `&[u8]` lent to an import and kept past the call is caught, with where it was first used', async () => {
      const { instance, session, lendTo } = await load(mode);
      let kept = null;
      let firstByte = -1;
      lendTo((bytes) => {
        firstByte = bytes[1];
        kept = bytes;
      });
      instance.exports.lend(24);
      assert.equal(firstByte, 1);
      if (mode === 'strict') assert.equal(types.isProxy(kept), true);
      const caught = catchViewSan(() => kept.at(2));
      assert.equal(caught.kind, 'use-after-free');
      assert.equal(caught.report.view.lent, true);
      assert.equal(caught.report.region.freeSite.func, 'lend');
      assert.equal(caught.report.region.freeSite.callee, '__wbindgen_free');
      if (mode === 'strict') {
        // Its first use was in the callback: that is what stands for its creation.
        assert.match(caught.report.view.createdAt, /bindgen-glue\.test\.mjs/);
        assert.match(caught.report.view.createdAt, /__wbg_takebytes_8d1f .*fixtures\/bindgen-glue\.mjs/);
        assert.match(caught.message, /the view is one the glue lent JavaScript \(a sub-array of its own view of the memory\), first used here:/);
      }
      assert.equal(session.reports.filter((r) => r.severity === 'error').length, 1);
    });

    test("copies out of lent views: the glue's are one place, its copying function; the app's are its own", async () => {
      const { glue, instance, session, lendTo } = await load(mode);
      let received = 0;
      lendTo((bytes) => {
        received += bytes.length;
      });
      // The same copy in the glue, reached from two places of the app's.
      for (let i = 0; i < 300; i++) glue.lendByValue(16);
      for (let i = 0; i < 300; i++) glue.lendByValue(16);
      assert.equal(received, 600 * 16);
      const byGlue = session.reports.filter((r) => r.kind === 'copy-out');
      assert.equal(byGlue.length, 1, byGlue.map((r) => r.stack).join('\n\n'));
      assert.match(byGlue[0].stack.split('\n')[0], /__wbg_takebytes_8d1f .*fixtures\/bindgen-glue\.mjs/);
      // The report's stack reaches the app's frames, past the dozen of viewsan's it was made under.
      assert.match(byGlue[0].stack, /bindgen-glue\.test\.mjs/);
      assert.equal(session.stats().copyOutBytes, 600 * 16);
      // The app copying what the glue lent it: its own place, its own stack.
      lendTo((bytes) => bytes.slice());
      instance.exports.lend(16);
      const copies = session.reports.filter((r) => r.kind === 'copy-out');
      assert.equal(copies.length, 2);
      assert.match(copies[1].stack.split('\n')[0], /bindgen-glue\.test\.mjs/);
      assert.equal(session.reports.filter((r) => r.severity === 'error').length, 0);
    });

    test('a lent `&[u8]` kept across growth is caught at its next use', async () => {
      const { instance, lendTo } = await load(mode);
      let kept = null;
      lendTo((bytes) => {
        kept = bytes;
      });
      instance.exports.lend(8);
      instance.exports.grow(2);
      const caught = catchViewSan(() => new TextDecoder().decode(kept));
      assert.ok(['use-after-grow', 'use-after-free'].includes(caught.kind), caught.kind);
    });

    test("the glue's allocator calls record no JavaScript stack; the app's calls of the same export do", async () => {
      const { glue, instance, session } = await load(mode);
      const { memory } = instance.exports;
      glue.greeting();  // the glue makes its cached view: it is known from here on
      // The app allocates through the glue's export itself, through the exports object.
      const mine = instance.exports.__wbindgen_malloc(16, 1);
      const view = new Uint8Array(memory.buffer, mine, 16);
      instance.exports.__wbindgen_free(mine, 16, 1);
      const app = catchViewSan(() => view.at(0));
      assert.equal(app.kind, 'use-after-free');
      assert.match(app.report.region.allocSite.stack, /bindgen-glue\.test\.mjs/);
      assert.match(app.report.region.freeSite.stack, /bindgen-glue\.test\.mjs/);
      // The glue passes a string in, and byte_sum frees it in wasm: a view the app made over it
      // in between is caught, and the report says that JavaScript allocated it, without a stack.
      const [ptr, len] = glue.passString('x'.repeat(40));
      const over = new Uint8Array(memory.buffer, ptr, len);
      glue.byteSumAt(ptr, len);
      const stale = catchViewSan(() => over.at(0));
      assert.equal(stale.kind, 'use-after-free');
      assert.equal(stale.report.region.allocSite.func, '__wbindgen_malloc');
      assert.equal(stale.report.region.allocSite.stack, undefined);
    });

    test("glue_allocator_stacks=1 records the glue's allocator stacks too", async () => {
      const { glue, instance } = await load(mode, { options: { glueAllocatorStacks: true } });
      glue.greeting();
      const [ptr, len] = glue.passString('y'.repeat(40));
      const over = new Uint8Array(instance.exports.memory.buffer, ptr, len);
      glue.byteSumAt(ptr, len);
      const stale = catchViewSan(() => over.at(0));
      assert.equal(stale.kind, 'use-after-free');
      assert.match(stale.report.region.allocSite.stack, /passStringToWasm0 .*fixtures\/bindgen-glue\.mjs/);
    });

    test('glue whose script cannot be read keeps guarded views, and works the same', async () => {
      const { glue, instance, lendTo } = await load(mode, { makeGlue: evaluatedGlue });
      assert.equal(glue.greeting(), 'hello from wasm');
      assert.equal(glue.byteSum('abc'), 294);
      assert.equal(types.isProxy(glue.own().u8), mode === 'strict');
      let kept = null;
      lendTo((bytes) => {
        kept = bytes;
      });
      instance.exports.lend(8);
      assert.equal(catchViewSan(() => kept.at(0)).kind, 'use-after-free');
    });
  });
}

describe('recognising a cached view in the text of a script', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'viewsan-cached-views-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  // Whether the `new` of the first construction in `text` makes a cached view.
  const recognised = (text) => {
    const file = path.join(dir, `glue-${count++}.js`);
    writeFileSync(file, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('new '));
    return revalidatesCachedView(file, line + 1, lines[line].indexOf('new ') + 1);
  };

  test("wasm-bindgen's getters, as its releases and bundlers write them", () => {
    assert.equal(recognised([
      'function getUint8ArrayMemory0() {',
      '    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {',
      '        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);',
      '    }',
      '    return cachedUint8ArrayMemory0;',
      '}'].join('\n')), true);
    assert.equal(recognised([
      'function getInt32Memory0() {',
      '    if (cachegetInt32Memory0 === null || cachegetInt32Memory0.buffer !== wasm.memory.buffer) {',
      '        cachegetInt32Memory0 = new Int32Array(wasm.memory.buffer);',
      '    }',
      '    return cachegetInt32Memory0;',
      '}'].join('\n')), true);
    assert.equal(recognised([
      'function getDataViewMemory0() {',
      '    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {',
      '        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);',
      '    }',
      '    return cachedDataViewMemory0;',
      '}'].join('\n')), true);
    // Minified by a bundler.
    assert.equal(recognised('function s(){return null!==a&&0!==a.byteLength||(a=\nnew Uint8Array(r.memory.buffer)),a}'), true);
    assert.equal(recognised('function s(){return(null===$a||$a.buffer!==r.memory.buffer)&&($a=\nnew Float64Array(r.memory.buffer)),$a}'), true);
  });

  test('views kept without that check are not cached views', () => {
    assert.equal(recognised('let heap = null;\nfunction view() { if (heap === null) heap =\nnew Uint8Array(exports.memory.buffer); return heap; }'), false);
    assert.equal(recognised('function fresh() {\n  const all =\nnew Uint8Array(wasm.memory.buffer);\n  return all;\n}'), false);
    // The test is of another variable than the one assigned.
    assert.equal(recognised('if (other.byteLength === 0) {\n  cached =\nnew Uint8Array(wasm.memory.buffer);\n}'), false);
    // Over part of the memory, not the whole buffer.
    assert.equal(recognised('if (c === null || c.byteLength === 0) c =\nnew Uint8Array(wasm.memory.buffer, 16, 4);'), false);
  });
});
