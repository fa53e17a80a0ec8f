// brotli-wasm: one-shot and streaming compression of 300 kB of text, and both decompressed.
//
//   node brotli.mjs PACKAGE_DIR      prints the results as JSON
//
// The package is loaded through its own Node entry (wasm-bindgen's loader, untouched).

import { createRequire } from 'node:module';

import { digest, isMain, printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);

// Text that compresses, but not to nothing.
export function sampleInput(bytes) {
  const words = ['view', 'memory', 'grow', 'free', 'alloc', 'buffer', 'wasm', 'detach', '\n'];
  let text = '';
  for (let seed = 7; text.length < bytes; ) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    text += words[seed % words.length] + (seed % 5 === 0 ? `${seed % 1000}` : ' ');
  }
  return new TextEncoder().encode(text.slice(0, bytes));
}

/** Round trips through `brotli` (the package's exports); returns every byte array produced. */
export function roundTrip(brotli) {
  const input = sampleInput(300_000);
  const compressed = brotli.compress(input, { quality: 6 });
  const decompressed = brotli.decompress(compressed);
  // The streaming API, in 16 KiB chunks.
  const stream = new brotli.CompressStream(4);
  const chunks = [];
  for (let at = 0; at < input.length; at += 16384) {
    const result = stream.compress(input.subarray(at, at + 16384), 65536);
    chunks.push(result.buf);
    result.free();
  }
  for (let result; ; ) {
    result = stream.compress(undefined, 65536);
    chunks.push(result.buf);
    const done = result.code === brotli.BrotliStreamResultCode.ResultSuccess;
    result.free();
    if (done) break;
  }
  stream.free();
  const streamed = Buffer.concat(chunks);
  return { input, compressed, decompressed, streamed, unstreamed: brotli.decompress(streamed) };
}

/** What a run of `roundTrip` printed: digests, and whether each decompression gave the input. */
export async function summary(out) {
  return {
    compressed: await digest(out.compressed),
    streamed: await digest(out.streamed),
    decompressedIsInput: Buffer.compare(Buffer.from(out.decompressed), Buffer.from(out.input)) === 0,
    unstreamedIsInput: Buffer.compare(Buffer.from(out.unstreamed), Buffer.from(out.input)) === 0,
  };
}

if (isMain(import.meta.url)) {
  printResults(await summary(roundTrip(require(process.argv[2]))));
}
