// @dqbd/tiktoken 1.0.22 (Rust + a newer wasm-bindgen, whose allocator exports are numbered)
// under viewsan as its users would run it: the package's own Node entry and loader untouched,
// its .wasm instrumented in place with its glue (--wasm-bindgen-glue), and
// `node --import viewsan/register`. Tokens and round trips are the same as the original package's,
// and viewsan reports no error, in both modes.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.tiktoken, {
  original: {
    does: 'round-trips',
    check: (results) => assert.ok(results.cl100k_base.roundTrip && results.gpt2.roundTrip,
      JSON.stringify(results)),
  },
  underViewsan: {
    gives: 'the same tokens',
    check: (run) => assert.ok(run.report.stats.reallocs > 0, JSON.stringify(run.report.stats)),
  },
});
