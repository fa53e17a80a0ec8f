// @silvia-odwyer/photon-node (image processing in Rust through a recent wasm-bindgen that emits
// table.fill and other reference-type instructions): filters and a resize on a generated RGBA
// image, through the package's own CommonJS entry.
//
//   node photon.mjs PACKAGE_DIR            prints the results as JSON
//   node photon.mjs PACKAGE_DIR --buggy    the buggy twin (below)
//
// The buggy twin keeps a view over the module's whole memory (`photon.__wasm.memory.buffer`,
// which the package exports) across work that grows the memory, and searches it afterwards:
// without viewsan the engine's bare TypeError is all one gets.

import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { digest, isMain, printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);

function image(photon, width, height) {
  const raw = new Uint8Array(width * height * 4);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + (i >> 7)) & 255;
  return new photon.PhotonImage(raw, width, height);
}

export async function filters(packageDir) {
  const photon = require(resolve(packageDir));
  const img = image(photon, 96, 64);
  const results = {};
  for (const [name, apply] of [
    ['grayscale', () => photon.grayscale(img)], ['invert', () => photon.invert(img)],
    ['blur', () => photon.gaussian_blur(img, 2)], ['sharpen', () => photon.sharpen(img)],
    ['emboss', () => photon.emboss(img)],
  ]) {
    apply();
    results[name] = await digest(img.get_raw_pixels());
  }
  const resized = photon.resize(img, 48, 32, 1);
  results.resized = { width: resized.get_width(), pixels: await digest(resized.get_raw_pixels()) };
  resized.free();
  img.free();
  return results;
}

export function useAfterGrow(packageDir) {
  const photon = require(resolve(packageDir));
  const heap = new Uint8Array(photon.__wasm.memory.buffer);
  const big = image(photon, 2048, 2048);  // 16 MiB of pixels: the memory grows
  photon.invert(big);
  big.free();
  try {
    return { foundAfterGrow: heap.includes(255) };
  } catch (error) {
    return { searchFailed: error.name };
  }
}

if (isMain(import.meta.url)) {
  const [packageDir, twin] = process.argv.slice(2);
  printResults(twin === '--buggy' ? useAfterGrow(packageDir) : await filters(packageDir));
}
