// @silvia-odwyer/photon-node 0.3.4 (Rust through a recent wasm-bindgen: reference types,
// table.fill, which Binaryen 108 could not read) under viewsan as its users would run it: the
// package's own CommonJS entry untouched, photon_rs_bg.wasm instrumented in place (its allocator
// found by name, coverage complete), and `node --import viewsan/register`. Filters and a resize
// give the same pixels as the original package, with no error report, in both modes. The buggy
// twin, a whole-memory view kept across growth and searched afterwards, is caught.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.photon, {
  original: {
    does: 'filters and resizes an image',
    check: (results) => assert.equal(results.resized.width, 48),
  },
  underViewsan: { gives: 'the same pixels' },
  twin: {
    args: ['--buggy'],
    kind: 'use-after-grow',
    check: (report) => {
      assert.equal(report.view.ctor, 'Uint8Array');
      assert.match(report.view.createdAt, /photon\.mjs/);
    },
  },
});
