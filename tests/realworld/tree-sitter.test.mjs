// web-tree-sitter 0.27.2 (C through Emscripten with dynamic linking) with tree-sitter-javascript
// 0.25.0's grammar, a side module loaded at run time, under viewsan as its users would run it:
// the package's own ES module entry untouched, web-tree-sitter.wasm instrumented in place with
// its glue, and `node --import viewsan/register`. The glue stores every export of the main module,
// the allocator viewsan wraps included, in the module's WebAssembly.Table and passes them to the
// side module as imports: parses and incremental re-parses give the same trees as the original,
// with no error report, in both modes. The buggy twin, a view over a freed buffer, is caught.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

testUnderViewsan(REGISTER_PACKAGES.treeSitter, {
  original: {
    does: 'parses and re-parses JavaScript',
    check: (results) => {
      for (const tree of Object.values(results)) {
        assert.equal(tree.functions, 200);
        assert.equal(tree.hasError, false);
      }
    },
  },
  underViewsan: { gives: 'the same trees' },
  twin: {
    args: ['--buggy'],
    kind: 'use-after-free',
    check: (report) => {
      assert.equal(report.region.size, 64);
      assert.match(report.region.freeSite.stack, /tree-sitter\.mjs/);
    },
  },
});
