// Platform sinks in Node take guarded views, in both modes: a live view passes through (the real
// typed array reaches the API), a view over freed memory is reported at that boundary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

import { ViewSanError, instantiate } from 'viewsan';

const wasm = await readFile(path.join(process.env.VIEWSAN_FIXTURES, 'wbindgen-tensors.vs.wasm'));

const SINKS = {
  'TextDecoder.decode': (v) => new TextDecoder().decode(v),
  'TextEncoder.encodeInto': (v) => new TextEncoder().encodeInto('hi', v).written,
  'crypto.getRandomValues': (v) => crypto.getRandomValues(v).length,
  'Buffer.from': (v) => Buffer.from(v).length,
  'fs.writeSync': (v) => {
    const fd = openSync('/dev/null', 'w');
    try {
      return writeSync(fd, v);
    } finally {
      closeSync(fd);
    }
  },
  'fs.readSync': (v) => {
    const fd = openSync('/dev/zero', 'r');
    try {
      return readSync(fd, v) === v.length;
    } finally {
      closeSync(fd);
    }
  },
  // Node's own checks refuse a Proxy: each of these threw ERR_INVALID_ARG_TYPE on a strict view.
  'crypto.randomFillSync': (v) => randomFillSync(v) === v,
  'Hash.prototype.update': (v) => createHash('sha256').update(v).digest('hex'),
  'Buffer.concat': (v) => Buffer.concat([v, v]).length === 2 * v.length,
  'Buffer.compare': (v) => Buffer.compare(v, Buffer.from(v)) === 0,
  'zlib.deflateSync': (v) => deflateSync(v).length,
  structuredClone: (v) => structuredClone({ pixels: v }).pixels.length,
  Blob: (v) => new Blob([v]).size,
  Response: (v) => new Response(v).status,
  'ArrayBuffer.isView': (v) => ArrayBuffer.isView(v),
  'TypedArray.prototype.set': (v) => { new Uint8Array(16).set(v); return true; },
  'Array.from': (v) => Array.from(v).length,
  'new Float64Array': (v) => new Float64Array(v).length,
};

// Sinks that copy the view's bytes out of linear memory: each is a copy-out warning.
const COPYING = new Set(['Array.from', 'new Float64Array']);

for (const mode of ['strict', 'compat']) {
  describe(`${mode} mode`, () => {
    for (const [name, use] of Object.entries(SINKS)) {
      test(`${name}: live views pass, freed views are reported`, async () => {
        const { instance, session } = await instantiate(wasm, {}, { mode });
        const { memory, __wbindgen_malloc: malloc, __wbindgen_free: free } = instance.exports;
        const p = malloc(16, 1);
        const view = new Uint8Array(memory.buffer, p, 16);
        view.fill(65);
        assert.ok(use(view));
        if (COPYING.has(name)) {
          assert.deepEqual(session.reports.map((r) => [r.kind, r.severity, r.bytes]), [['copy-out', 'warning', 16]]);
        } else {
          assert.equal(session.reports.length, 0);
        }
        free(p, 16, 1);
        if (name === 'ArrayBuffer.isView') return;  // inspecting a view is never an error
        assert.throws(() => use(view), (e) => e instanceof ViewSanError && e.kind === 'use-after-free');
      });
    }
  });
}

test('copies out of linear memory are all counted, and each place that copies is reported once', async () => {
  const { instance, session } = await instantiate(wasm, {});
  const { memory, __wbindgen_malloc: malloc } = instance.exports;
  const p = malloc(64, 1);
  const copy = (n) => new Uint8Array(memory.buffer, p, n).slice();
  for (let i = 0; i < 10; i++) copy(16);
  assert.deepEqual(session.reports.map((r) => [r.kind, r.bytes]), [['copy-out', 16]]);
  new Uint8Array(memory.buffer, p, 64).slice();  // another place
  assert.deepEqual(session.reports.map((r) => [r.kind, r.bytes]), [['copy-out', 16], ['copy-out', 64]]);
  assert.equal(session.stats().copyOutBytes, 10 * 16 + 64);
  assert.equal(session.stats().warnings, 2);
});

