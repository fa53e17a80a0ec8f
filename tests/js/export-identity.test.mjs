// Allocator exports viewsan wraps stay what the program expects wherever it puts them: in a
// WebAssembly.Table (Emscripten's dynamic linking stores every export there, and a table refuses a
// JavaScript function), and as another module's imports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { loadFreelistHeap } from './support/freelist-heap.mjs';

test('a table takes the wrapped exports and gives them back', async () => {
  const { malloc, free, memory, session } = await loadFreelistHeap();
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 2 });
  table.set(0, malloc);
  table.set(1, free);
  assert.equal(table.get(0), malloc);
  assert.equal(table.get(1), free);
  assert.equal(table.grow(1, malloc), 2);
  assert.equal(table.get(2), malloc);
  // Calls through what the table gives back are JavaScript's, with their stacks.
  const p = table.get(0)(16);
  const view = new Uint8Array(memory.buffer, p, 16);
  table.get(1)(p);
  let error;
  try { view[0]; } catch (e) { error = e; }
  assert.equal(error?.kind, 'use-after-free');
  assert.match(error.report.region.freeSite.stack, /export-identity\.test\.mjs/);
  assert.equal(session.stats().errors, 1);
});

test('under register, a module importing a wrapped export gets the wasm function', () => {
  const child = spawnSync(process.execPath,
    ['--import', 'viewsan/register', path.join(import.meta.dirname, 'fixtures/dynamic-link-app.mjs')],
    { encoding: 'utf8', env: { ...process.env, VIEWSAN_OPTIONS: '' } });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), {
    tableKeepsIdentity: true, importIsTheWasmFunction: true, allocatedThroughTheImport: true,
  });
  // The module that imports the export is not instrumented, but has no memory JavaScript could
  // view, so there is nothing to name: nothing at all is said.
  assert.equal(child.stderr, '');
});
