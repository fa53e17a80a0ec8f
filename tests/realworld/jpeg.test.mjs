// @jsquash/jpeg 1.6.0 (MozJPEG: C through Emscripten and embind) under viewsan as its users would
// run it: decode.js and encode.js initialised with the package's own .wasm files, each instrumented
// in place with its glue, and `node --import viewsan/register`. embind writes the pixels and the
// file into linear memory byte by byte through HEAPU8. The JPEG bytes and decoded pixels are the
// same as the original package's, and viewsan reports no error, in both modes.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.jpeg, {
  original: {
    does: 'encodes and decodes',
    check: (results) => {
      for (const quality of [75, 90]) {
        assert.equal(results[quality].width, 320);
        assert.equal(results[quality].pixels.bytes, 320 * 240 * 4);
      }
    },
  },
  underViewsan: { gives: 'the same JPEG bytes and pixels' },
});
