// canvaskit-wasm 0.42.0 (Skia: C++ through Emscripten and embind) under viewsan as its users
// would run it: its own loader untouched, bin/canvaskit.wasm instrumented in place with its glue,
// and `node --import viewsan/register`. Pixels and PNG bytes are the same as the original
// package's, and viewsan reports no error, in both modes.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.canvaskit, {
  original: {
    does: 'draws and reads back',
    check: (results) => assert.equal(results.pixels.bytes, 300 * 200 * 4),
  },
  underViewsan: { gives: 'the same pixels and PNG' },
});
