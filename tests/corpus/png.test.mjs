// @jsquash/png 3.1.1 (Rust + wasm-bindgen, stripped, a newer wasm-bindgen than brotli-wasm's):
// its __wbindgen_malloc has Rust's allocator inlined, and calls one of two functions, an
// aligned and a plain allocation. Both are followed. A PNG made here decodes to the same pixels
// through the original and the instrumented module, which also encode it to the same bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

import { createHooks, provideHooks } from './lib/hooks.mjs';
import { copyPackage, corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';

const scratch = scratchDir();
const wasm = corpusFile('@jsquash/png/codec/pkg/squoosh_png_bg.wasm');
const instrumented = join(scratch, 'squoosh_png_bg.vs.wasm');

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// An 8-bit RGBA PNG with a gradient, and the pixels it holds.
function makePng(width, height) {
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels.set([(x * 255) / (width - 1), (y * 255) / (height - 1), (x ^ y) & 255, 200 + (x % 56)],
        (y * width + x) * 4);
    }
  }
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 4)] = 0; // filter: none
    Buffer.from(pixels.buffer, y * width * 4, width * 4).copy(raw, y * (1 + width * 4) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
  return { png, pixels };
}

// decode and encode from a copy of the package whose module is `wasmFile`.
async function codec(name, wasmFile) {
  const copy = copyPackage('@jsquash/png', join(scratch, name));
  const decodeModule = await import(pathToFileURL(join(copy, 'decode.js')));
  const encodeModule = await import(pathToFileURL(join(copy, 'encode.js')));
  const module = await WebAssembly.compile(readFileSync(wasmFile));
  await decodeModule.init(module);
  await encodeModule.init(module);
  return { decode: decodeModule.decode, encode: encodeModule.default };
}

test('instruments and validates; both allocation paths of __wbindgen_malloc are followed', () => {
  const { allocators, fields } = instrument(wasm, instrumented);
  validate(instrumented);
  const malloc = allocators.find((a) => a.name === '__wbindgen_malloc');
  assert.match(malloc.foundBy, /forwards to \S+, \S+$/, JSON.stringify(allocators));
  assert.equal(allocators.filter((a) => a.role === 'alloc' && /__wbindgen_malloc forwards/.test(a.foundBy)).length, 2);
  assert.ok(allocators.some((a) => a.role === 'free' && /__wbindgen_free forwards/.test(a.foundBy)));
  assert.equal(fields.coverage, 'partial');
  assert.equal(sitesOf(instrumented).coverage, 'partial');
});

test('decodes a generated PNG to the same pixels, and encodes them to the same bytes', async () => {
  const { png, pixels } = makePng(67, 45);
  const original = await codec('original', wasm);
  const hooks = createHooks();
  const restore = provideHooks(hooks);
  let hooked;
  try {
    hooked = await codec('instrumented', instrumented);
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
