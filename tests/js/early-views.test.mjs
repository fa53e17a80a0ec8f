// Views made before viewsan saw the memory's module: once the package is loaded, a memory made
// with `new WebAssembly.Memory` is recorded, and views made over it before the module importing it
// is instantiated (glue that makes its memory and HEAPU8 first, as Emscripten's IMPORTED_MEMORY
// glue does) are guarded, and belong to that module's session.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { types } from 'node:util';
import { WASI } from 'node:wasi';

import { emscripten, instantiate } from 'viewsan';

import { catchViewSan } from './support/viewsan-error.mjs';

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const bytes = await readFile(path.join(fixtures, 'imported-heap.vs.wasm'));

const newMemory = () => new WebAssembly.Memory({ initial: 1, maximum: 1024 });

// exitcode 0: the record-and-continue test leaves an error recorded on purpose, and the exit
// status follows the options of the newest session. (The early session of a memory no module
// uses has the environment's, so that test comes first.)
const load = (imports, options) => instantiate(bytes, imports, { exitcode: 0, ...options });

function growFromGlue(memory) {
  memory.grow(1);
}

test('WebAssembly.Memory stays the engine\'s: instanceof, prototype, constructor, subclasses, node:wasi', async () => {
  const memory = newMemory();
  assert.ok(memory instanceof WebAssembly.Memory);
  assert.equal(Object.getPrototypeOf(memory), WebAssembly.Memory.prototype);
  assert.equal(memory.constructor, WebAssembly.Memory);
  assert.equal(WebAssembly.Memory.name, 'Memory');
  assert.throws(() => WebAssembly.Memory({ initial: 1 }), TypeError);  // a constructor, not a function
  class Heap extends WebAssembly.Memory {}
  const sub = new Heap({ initial: 1 });
  assert.ok(sub instanceof Heap && sub instanceof WebAssembly.Memory);
  assert.equal(Object.getPrototypeOf(sub), Heap.prototype);
  const { instance } = await load({ env: { memory } });
  assert.equal(instance.exports.memory, memory);
  new WASI({ version: 'preview1' }).initialize(instance);  // takes the memory the app made
});

test('a memory no module has used yet: its views are checked for detachment', () => {
  const memory = newMemory();
  const heap = new Uint16Array(memory.buffer);
  growFromGlue(memory);
  const error = catchViewSan(() => heap[0]);
  assert.equal(error.kind, 'use-after-grow');
  assert.match(error.report.grow.site.stack, /growFromGlue/);
});

test('a shared memory\'s early views are guarded (for staleness after growth), and Atomics takes them', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
  const heap = new Int32Array(memory.buffer);
  assert.ok(types.isProxy(heap));
  Atomics.store(heap, 0, 7);
  assert.equal(Atomics.load(heap, 0), 7);
  assert.equal(Atomics.notify(heap, 0), 0);
  assert.equal(new Int32Array(memory.buffer)[0], 7);
});

test('a view made before instantiate() is use-after-grow after a memory.grow() from JavaScript, in the module\'s session', async () => {
  const memory = newMemory();
  const heap = new Uint8Array(memory.buffer);
  assert.ok(types.isProxy(heap));
  const { session } = await load({ env: { memory } });
  growFromGlue(memory);
  const error = catchViewSan(() => heap[0]);
  assert.equal(error.kind, 'use-after-grow');
  assert.deepEqual([error.report.grow.fromPages, error.report.grow.toPages], [1, 2]);
  assert.equal(error.report.grow.site.kind, 'js');
  assert.match(error.report.grow.site.stack, /growFromGlue/);
  assert.match(error.message, /memory grew from 1 to 2 pages \(64 KiB each\) in JavaScript/);
  assert.deepEqual(session.reports, [error.report]);
  assert.equal(session.sites.module, 'imported-heap.wasm');
});

