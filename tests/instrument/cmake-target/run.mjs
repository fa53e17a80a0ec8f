// Runs the example app built by viewsan_instrument(TARGET app): its glue loads the instrumented
// app.wasm, given the viewsan imports, and the hooks see the app's allocation and JavaScript's
// free.
//   node run.mjs BUILD_DIR
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dir = process.argv[2];
const bytes = readFileSync(join(dir, 'app.wasm'));
const module = new WebAssembly.Module(bytes);
assert.ok(WebAssembly.Module.imports(module).some((i) => i.module === 'viewsan'), 'instrumented');
const [section] = WebAssembly.Module.customSections(module, 'viewsan.sites');
assert.ok(section, 'has viewsan.sites');

const events = [];
const viewsan = {
  alloc: (ptr, size) => events.push(['alloc', ptr, size]),
  free: (ptr) => events.push(['free', ptr]),
  realloc: (old, ptr, size) => events.push(['realloc', old, ptr, size]),
  grow_begin() {},
  grow_end() {},
};
const createApp = createRequire(import.meta.url)(join(dir, 'app.js'));
const app = await createApp({
  instantiateWasm(imports, receive) {
    receive(new WebAssembly.Instance(module, { ...imports, viewsan }), module);
    return {};
  },
});
const squares = app._make_squares(100);
assert.equal(app.HEAPU32[squares / 4 + 99], 99 * 99);
assert.equal(app._sum(squares, 100), 328350);
app._free(squares);
// make_squares's malloc and JavaScript's _free both reached the hooks.
assert.deepEqual(events.slice(-2), [['alloc', squares, 400], ['free', squares]]);
console.log(`app.wasm instrumented by viewsan_instrument(TARGET app): ${events.length} hook calls`);
