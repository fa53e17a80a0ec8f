// canvaskit-wasm 0.42.0 (Skia, C++ through Emscripten and embind, minified, 7 MB): its glue
// binds _malloc and _free to minified exports, and C++'s operator new reaches malloc by direct
// calls. The instrumented build draws, reads back and encodes exactly as the original.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { copyPackage, corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';
import { runWithCountingHooks } from './lib/run-workload.mjs';

const scratch = scratchDir();
const wasm = corpusFile('canvaskit-wasm/bin/canvaskit.wasm');
const glue = corpusFile('canvaskit-wasm/bin/canvaskit.js');
const instrumented = join(scratch, 'canvaskit.vs.wasm');

test('with its glue, malloc and free are found and hooked at their many call sites', () => {
  const { allocators, fields } = instrument(wasm, instrumented, ['--emscripten-glue', glue]);
  const malloc = allocators.find((a) => /glue "_malloc"/.test(a.foundBy));
  const free = allocators.find((a) => /glue "_free"/.test(a.foundBy));
  assert.ok(malloc && free, JSON.stringify(allocators));
  assert.ok(malloc.directCalls > 10 && free.directCalls > 1000, JSON.stringify(allocators));
  assert.match(fields.coverage, /^partial \(no name section/);
  assert.equal(sitesOf(instrumented).coverage, 'partial');
  validate(instrumented);
});

test('the instrumented build draws, reads back and encodes exactly as the original', () => {
  const original = runWithCountingHooks(scratch, 'canvaskit.mjs', [corpusFile('canvaskit-wasm')]);
  const copy = copyPackage('canvaskit-wasm', join(scratch, 'instrumented'),
    { 'bin/canvaskit.wasm': instrumented });
  const hooked = runWithCountingHooks(scratch, 'canvaskit.mjs', [copy]);
  assert.deepEqual(hooked.results, original.results);
  assert.equal(original.counts.alloc, 0);  // the original imports no hooks
  console.log(`canvaskit-wasm hook calls: ${JSON.stringify(hooked.counts)}`);
  assert.ok(hooked.counts.alloc > 0 && hooked.counts.free > 0, JSON.stringify(hooked.counts));
});
