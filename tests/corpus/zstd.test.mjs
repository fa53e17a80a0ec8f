// @bokuweb/zstd-wasm 0.0.27 (zstd in C through Emscripten, minified): only its glue names malloc
// and free. The instrumented build compresses to the same bytes and round-trips.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { copyPackage, corpusFile, instrument, scratchDir, validate } from './lib/instrument.mjs';
import { runWithCountingHooks } from './lib/run-workload.mjs';

const scratch = scratchDir();
const wasm = corpusFile('@bokuweb/zstd-wasm/dist/common/zstd.wasm');
const glue = corpusFile('@bokuweb/zstd-wasm/dist/common/zstd.js');
const instrumented = join(scratch, 'zstd.vs.wasm');

test('with its glue, malloc and free are found and hooked', () => {
  const { allocators } = instrument(wasm, instrumented, ['--emscripten-glue', glue]);
  assert.deepEqual(allocators.map((a) => a.role).sort(), ['alloc', 'free'], JSON.stringify(allocators));
  assert.ok(allocators.every((a) => /glue "_(malloc|free)"/.test(a.foundBy)));
  validate(instrumented);
});

test('the instrumented build compresses to the same bytes and round-trips', () => {
  const original = runWithCountingHooks(scratch, 'zstd.mjs', [corpusFile('@bokuweb/zstd-wasm')]);
  assert.ok(Object.values(original.results).every((r) => r.roundTrip));
  const copy = copyPackage('@bokuweb/zstd-wasm', join(scratch, 'instrumented'),
    { 'dist/common/zstd.wasm': instrumented });
  const hooked = runWithCountingHooks(scratch, 'zstd.mjs', [copy]);
  assert.deepEqual(hooked.results, original.results);
  console.log(`@bokuweb/zstd-wasm hook calls: ${JSON.stringify(hooked.counts)}`);
  assert.ok(hooked.counts.alloc > 0 && hooked.counts.free > 0, JSON.stringify(hooked.counts));
});
