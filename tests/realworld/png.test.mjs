// @jsquash/png 3.1.1 (Rust + wasm-bindgen) under viewsan as its users would run it: decode.js and
// encode.js initialised with the package's own .wasm, instrumented in place, and
// `node --import viewsan/register`. Decoding and encoding give the same pixels and bytes as the
// original package, and viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  assertSilent, corpusFile, instrumentedCopy, runProgram, scratchDir, summarize, workload,
} from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const script = workload('png.mjs');
const original = runProgram(scratch, script, [corpusFile('@jsquash/png')]);
const guarded = instrumentedCopy('@jsquash/png', join(scratch, 'instrumented'),
  ['codec/pkg/squoosh_png_bg.wasm']);

test('the original package decodes and encodes', () => {
  assert.equal(original.results.width, 67);
  assert.ok(original.results.decodedIsInput && original.results.redecodedIsInput,
    JSON.stringify(original.results));
});

for (const mode of ['strict', 'compat']) {
  test(`under viewsan (${mode}): the same pixels and bytes, no error report`, () => {
    const run = runProgram(scratch, script, [guarded], `mode=${mode}:halt_on_error=0`);
    console.log(`@jsquash/png (${mode}): ${summarize(run.report)}; ` +
      `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
    assert.deepEqual(run.results, original.results);
    assertSilent(run.report, `@jsquash/png (${mode})`);
  });
}
