// @jsquash/png 3.1.1 (Rust + wasm-bindgen, stripped, a newer wasm-bindgen than brotli-wasm's):
// its __wbindgen_malloc has Rust's allocator inlined, and calls one of two functions, an
// aligned and a plain allocation. Both are followed. A PNG made here decodes to the same pixels
// through the original and the instrumented module, which also encode it to the same bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { createHooks, provideHooks } from './lib/hooks.mjs';
import { copyPackage, corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';
import { codec, makePng } from './workloads/png.mjs';

const scratch = scratchDir();
const wasm = corpusFile('@jsquash/png/codec/pkg/squoosh_png_bg.wasm');
const instrumented = join(scratch, 'squoosh_png_bg.vs.wasm');

// decode and encode from a copy of the package whose module is `wasmFile`.
function codecFrom(name, wasmFile) {
  return codec(copyPackage('@jsquash/png', join(scratch, name)), wasmFile);
}

test('instruments and validates; both allocation paths of __wbindgen_malloc are followed', () => {
  const { allocators, fields } = instrument(wasm, instrumented);
  validate(instrumented);
  const malloc = allocators.find((a) => a.name === '__wbindgen_malloc');
  assert.match(malloc.foundBy, /forwards to \S+, \S+$/, JSON.stringify(allocators));
  assert.equal(allocators.filter((a) => a.role === 'alloc' && /__wbindgen_malloc forwards/.test(a.foundBy)).length, 2);
  assert.ok(allocators.some((a) => a.role === 'free' && /__wbindgen_free forwards/.test(a.foundBy)));
  assert.match(fields.coverage, /^partial \(no name section/);
  assert.equal(sitesOf(instrumented).coverage, 'partial');
});

test('decodes a generated PNG to the same pixels, and encodes them to the same bytes', async () => {
  const { png, pixels } = makePng(67, 45);
  const original = await codecFrom('original', wasm);
  const hooks = createHooks();
  const restore = provideHooks(hooks);
  let hooked;
  try {
    hooked = await codecFrom('instrumented', instrumented);
  } finally {
    restore();
  }
  const expected = await original.decode(png);
  assert.equal(expected.width, 67);
  assert.equal(expected.height, 45);
  assert.deepEqual(Buffer.from(expected.data), Buffer.from(pixels));

  const decoded = await hooked.decode(png);
  assert.equal(decoded.width, expected.width);
  assert.equal(decoded.height, expected.height);
  assert.deepEqual(Buffer.from(decoded.data), Buffer.from(expected.data));

  const image = { data: new Uint8ClampedArray(pixels), width: 67, height: 45 };
  const encoded = Buffer.from(await hooked.encode(image));
  assert.deepEqual(encoded, Buffer.from(await original.encode(image)));
  assert.deepEqual(Buffer.from((await hooked.decode(encoded)).data), Buffer.from(pixels));

  console.log(`@jsquash/png hook calls: ${JSON.stringify(hooks.counts)}`);
  assert.ok(hooks.counts.alloc > 0 && hooks.counts.free > 0);
  // The decoded pixels were allocated inside the module and freed by the glue.
  assert.equal(hooks.counts.unseenFrees, 0, JSON.stringify(hooks.counts));
});
