// @jsquash/png: decode a PNG made here, encode its pixels, decode that again.
//
//   node png.mjs PACKAGE_DIR      prints the results as JSON
//
// The package is used as its documentation shows for Node: its decode.js and encode.js, each
// initialised with the compiled module read from the package's own .wasm file.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

import { digest, isMain, printResults } from './run-main.mjs';

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

/** An 8-bit RGBA PNG with a gradient, and the pixels it holds. */
export function makePng(width, height) {
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

export const packageWasm = (packageDir) => join(packageDir, 'codec', 'pkg', 'squoosh_png_bg.wasm');

/** decode and encode from the package at `packageDir`, initialised with `wasmFile`. */
export async function codec(packageDir, wasmFile = packageWasm(packageDir)) {
  const decodeModule = await import(pathToFileURL(join(packageDir, 'decode.js')));
  const encodeModule = await import(pathToFileURL(join(packageDir, 'encode.js')));
  const module = await WebAssembly.compile(readFileSync(wasmFile));
  await decodeModule.init(module);
  await encodeModule.init(module);
  return { decode: decodeModule.decode, encode: encodeModule.default };
}

/** Decodes a generated PNG, encodes its pixels, decodes the result. */
export async function decodeEncode({ decode, encode }, width = 67, height = 45) {
  const { png, pixels } = makePng(width, height);
  const decoded = await decode(png);
  const image = { data: new Uint8ClampedArray(pixels), width, height };
  const encoded = new Uint8Array(await encode(image));
  const redecoded = await decode(encoded);
  return { pixels, decoded, encoded, redecoded };
}

if (isMain(import.meta.url)) {
  const out = await decodeEncode(await codec(process.argv[2]));
  printResults({
    width: out.decoded.width,
    height: out.decoded.height,
    decodedIsInput: Buffer.compare(Buffer.from(out.decoded.data), Buffer.from(out.pixels)) === 0,
    decoded: await digest(out.decoded.data),
    encoded: await digest(out.encoded),
    redecodedIsInput: Buffer.compare(Buffer.from(out.redecoded.data), Buffer.from(out.pixels)) === 0,
  });
}
