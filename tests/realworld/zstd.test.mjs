// @bokuweb/zstd-wasm 0.0.27 (zstd in C through Emscripten, minified) under viewsan as its users
// would run it: its own Node entry untouched, dist/common/zstd.wasm instrumented in place with its
// glue, and `node --import viewsan/register`. Compressed bytes and round trips are the same as the
// original package's, and viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  assertSilent, corpusFile, instrumentedCopy, runProgram, scratchDir, summarize, workload,
} from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const script = workload('zstd.mjs');
const original = runProgram(scratch, script, [corpusFile('@bokuweb/zstd-wasm')]);
const guarded = instrumentedCopy('@bokuweb/zstd-wasm', join(scratch, 'instrumented'),
  ['dist/common/zstd.wasm'], ['--emscripten-glue', corpusFile('@bokuweb/zstd-wasm/dist/common/zstd.js')]);

for (const mode of ['strict', 'compat']) {
  test(`under viewsan (${mode}): the same bytes, no error report`, () => {
    const run = runProgram(scratch, script, [guarded], `mode=${mode}:halt_on_error=0`);
    console.log(`@bokuweb/zstd-wasm (${mode}): ${summarize(run.report)}; ` +
      `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
    assert.ok(Object.values(original.results).every((r) => r.roundTrip));
    assert.deepEqual(run.results, original.results);
    assertSilent(run.report, `@bokuweb/zstd-wasm (${mode})`);
  });
}
