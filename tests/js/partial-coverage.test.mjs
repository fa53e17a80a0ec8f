// Coverage "partial": the hand-written heap assembled without its names, so the instrument cannot
// tell that malloc and free are every allocation path. wasm may then have allocated out of sight
// (a realloc that grew a region in place, as Rust's Vec does in stripped builds): views are not
// judged by what the hooks saw of wasm's own allocations, while what JavaScript allocated and
// freed through the exports is judged as with complete coverage.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { instantiate } from 'viewsan';

import { viewSanKind } from './support/viewsan-error.mjs';

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const stripped = await readFile(path.join(fixtures, 'freelist-heap-stripped.vs.wasm'));

async function load() {
  const { instance, session } = await instantiate(stripped, {}, {});
  assert.equal(session.sites.coverage, 'partial');
  return { ...instance.exports, session };
}

test('a view that runs past an allocation made inside wasm into unowned bytes is no error', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const view = new Uint8Array(m.memory.buffer, p, 64);  // as if a realloc out of sight grew it
  assert.equal(view[3], 4);
  assert.deepEqual(m.session.reports, []);
  // The view still belongs to the allocation it starts in: its free is seen.
  m.consume(p, 16);
  assert.equal(viewSanKind(() => view[0]), 'use-after-free');
});

test('a view that runs from one allocation into another live one is view-out-of-bounds', async () => {
  const m = await load();
  const p = m.make_buffer(16);
  const next = m.make_buffer(16);
  assert.ok(next > p);
  assert.equal(viewSanKind(() => new Uint8Array(m.memory.buffer, p, next - p + 8)), 'view-out-of-bounds');
});

test('allocations and frees JavaScript made through the exports are judged in full', async () => {
  const m = await load();
  const q = m.malloc(16);
  assert.equal(viewSanKind(() => new Uint8Array(m.memory.buffer, q, 64)), 'view-out-of-bounds');
  m.free(q);
  assert.equal(viewSanKind(() => new Uint8Array(m.memory.buffer, q, 16)), 'use-after-free');
});

test('views over bytes wasm freed, or that no allocation the hooks saw owns, are no error', async () => {
  const m = await load();
  const p = m.make_buffer(32);
  m.consume(p, 32);  // freed inside wasm: a realloc out of sight may have taken it again
  assert.equal(new Uint8Array(m.memory.buffer, p, 32).length, 32);
  assert.equal(new Uint8Array(m.memory.buffer, p + 8192, 8).length, 8);  // beyond every allocation
  assert.deepEqual(m.session.reports.filter((r) => r.severity === 'error'), []);
});

// An allocator whose free no hook sees (named with `--alloc` alone): every region wasm allocated
// stays live as far as the shim knows, so a neighbour it reports live may be long freed.
test('without a free hooked, a view past an allocation into another is no error', async () => {
  const { instance, session } = await instantiate(
    await readFile(path.join(fixtures, 'alloc-only-heap.vs.wasm')), {}, {});
  assert.equal(session.sites.seesFrees, false);
  const m = instance.exports;
  const a = m.make_buffer(16);
  const b = m.make_buffer(16);
  m.consume(a, 16);
  m.consume(b, 16);  // both freed out of sight: wasm may have grown a over b since
  const view = new Uint8Array(m.memory.buffer, a, b - a + 16);
  assert.equal(view.length, b - a + 16);
  assert.deepEqual(session.reports, []);
});
