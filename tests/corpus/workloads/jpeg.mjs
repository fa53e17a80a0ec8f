// @jsquash/jpeg (MozJPEG in C through Emscripten and embind): encode a generated image at two
// qualities and decode each JPEG back. embind hands the pixels in as a std::string, which its glue
// writes into linear memory byte by byte through HEAPU8, and decoding does the same with the file.
//
//   node jpeg.mjs PACKAGE_DIR [ROUNDS]      prints the results as JSON
//
// The package is used as its documentation shows for Node: its decode.js and encode.js, each
// initialised with the compiled module read from the package's own .wasm file.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { digest, isMain, printResults } from './run-main.mjs';

/** RGBA pixels of a `width` × `height` image: gradients, a checkerboard and some noise. */
export function makePixels(width, height) {
  const pixels = new Uint8ClampedArray(width * height * 4);
  let seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      seed = (seed * 1103515245 + 12345) >>> 0;
      pixels[i] = (x * 255) / (width - 1) + (seed >>> 27);
      pixels[i + 1] = (y * 255) / (height - 1) + ((seed >>> 22) & 31);
      pixels[i + 2] = ((x >> 4) ^ (y >> 4)) & 1 ? 220 : 30;
      pixels[i + 3] = 255;
    }
  }
  return pixels;
}

/** decode and encode from the package at `packageDir`, each initialised with its own .wasm. */
export async function codec(packageDir) {
  const decodeModule = await import(pathToFileURL(join(packageDir, 'decode.js')));
  const encodeModule = await import(pathToFileURL(join(packageDir, 'encode.js')));
  const compile = (file) => WebAssembly.compile(readFileSync(join(packageDir, 'codec', file)));
  await decodeModule.init(await compile('dec/mozjpeg_dec.wasm'));
  await encodeModule.init(await compile('enc/mozjpeg_enc.wasm'));
  return { decode: decodeModule.default, encode: encodeModule.default };
}

/** Encodes the image at qualities 75 and 90 and decodes each result, `rounds` times. */
export async function encodeDecode({ decode, encode }, { width = 320, height = 240, rounds = 1 } = {}) {
  const image = { data: makePixels(width, height), width, height };
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const quality of [75, 90]) {
      const jpeg = new Uint8Array(await encode(image, { quality }));
      const decoded = await decode(jpeg.buffer);
      results[quality] = {
        jpeg: await digest(jpeg),
        width: decoded.width,
        height: decoded.height,
        pixels: await digest(decoded.data),
      };
    }
  }
  return results;
}

if (isMain(import.meta.url)) {
  const rounds = Number(process.argv[3] ?? 1);
  printResults(await encodeDecode(await codec(process.argv[2]), { rounds }));
}
