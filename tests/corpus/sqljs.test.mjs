// sql.js 1.16 (Emscripten, minified): its wasm exports malloc and free under minified names that
// only the JS glue gives away. viewsan-instrument reads the glue (--emscripten-glue, or the
// sql-wasm.js beside it), hooks them, and the instrumented build answers the same queries with
// the same database bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createHooks, provideHooks } from './lib/hooks.mjs';
import { corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';
import { freshInitSqlJs, queries } from './workloads/sqljs.mjs';

const scratch = scratchDir();
const glue = corpusFile('sql.js/dist/sql-wasm.js');
const wasm = corpusFile('sql.js/dist/sql-wasm.wasm');
const instrumented = join(scratch, 'sql-wasm.vs.wasm');

// What the glue says, read here independently of the tool: `da=k._malloc=c.Ia`.
function boundExport(symbol) {
  const match = new RegExp(`\\w+\\.${symbol}=\\w+\\.(\\w+)[;,]`).exec(readFileSync(glue, 'utf8'));
  assert.ok(match, `the glue binds ${symbol}`);
  return match[1];
}

test('without its glue, the minified build shows no allocator: growth only', () => {
  const alone = join(scratch, 'alone.wasm');  // no sql-wasm.js beside it
  copyFileSync(wasm, alone);
  const { allocators, stderr } = instrument(alone, join(scratch, 'plain.vs.wasm'));
  assert.equal(allocators.length, 0);
  assert.match(stderr, /note: no allocator found/);
});

test('with no glue named, the glue beside the module (sql-wasm.js) finds the allocators', () => {
  const { allocators, stderr } = instrument(wasm, join(scratch, 'beside.vs.wasm'));
  assert.deepEqual(allocators.map((a) => a.name).sort(), [boundExport('_free'), boundExport('_malloc')].sort());
  assert.match(stderr, /note: allocators found through the Emscripten glue beside the module, \S*sql-wasm\.js/);
});

test('--emscripten-glue maps _malloc and _free to their minified exports, which are hooked', () => {
  const { allocators, fields } = instrument(wasm, instrumented, ['--emscripten-glue', glue]);
  const byName = Object.fromEntries(allocators.map((a) => [a.name, a]));
  const malloc = byName[boundExport('_malloc')];
  const free = byName[boundExport('_free')];
  assert.ok(malloc && free, JSON.stringify(allocators));
  assert.equal(malloc.role, 'alloc');
  assert.match(malloc.foundBy, /glue "_malloc"/);
  assert.equal(free.role, 'free');
  assert.match(free.foundBy, /glue "_free"/);
  assert.ok(malloc.directCalls > 0 && free.directCalls > 0);
  // No name section: nothing shows that every allocation goes through them.
  assert.match(fields.coverage, /^partial \(no name section/);
  assert.equal(sitesOf(instrumented).coverage, 'partial');
  validate(instrumented);
});

test('the debug build, with unminified exports, instruments and validates', () => {
  const output = join(scratch, 'sql-wasm-debug.vs.wasm');
  const { allocators } = instrument(corpusFile('sql.js/dist/sql-wasm-debug.wasm'), output,
    ['--emscripten-glue', corpusFile('sql.js/dist/sql-wasm-debug.js')]);
  assert.ok(allocators.some((a) => a.name === 'malloc' && a.role === 'alloc'));
  assert.ok(allocators.some((a) => a.name === 'free' && a.role === 'free'));
  validate(output);
});

async function session(wasmBinary) {
  return queries(await freshInitSqlJs(glue)({ wasmBinary }));
}

test('the instrumented build answers CREATE/INSERT/SELECT exactly as the original', async () => {
  const original = await session(readFileSync(wasm));
  const hooks = createHooks();
  const restore = provideHooks(hooks);
  let hooked;
  try {
    hooked = await session(readFileSync(instrumented));
  } finally {
    restore();
  }
  assert.deepEqual(hooked.results, original.results);
  assert.deepEqual(hooked.rows, original.rows);
  assert.equal(original.results[0].values[0][0], 500 - Math.floor(500 / 7));
  assert.deepEqual(Buffer.from(hooked.bytes), Buffer.from(original.bytes));
  // The allocator was hooked: the glue's calls and SQLite's own reached the hooks.
  assert.ok(hooks.counts.alloc > 0, JSON.stringify(hooks.counts));
  assert.ok(hooks.counts.free > 0, JSON.stringify(hooks.counts));
  console.log(`sql.js hook calls: ${JSON.stringify(hooks.counts)}`);
});