test('...and after the module\'s memory.grow instruction', async () => {
  const memory = newMemory();
  const heap = new Float64Array(memory.buffer, 2048, 4);  // a sub-range: no allocation owns it yet
  const { instance, session } = await load({ env: { memory } });
  heap[0] = 1.5;
  instance.exports.malloc(1 << 17);
  const error = catchViewSan(() => heap[0]);
  assert.equal(error.kind, 'use-after-grow');
  assert.deepEqual(error.report.grow.site, {
    id: 4, kind: 'memory.grow', func: 'malloc', callee: null, offset: 484, file: null, line: null, column: null, inlinedInto: null,
  });
  assert.equal(error.report.region, null);
  assert.equal(session.stats().grows, 1);
});

test('the module\'s options apply to the early views from instantiation on (haltOnError false)', async () => {
  const memory = newMemory();
  const heap = new Uint8Array(memory.buffer);
  const seen = [];
  const { session } = await load({ env: { memory } }, { haltOnError: false, onReport: (r) => seen.push(r.kind) });
  growFromGlue(memory);
  assert.equal(heap[0], undefined);  // recorded, and the read goes on
  assert.deepEqual(seen, ['use-after-grow']);
  assert.equal(session.stats().errors, 1);
});

test('a view made after instantiation over the same memory is tied to its allocation', async () => {
  const memory = newMemory();
  const early = new Uint8Array(memory.buffer);
  const { instance } = await load({ env: { memory } });
  const p = instance.exports.make_buffer(16);
  const view = new Uint8Array(memory.buffer, p, 16);
  instance.exports.free(p);
  assert.equal(catchViewSan(() => view[0]).kind, 'use-after-free');
  assert.equal(early[p], 1);  // the whole-buffer view made before is never an allocation error
});

test('emscripten() glue: the early view belongs to the module\'s session', async () => {
  const memory = newMemory();
  const heap = new Int32Array(memory.buffer);
  const glue = emscripten({ wasmBinary: bytes, exitcode: 0 });
  const instance = await new Promise((resolve) => glue.instantiateWasm({ env: { memory } }, resolve));
  instance.exports.malloc(1 << 17);
  assert.equal(catchViewSan(() => heap[1]).kind, 'use-after-grow');
  assert.equal(glue.session.reports.length, 1);
});

test('the correct flow, views re-created after growth as Emscripten\'s glue does: no report', async () => {
  const memory = newMemory();
  let heap = new Uint8Array(memory.buffer);
  const view = () => {
    if (heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
    return heap;
  };
  const { instance, session } = await load({ env: { memory } });
  const p = instance.exports.make_buffer(8);
  assert.equal(view()[p], 1);
  growFromGlue(memory);
  assert.equal(view()[p + 7], 8);
  const q = instance.exports.make_buffer(1 << 17);
  assert.deepEqual([view()[q + 3], view().length / 65536], [4, 3]);
  assert.deepEqual(session.reports, []);
});

// Both modes, in child processes (a view's mode is fixed when it is made: early views take
// VIEWSAN_OPTIONS's), through instantiate() and through register with the plain WebAssembly API.
for (const api of ['instantiate', 'register']) {
  for (const mode of ['strict', 'compat']) {
    test(`${api}, ${mode}: early views caught after either growth, and the correct flow reads right`, (t) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'viewsan-early-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const reportPath = path.join(dir, 'report.json');
      const child = spawnSync(process.execPath, [
        ...(api === 'register' ? ['--import', 'viewsan/register'] : []),
        path.join(import.meta.dirname, 'fixtures/early-views-app.mjs'),
        api === 'register' ? 'webassembly' : 'instantiate',
      ], { encoding: 'utf8', env: { ...process.env, VIEWSAN_OPTIONS: `mode=${mode}:report_path=${reportPath}` } });
      assert.equal(child.status, 0, child.stderr);
      assert.deepEqual(JSON.parse(child.stdout), {
        proxy: mode === 'strict',
        js: { kind: 'use-after-grow', grownBy: 'js', func: null, stackNamesGlue: true },
        instruction: { kind: 'use-after-grow', grownBy: 'memory.grow', func: 'malloc', stackNamesGlue: false },
        correct: [1, 8, 4, 3],
      });
      const report = JSON.parse(readFileSync(reportPath, 'utf8'));
      assert.equal(report.guarded, true);
      assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-grow', 'use-after-grow']);
    });
  }
}
