// brotli-wasm 3.0.1 (Rust + wasm-bindgen) under viewsan as its users would run it: the package's
// own Node entry and wasm-bindgen loader untouched, its .wasm instrumented in place, and
// `node --import viewsan/register`. Round trips give the same bytes as the original package, and
// viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  assertSilent, corpusFile, instrumentedCopy, runProgram, scratchDir, summarize, workload,
} from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const script = workload('brotli.mjs');
const original = runProgram(scratch, script, [corpusFile('brotli-wasm')]);
const guarded = instrumentedCopy('brotli-wasm', join(scratch, 'instrumented'),
  ['pkg.node/brotli_wasm_bg.wasm']);

test('the original package round-trips', () => {
  assert.ok(original.results.decompressedIsInput && original.results.unstreamedIsInput,
    JSON.stringify(original.results));
});

for (const mode of ['strict', 'compat']) {
  test(`under viewsan (${mode}): the same bytes, no error report`, () => {
    const run = runProgram(scratch, script, [guarded], `mode=${mode}:halt_on_error=0`);
    console.log(`brotli-wasm (${mode}): ${summarize(run.report)}; ` +
      `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
    assert.deepEqual(run.results, original.results);
    assertSilent(run.report, `brotli-wasm (${mode})`);
    // The glue's views were guarded: its copies out of linear memory went through them.
    assert.ok(run.report.stats.copyOutBytes > 0, JSON.stringify(run.report.stats));
  });
}
