// sql.js 1.16 (Emscripten, minified) under viewsan as its users would run it: the wasm instrumented
// with the package's glue (--emscripten-glue) and instantiated through `emscripten()` passed to
// initSqlJs. CREATE/INSERT/SELECT/UPDATE/DELETE and the exported database file are the same as
// with the original, and viewsan reports no error, in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { emscripten } from 'viewsan';

import { instrument, validate } from '../corpus/lib/instrument.mjs';
import { freshInitSqlJs, queries } from '../corpus/workloads/sqljs.mjs';
import { corpusFile, scratchDir } from './lib/under-viewsan.mjs';

const scratch = scratchDir();
const glueFile = corpusFile('sql.js/dist/sql-wasm.js');
const wasmFile = corpusFile('sql.js/dist/sql-wasm.wasm');
const instrumented = join(scratch, 'sql-wasm.wasm');
instrument(wasmFile, instrumented, ['--emscripten-glue', glueFile]);
validate(instrumented);

let started = performance.now();
const original = queries(await freshInitSqlJs(glueFile)({ wasmBinary: readFileSync(wasmFile) }));
const originalMs = performance.now() - started;

test('the original answers', () => {
  assert.equal(original.results[0].values[0][0], 500 - Math.floor(500 / 7));
  assert.equal(original.rows.length, 41 - 6); // ids 105, 112, ..., 140 were deleted
});

for (const mode of ['strict', 'compat']) {
  test(`under viewsan (${mode}): the same answers and file, no error report`, async () => {
    const reports = [];
    const glue = emscripten({
      wasmBinary: readFileSync(instrumented), mode, haltOnError: false,
      onReport: (report) => reports.push(report),
    });
    started = performance.now();
    const guarded = queries(await freshInitSqlJs(glueFile)({ ...glue }));
    const ms = performance.now() - started;
    const stats = glue.session.stats();
    console.log(`sql.js (${mode}): ${JSON.stringify(stats)}; ` +
      `${originalMs.toFixed(0)} ms original, ${ms.toFixed(0)} ms under viewsan`);

    assert.deepEqual(guarded.results, original.results);
    assert.deepEqual(guarded.rows, original.rows);
    assert.deepEqual(Buffer.from(guarded.bytes), Buffer.from(original.bytes));
    const errors = reports.filter((r) => r.severity === 'error');
    assert.deepEqual(errors.map((r) => r.message), []);
    assert.equal(stats.errors, 0);
    // The shim saw SQLite's allocator at work, and the glue's copies went through guarded views.
    assert.ok(stats.allocs > 0 && stats.frees > 0, JSON.stringify(stats));
    assert.ok(stats.copyOutBytes > 0, JSON.stringify(stats));
  });
}
