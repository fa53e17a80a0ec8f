// @jsquash/png 3.1.1 (Rust + wasm-bindgen) under viewsan as its users would run it: decode.js and
// encode.js initialised with the package's own .wasm, instrumented in place, and
// `node --import viewsan/register`. Decoding and encoding give the same pixels and bytes as the
// original package, and viewsan reports no error, in both modes.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.png, {
  original: {
    does: 'decodes and encodes',
    check: (results) => {
      assert.equal(results.width, 67);
      assert.ok(results.decodedIsInput && results.redecodedIsInput, JSON.stringify(results));
    },
  },
  underViewsan: { gives: 'the same pixels and bytes' },
});
