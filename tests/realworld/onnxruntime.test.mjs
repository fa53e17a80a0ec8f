// onnxruntime-web 1.30.0 (C++ through Emscripten with pthreads, minified, 14 MB) under viewsan as
// its users would run it: the package's own Node entry untouched, its threaded build instrumented
// in place with its glue (coverage partial: only the glue's malloc and free are found), and
// `node --import viewsan/register`, with one thread and with two. The outputs are the same as the
// original package's and viewsan reports no error, in both modes: the frees that aligned
// allocations and in-place reallocations inside wasm explain are counted, not reported
// (docs/reports/invalid-free.md). The buggy twin, a view over a freed input buffer, is still caught.

import assert from 'node:assert/strict';

import { REGISTER_PACKAGES, testUnderViewsan } from './lib/under-viewsan.mjs';

for (const pkg of [REGISTER_PACKAGES.onnxruntime, REGISTER_PACKAGES.onnxruntime2]) {
  const oneThread = pkg === REGISTER_PACKAGES.onnxruntime;
  testUnderViewsan(pkg, {
    original: {
      does: `runs the model on ${pkg.args[0]} thread(s)`,
      check: (results) => assert.deepEqual(Object.keys(results), ['1', '4', '16', '64']),
    },
    underViewsan: {
      gives: `the same outputs on ${pkg.args[0]} thread(s)`,
      check: (run) => assert.ok(run.report.stats.allocs > 10_000, JSON.stringify(run.report.stats)),
    },
    twin: oneThread ? {
      args: ['--buggy'],
      kind: 'use-after-free',
      check: (report) => {
        assert.equal(report.view.ctor, 'Float32Array');
        assert.equal(report.region.size, 256);
        assert.match(report.view.createdAt, /onnxruntime\.mjs/);
      },
    } : undefined,
  });
}
