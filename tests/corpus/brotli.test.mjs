// brotli-wasm 3.0.1 (Rust + wasm-bindgen, stripped): it exports only __wbindgen_malloc,
// __wbindgen_free and __wbindgen_realloc, thin wrappers over Rust's allocator. Following them
// hooks the functions that really allocate, so a Vec allocated inside the module, returned to
// JavaScript and freed through __wbindgen_free is seen from its allocation on. The package's
// own Node entry runs from a temporary copy with the instrumented .wasm swapped in.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createHooks, provideHooks } from './lib/hooks.mjs';
import { copyPackage, corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';
import { roundTrip } from './workloads/brotli.mjs';

const require = createRequire(import.meta.url);
const scratch = scratchDir();
const wasmFiles = ['pkg.node', 'pkg.web', 'pkg.bundler'].map(
  (dir) => corpusFile(`brotli-wasm/${dir}/brotli_wasm_bg.wasm`));

// The package's Node entry, from a copy whose .wasm is `wasm`, with counting hooks.
function loadCopy(name, wasm) {
  const copy = copyPackage('brotli-wasm', join(scratch, name), { 'pkg.node/brotli_wasm_bg.wasm': wasm });
  const hooks = createHooks();
  const restore = provideHooks(hooks);
  try {
    return { brotli: require(copy), hooks };
  } finally {
    restore();
  }
}

test('every build instruments and validates; the wrappers are followed to the allocator', () => {
  for (const [i, wasm] of wasmFiles.entries()) {
    const output = join(scratch, `brotli-${i}.vs.wasm`);
    const { allocators, fields } = instrument(wasm, output);
    validate(output);
    for (const role of ['alloc', 'free', 'realloc']) {
      const entry = allocators.find((a) => a.name.startsWith('__wbindgen_') && a.role === role);
      assert.ok(entry, `${role} entry point hooked:\n${JSON.stringify(allocators)}`);
      // Below each entry point, a function found by following it.
      assert.ok(allocators.some((a) => a.role === role && /forwards to/.test(a.foundBy)),
        `the ${role} wrapper is followed:\n${JSON.stringify(allocators, null, 1)}`);
    }
    // The allocator's own callers, inside the module, are hooked call sites.
    const followed = allocators.filter((a) => /forwards to/.test(a.foundBy));
    assert.ok(followed.reduce((n, a) => n + a.directCalls, 0) > 100);
    assert.match(fields.coverage, /^partial \(no name section/);
    assert.equal(sitesOf(output).coverage, 'partial');
  }
});

test('compress/decompress round trip: same bytes; every freed pointer was seen allocated', () => {
  const original = roundTrip(require(corpusFile('brotli-wasm')));
  assert.deepEqual(original.decompressed, original.input);
  assert.deepEqual(original.unstreamed, original.input);

  const { brotli, hooks } = loadCopy('followed', join(scratch, 'brotli-0.vs.wasm'));
  const hooked = roundTrip(brotli);
  assert.deepEqual(hooked.compressed, original.compressed);
  assert.deepEqual(hooked.decompressed, original.input);
  assert.deepEqual(hooked.streamed, original.streamed);
  assert.deepEqual(hooked.unstreamed, original.input);
  console.log(`brotli-wasm hook calls: ${JSON.stringify(hooks.counts)}`);
  assert.ok(hooks.counts.alloc > 0 && hooks.counts.free > 0);
  // The compressed Vec was allocated inside the module and freed by the glue through
  // __wbindgen_free: with the wrappers followed, its allocation was reported too.
  assert.equal(hooks.counts.unseenFrees, 0, JSON.stringify(hooks.counts));
});

test('with --no-follow-wrappers, frees of buffers allocated inside the module go unseen', () => {
  const output = join(scratch, 'brotli-nofollow.vs.wasm');
  const { allocators } = instrument(wasmFiles[0], output, ['--no-follow-wrappers']);
  assert.ok(allocators.every((a) => a.name.startsWith('__wbindgen_')));
  const { brotli, hooks } = loadCopy('not-followed', output);
  const hooked = roundTrip(brotli);
  assert.deepEqual(hooked.decompressed, hooked.input);
  assert.ok(hooks.counts.unseenFrees > 0, JSON.stringify(hooks.counts));
});
