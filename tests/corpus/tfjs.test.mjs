// @tensorflow/tfjs-backend-wasm 4.22.0 (Emscripten): three builds, plain, SIMD, and SIMD with
// threads (shared memory, atomics). All three instrument and validate; the plain and SIMD builds
// run a few ops in Node with the same results as the originals. tfjs turns threads off in Node,
// so the threaded build is checked by instrumenting and validating only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';
import { runWithCountingHooks } from './lib/run-workload.mjs';

const scratch = scratchDir();
const builds = ['tfjs-backend-wasm', 'tfjs-backend-wasm-simd', 'tfjs-backend-wasm-threaded-simd'];
const originalDir = corpusFile('@tensorflow/tfjs-backend-wasm/dist');
const instrumentedDir = join(scratch, 'dist');
mkdirSync(instrumentedDir);

test('every build instruments with its glue and validates; malloc and free are hooked', () => {
  for (const build of builds) {
    const output = join(instrumentedDir, `${build}.wasm`);
    const { allocators, fields } = instrument(join(originalDir, `${build}.wasm`), output,
      ['--emscripten-glue', corpusFile(`@tensorflow/tfjs-backend-wasm/wasm-out/${build}.js`)]);
    validate(output);
    for (const [name, role] of [['malloc', 'alloc'], ['free', 'free']]) {
      const entry = allocators.find((a) => a.name === name);
      assert.ok(entry, `${build}: ${name} hooked\n${JSON.stringify(allocators)}`);
      assert.equal(entry.role, role);
      assert.match(entry.foundBy, new RegExp(`glue "_${name}"`));
    }
    assert.match(fields.coverage, /^partial \(no name section/);
    assert.equal(sitesOf(output).coverage, 'partial');
  }
});

// The ops, in a process of their own: tfjs keeps one backend per process.
const runOps = (wasmDir, simd) => runWithCountingHooks(scratch, 'tfjs.mjs', [wasmDir, simd ? '1' : '0']);

for (const simd of [false, true]) {
  test(`add, matMul, softmax, conv2d, sum, maxPool and transpose (${simd ? 'SIMD' : 'plain'} build) match the original`, () => {
    const original = runOps(originalDir, simd);
    const hooked = runOps(instrumentedDir, simd);
    assert.equal(hooked.results.backend, 'wasm');
    assert.deepEqual(hooked.results, original.results);
    assert.equal(original.counts.alloc, 0); // the original imports no hooks
    console.log(`tfjs-backend-wasm (${simd ? 'SIMD' : 'plain'}) hook calls: ${JSON.stringify(hooked.counts)}`);
    assert.ok(hooked.counts.alloc > 0 && hooked.counts.free > 0, JSON.stringify(hooked.counts));
  });
}
