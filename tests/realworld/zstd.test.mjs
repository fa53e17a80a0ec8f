// @bokuweb/zstd-wasm 0.0.27 (zstd in C through Emscripten, minified) under viewsan as its users
// would run it: its own Node entry untouched, dist/common/zstd.wasm instrumented in place with its
// glue, and `node --import viewsan/register`. Compressed bytes and round trips are the same as the
// original package's, and viewsan reports no error, in both modes.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.zstd, {
  original: {
    does: 'round-trips',
    check: (results) => assert.ok(Object.values(results).every((r) => r.roundTrip)),
  },
  underViewsan: { gives: 'the same bytes' },
});
