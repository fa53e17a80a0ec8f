// @bokuweb/zstd-wasm (zstd in C through Emscripten, minified): compress 500 kB of text at three
// levels and decompress each.
//
//   node zstd.mjs PACKAGE_DIR      prints the results as JSON
//
// The package's own Node entry reads its dist/common/zstd.wasm.

import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { digest, isMain, printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);

export async function roundTrips(zstd) {
  await zstd.init();
  const words = ['alpha', 'beta', 'gamma', 'delta', '\n'];
  let text = '';
  for (let seed = 1; text.length < 500_000; ) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    text += words[seed % words.length] + (seed % 7);
  }
  const input = new TextEncoder().encode(text);
  const results = {};
  for (const level of [1, 3, 10]) {
    const compressed = zstd.compress(input, level);
    const decompressed = zstd.decompress(compressed);
    results[level] = {
      compressed: await digest(compressed),
      roundTrip: Buffer.compare(Buffer.from(decompressed), Buffer.from(input)) === 0,
    };
  }
  return results;
}

if (isMain(import.meta.url)) {
  printResults(await roundTrips(require(resolve(process.argv[2]))));
}
