// @dqbd/tiktoken: encode text to tokens with two encodings, and decode them back.
//
//   node tiktoken.mjs PACKAGE_DIR      prints the results as JSON
//
// The package is loaded through its own Node entry (wasm-bindgen's loader, untouched). A newer
// wasm-bindgen built it: its allocator's exports are numbered (__wbindgen_export_N).

import { createRequire } from 'node:module';

import { isMain, printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);

const TEXT = [
  'Zero-copy interop hands JavaScript typed-array views over wasm linear memory. ',
  'Those views fail silently: after memory.grow they read undefined; after free, the next ',
  "allocation's bytes. 数据 📈 — naïve café, 1234567890. ",
].join('').repeat(150);

/** Token counts, checksums and round trips for each encoding, through `tiktoken`'s exports. */
export function tokenize({ get_encoding: getEncoding }) {
  const results = {};
  for (const name of ['cl100k_base', 'gpt2']) {
    const encoding = getEncoding(name);
    const tokens = encoding.encode(TEXT);
    const decoded = new TextDecoder().decode(encoding.decode(tokens));
    results[name] = {
      tokens: tokens.length,
      checksum: tokens.reduce((sum, t, i) => (sum + t * (i + 1)) % 1_000_000_007, 0),
      roundTrip: decoded === TEXT,
    };
    encoding.free();
  }
  return results;
}

if (isMain(import.meta.url)) {
  printResults(tokenize(require(process.argv[2])));
}
