// @biomejs/wasm-nodejs 2.5.14 (Biome: Rust through a recent wasm-bindgen, 45 MB, two tables, the
// allocator exported only through `*_command_export` wrappers) under viewsan as its users would
// run it: the package's own CommonJS entry untouched, biome_wasm_bg.wasm instrumented in place
// with its glue, and `node --import viewsan/register`. Its second table, which the glue grows,
// keeps its export; Rust's allocator below the wrappers is hooked under its v0-mangled names, so
// coverage is complete. Formatting and linting give the same results as the original package, with
// no error report, in both modes; the buggy twin, a view over a freed buffer, is caught.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.biome, {
  original: {
    does: 'formats and lints',
    check: (results) => {
      assert.equal(Object.keys(results).length, 6);
      for (const file of Object.values(results)) assert.ok(file.diagnostics.length > 0);
    },
  },
  underViewsan: {
    gives: 'the same formatting and diagnostics',
    check: (run) => assert.ok(run.report.stats.allocs > 10_000, JSON.stringify(run.report.stats)),
  },
  twin: {
    args: ['--buggy'],
    kind: 'use-after-free',
    check: (report) => {
      assert.equal(report.region.size, 64);
      assert.match(report.view.createdAt, /biome\.mjs/);
    },
  },
});
