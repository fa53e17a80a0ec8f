// @tensorflow/tfjs-backend-wasm 4.22.0 (Emscripten) under viewsan: the backend's plain and SIMD
// builds instrumented with their glue (--emscripten-glue), served to tfjs by setWasmPaths, and
// `node --import viewsan/register`. A few ops give the same bytes as the original builds, and
// viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { instrument, validate } from '../corpus/lib/instrument.mjs';
import { assertSilent, corpusFile, runProgram, scratchDir, summarize, workload } from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const script = workload('tfjs.mjs');
const originalDir = corpusFile('@tensorflow/tfjs-backend-wasm/dist');
const guardedDir = join(scratch, 'dist');
mkdirSync(guardedDir);
for (const build of ['tfjs-backend-wasm', 'tfjs-backend-wasm-simd', 'tfjs-backend-wasm-threaded-simd']) {
  const output = join(guardedDir, `${build}.wasm`);
  if (build.includes('threaded')) {
    copyFileSync(join(originalDir, `${build}.wasm`), output); // never picked in Node
    continue;
  }
  instrument(join(originalDir, `${build}.wasm`), output,
    ['--emscripten-glue', corpusFile(`@tensorflow/tfjs-backend-wasm/wasm-out/${build}.js`)]);
  validate(output);
}

for (const simd of ['0', '1']) {
  const build = simd === '1' ? 'SIMD' : 'plain';
  const original = runProgram(scratch, script, [originalDir, simd]);
  for (const mode of ['strict', 'compat']) {
    test(`${build} build under viewsan (${mode}): the same results, no error report`, () => {
      const run = runProgram(scratch, script, [guardedDir, simd], `mode=${mode}:halt_on_error=0`);
      console.log(`tfjs-backend-wasm ${build} (${mode}): ${summarize(run.report)}; ` +
        `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
      assert.equal(original.results.backend, 'wasm');
      assert.deepEqual(run.results, original.results);
      assertSilent(run.report, `tfjs-backend-wasm ${build} (${mode})`);
    });
  }
}
