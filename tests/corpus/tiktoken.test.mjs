// @dqbd/tiktoken 1.0.22 (Rust + a newer wasm-bindgen, stripped): its allocator's exports are
// numbered (__wbindgen_export_1 allocates, _2 reallocates, _3 frees), so nothing in the module
// names them. --wasm-bindgen-glue reads how the glue calls them; the wrappers are followed to the
// functions that do the work. The instrumented build tokenizes exactly as the original.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { copyPackage, corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';
import { runWithCountingHooks } from './lib/run-workload.mjs';

const scratch = scratchDir();
const wasm = corpusFile('@dqbd/tiktoken/tiktoken_bg.wasm');
const glue = corpusFile('@dqbd/tiktoken/tiktoken_bg.js');
const instrumented = join(scratch, 'tiktoken_bg.vs.wasm');

test('without its glue, the numbered exports name no allocator: growth only', () => {
  const { allocators, stderr } = instrument(wasm, join(scratch, 'plain.vs.wasm'));
  assert.equal(allocators.length, 0);
  assert.match(stderr, /--wasm-bindgen-glue/);
});

test('--wasm-bindgen-glue finds malloc, realloc and free by how the glue calls them', () => {
  const { allocators, fields } = instrument(wasm, instrumented, ['--wasm-bindgen-glue', glue]);
  const entry = (role) => allocators.find((a) => a.name.startsWith('__wbindgen_export_') && a.role === role);
  assert.match(entry('alloc').foundBy, /glue "__wbindgen_malloc"/, JSON.stringify(allocators));
  assert.match(entry('realloc').foundBy, /glue "__wbindgen_realloc"/);
  assert.match(entry('free').foundBy, /glue "__wbindgen_free"/);
  for (const role of ['alloc', 'realloc', 'free']) {
    assert.ok(allocators.some((a) => a.role === role && /forwards to/.test(a.foundBy)),
      `the ${role} export is followed to the function that does the work`);
  }
  assert.match(fields.coverage, /^partial \(no name section/);
  assert.equal(sitesOf(instrumented).coverage, 'partial');
  validate(instrumented);
});

const tokenize = (packageDir) => runWithCountingHooks(scratch, 'tiktoken.mjs', [packageDir]);

test('the instrumented build tokenizes exactly as the original', () => {
  const original = tokenize(corpusFile('@dqbd/tiktoken'));
  assert.ok(original.results.cl100k_base.roundTrip && original.results.gpt2.roundTrip);
  const copy = copyPackage('@dqbd/tiktoken', join(scratch, 'instrumented'),
    { 'tiktoken_bg.wasm': instrumented });
  const hooked = tokenize(copy);
  assert.deepEqual(hooked.results, original.results);
  console.log(`@dqbd/tiktoken hook calls: ${JSON.stringify(hooked.counts)}`);
  assert.ok(hooked.counts.alloc > 0 && hooked.counts.free > 0 && hooked.counts.realloc > 0);
  // Every vector the module allocated and the glue freed was seen allocated.
  assert.equal(hooked.counts.unseenFrees, 0, JSON.stringify(hooked.counts));
});
