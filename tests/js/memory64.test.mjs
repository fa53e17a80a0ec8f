// memory64: a module whose memory is 64-bit takes and returns its pointers as BigInts. JavaScript
// calls its exported allocator with them, session.regions() gives them as BigInts (contract 2),
// and views over its heap are guarded as over a 32-bit one: use-after-free, -reuse and -grow.
// Node 20 has memory64 behind a V8 flag, set here before anything compiles.
import v8 from 'node:v8';
v8.setFlagsFromString('--experimental-wasm-memory64');

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

const { instantiate } = await import('viewsan');
const { catchViewSan } = await import('./support/viewsan-error.mjs');

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const instrumented = await readFile(path.join(fixtures, 'freelist-heap64.vs.wasm'));
const plain = await readFile(path.join(fixtures, 'freelist-heap64.wasm'));

// Reads through a method, which compat mode checks as strict mode checks element reads.
const read = (view) => view.at(3);

for (const mode of ['strict', 'compat']) {
  for (const [label, bytes] of [['instrumented', instrumented], ['never instrumented', plain]]) {
    const load = async () => {
      const { instance, session } = await instantiate(bytes, {}, { mode });
      return { ...instance.exports, session };
    };

    test(`${mode}, ${label}: JavaScript frees with a BigInt, and the view over it is caught`, async () => {
      const m = await load();
      const p = m.malloc(32n);
      assert.equal(typeof p, 'bigint');
      const view = new Uint8Array(m.memory.buffer, Number(p), 32);
      view.fill(9);
      const [region] = m.session.regions().filter((r) => r.ptr === p);
      assert.deepEqual([typeof region.ptr, region.size], ['bigint', 32n]);
      m.free(p);  // the app's free runs: the next allocation of that size reuses the block
      const error = catchViewSan(() => read(view));
      assert.equal(error.kind, 'use-after-free');
      assert.equal(error.report.region.ptr, Number(p));
      assert.match(error.report.region.freeSite.stack, /memory64\.test\.mjs/);
      const q = m.malloc(32n);
      assert.equal(q, p);
      assert.equal(catchViewSan(() => read(view)).kind, 'use-after-reuse');
      assert.equal(m.session.regions().some((r) => r.ptr === q), true);
    });

    test(`${mode}, ${label}: growth detaches the views over a 64-bit memory`, async () => {
      const m = await load();
      const p = m.make_buffer(16n);
      const view = new Uint8Array(m.memory.buffer, Number(p), 16);
      assert.equal(view[2], 3);
      m.malloc(1n << 20n);  // past the first page: memory.grow
      assert.equal(catchViewSan(() => read(view)).kind, 'use-after-grow');
      assert.equal(m.session.stats().errors, 1);
    });
  }

  test(`${mode}: a buffer the module frees itself is caught with its wasm site`, async () => {
    const { instance, session } = await instantiate(instrumented, {}, { mode });
    const m = instance.exports;
    const p = m.make_buffer(16n);
    const view = new Uint8Array(m.memory.buffer, Number(p), 16);
    assert.equal(m.consume(p, 16n), 136n);
    const error = catchViewSan(() => read(view));
    assert.equal(error.kind, 'use-after-free');
    assert.match(error.message, /freed by consume \(calls free\)/);
    assert.equal(session.regions().every((r) => typeof r.ptr === 'bigint'), true);
  });
}
