// brotli-wasm 3.0.1 (Rust + wasm-bindgen) under viewsan as its users would run it: the package's
// own Node entry and wasm-bindgen loader untouched, its .wasm instrumented in place, and
// `node --import viewsan/register`. Round trips give the same bytes as the original package, and
// viewsan reports no error, in both modes.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.brotli, {
  original: {
    does: 'round-trips',
    check: (results) => assert.ok(results.decompressedIsInput && results.unstreamedIsInput,
      JSON.stringify(results)),
  },
  underViewsan: {
    gives: 'the same bytes',
    // The glue's views were guarded: its copies out of linear memory went through them.
    check: (run) => assert.ok(run.report.stats.copyOutBytes > 0, JSON.stringify(run.report.stats)),
  },
});
