// @dqbd/tiktoken 1.0.22 (Rust + a newer wasm-bindgen, whose allocator exports are numbered)
// under viewsan as its users would run it: the package's own Node entry and loader untouched,
// its .wasm instrumented in place with its glue (--wasm-bindgen-glue), and
// `node --import viewsan/register`. Tokens and round trips are the same as the original package's,
// and viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  assertSilent, corpusFile, instrumentedCopy, runProgram, scratchDir, summarize, workload,
} from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const script = workload('tiktoken.mjs');
const original = runProgram(scratch, script, [corpusFile('@dqbd/tiktoken')]);
const guarded = instrumentedCopy('@dqbd/tiktoken', join(scratch, 'instrumented'),
  ['tiktoken_bg.wasm'], ['--wasm-bindgen-glue', corpusFile('@dqbd/tiktoken/tiktoken_bg.js')]);

test('the original package round-trips', () => {
  assert.ok(original.results.cl100k_base.roundTrip && original.results.gpt2.roundTrip,
    JSON.stringify(original.results));
});

for (const mode of ['strict', 'compat']) {
  test(`under viewsan (${mode}): the same tokens, no error report`, () => {
    const run = runProgram(scratch, script, [guarded], `mode=${mode}:halt_on_error=0`);
    console.log(`@dqbd/tiktoken (${mode}): ${summarize(run.report)}; ` +
      `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
    assert.deepEqual(run.results, original.results);
    assertSilent(run.report, `@dqbd/tiktoken (${mode})`);
    assert.ok(run.report.stats.reallocs > 0, JSON.stringify(run.report.stats));
  });
}
