// canvaskit-wasm 0.42.0 (Skia: C++ through Emscripten and embind) under viewsan as its users
// would run it: its own loader untouched, bin/canvaskit.wasm instrumented in place with its glue,
// and `node --import viewsan/register`. Pixels and PNG bytes are the same as the original
// package's, and viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  assertSilent, corpusFile, instrumentedCopy, runProgram, scratchDir, summarize, workload,
} from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const script = workload('canvaskit.mjs');
const original = runProgram(scratch, script, [corpusFile('canvaskit-wasm')]);
const guarded = instrumentedCopy('canvaskit-wasm', join(scratch, 'instrumented'),
  ['bin/canvaskit.wasm'], ['--emscripten-glue', corpusFile('canvaskit-wasm/bin/canvaskit.js')]);

for (const mode of ['strict', 'compat']) {
  test(`under viewsan (${mode}): the same pixels and PNG, no error report`, () => {
    const run = runProgram(scratch, script, [guarded], `mode=${mode}:halt_on_error=0`);
    console.log(`canvaskit-wasm (${mode}): ${summarize(run.report)}; ` +
      `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
    assert.equal(original.results.pixels.bytes, 300 * 200 * 4);
    assert.deepEqual(run.results, original.results);
    assertSilent(run.report, `canvaskit-wasm (${mode})`);
  });
}