// node:crypto, zlib and stream cost a start milliseconds to load: viewsan patches them when the
// program loads them, whichever way (wasm-bindgen's glue loads node:crypto through module.require,
// after the module is instantiated, to fill a view with random bytes).
test('Node modules the program loads after instantiation take strict views too', () => {
  const program = `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    import { ViewSanError, instantiate } from 'viewsan';
    const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
    const { instance } = await instantiate(readFileSync(process.argv[1]), {});
    const before = ['crypto', 'zlib'].filter(loaded);
    const { memory, __wbindgen_malloc: malloc, __wbindgen_free: free } = instance.exports;
    const p = malloc(16, 1);
    const view = new Uint8Array(memory.buffer, p, 16);
    const crypto = createRequire(import.meta.url)('crypto');
    const zlib = process.getBuiltinModule('node:zlib');
    const uses = [() => crypto.randomFillSync(view) === view, () => zlib.deflateSync(view).length > 0];
    const results = uses.map((use) => use());
    free(p, 16, 1);
    const kinds = uses.map((use) => {
      try { use(); return null; } catch (e) { return e instanceof ViewSanError ? e.kind : String(e); }
    });
    console.log(JSON.stringify({ before, results, kinds }));
  `;
  const child = spawnSync(process.execPath,
    ['--input-type=module', '-e', program, path.join(process.env.VIEWSAN_FIXTURES, 'wbindgen-tensors.vs.wasm')],
    { encoding: 'utf8', cwd: path.dirname(fileURLToPath(import.meta.url)) });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout),
    { before: [], results: [true, true], kinds: ['use-after-free', 'use-after-free'] });
});

// Node loads undici when a program first reads `Response` (about 25 ms): viewsan must not be the
// one to read it, and must still guard it once the program does.
test('Response is patched when the program first reads it, not when viewsan starts', () => {
  const program = `
    import { readFileSync } from 'node:fs';
    import { ViewSanError, instantiate } from 'viewsan';
    const undiciLoaded = () => process.moduleLoadList.some((m) => m.includes('undici'));
    const { instance } = await instantiate(readFileSync(process.argv[1]), {});
    const before = undiciLoaded();
    const { memory, __wbindgen_malloc: malloc, __wbindgen_free: free } = instance.exports;
    const p = malloc(16, 1);
    const view = new Uint8Array(memory.buffer, p, 16);
    const status = new Response(view).status;
    free(p, 16, 1);
    let kind = null;
    try { new Response(view); } catch (e) { kind = e instanceof ViewSanError ? e.kind : String(e); }
    console.log(JSON.stringify({ before, after: undiciLoaded(), status, kind }));
  `;
  const child = spawnSync(process.execPath,
    ['--input-type=module', '-e', program, path.join(process.env.VIEWSAN_FIXTURES, 'wbindgen-tensors.vs.wasm')],
    { encoding: 'utf8', cwd: path.dirname(fileURLToPath(import.meta.url)) });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { before: false, after: true, status: 200, kind: 'use-after-free' });
});

test('new TypedArray(view) copies a strict view whole, as from the real typed array', async () => {
  const { instance, session } = await instantiate(wasm, {});
  const { memory, __wbindgen_malloc: malloc } = instance.exports;
  const p = malloc(1 << 20, 1);
  const view = new Uint8Array(memory.buffer, p, 1 << 20);
  view.fill(7);
  const copy = new Uint8Array(view);
  assert.equal(copy.length, 1 << 20);
  assert.equal(copy[12345], 7);
  assert.equal(Object.getPrototypeOf(copy), Uint8Array.prototype);
  assert.equal(session.stats().copyOutBytes, 1 << 20);
});
