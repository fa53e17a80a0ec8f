// One variant of one bench/boundary.mjs workload, in a process of its own: loads the package,
// warms up, then times the loop that crosses the JS <-> wasm boundary; prints {ms, check} as JSON.
//
//   node boundary-child.mjs sqljs raw|strict|compat GLUE WASM ITERATIONS
//   node [--import viewsan/register] boundary-child.mjs jpeg raw|strict|compat PACKAGE_DIR ROUNDS
//   node [--import viewsan/register] boundary-child.mjs bindgen|bindgen-lend raw|strict|compat WASM ITERATIONS
//   node [--import viewsan/register] boundary-child.mjs kept-view raw|strict|compat WASM ITERATIONS

import { readFileSync } from 'node:fs';

const [workload, variant, ...args] = process.argv.slice(2);

// A prepared INSERT bound and stepped with a number, a string and a blob, then a prepared SELECT
// bound, stepped and read: each bind allocates through the exported malloc, copies the string or
// blob in through HEAPU8 and frees it at reset.
function bindStep(SQL, iterations) {
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)');
  const insert = db.prepare('INSERT INTO t (name, score, data) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT name, score, length(data) FROM t WHERE id = ?');
  const blob = new Uint8Array(48).fill(7);
  let check = 0;
  for (let i = 0; i < iterations; i++) {
    insert.bind([`name-${i}`, i * 0.5, blob]);
    insert.step();
    insert.reset();
    select.bind([i + 1]);
    if (select.step()) check += select.get()[2];
    select.reset();
  }
  insert.free();
  select.free();
  db.close();
  return check;
}

async function sqljs() {
  const [glueFile, wasmFile, iterations] = args;
  const { freshInitSqlJs } = await import('../../tests/corpus/workloads/sqljs.mjs');
  const wasmBinary = readFileSync(wasmFile);
  let moduleArgs = { wasmBinary };
  if (variant !== 'raw') {
    const { emscripten } = await import('viewsan');
    moduleArgs = { ...emscripten({ wasmBinary, mode: variant }) };
  }
  const SQL = await freshInitSqlJs(glueFile)(moduleArgs);
  bindStep(SQL, 200);  // warm-up
  const started = performance.now();
  const check = bindStep(SQL, Number(iterations));
  return { ms: performance.now() - started, check };
}

async function jpeg() {
  const [packageDir, rounds] = args;
  const { codec, encodeDecode } = await import('../../tests/corpus/workloads/jpeg.mjs');
  const jpegCodec = await codec(packageDir);
  await encodeDecode(jpegCodec);  // warm-up
  const started = performance.now();
  const results = await encodeDecode(jpegCodec, { rounds: Number(rounds) });
  return { ms: performance.now() - started, check: results[90].pixels.sha256 };
}

// wasm-bindgen's marshalling, as its glue does it. bindgen: a string wasm hands JavaScript
// (__wbindgen_string_new, decoded from a sub-array of the glue's cached view) and a string
// JavaScript passes in (written into a block __wbindgen_malloc gave). bindgen-lend: a `&[u8]` wasm
// lends to an imported function, which reads two of its bytes.
const MARSHALLING = {
  bindgen: (glue) => glue.greeting().length + glue.byteSum('a string passed in'),
  'bindgen-lend': (glue, instance, lent) => {
    instance.exports.lend(16);
    return lent.sum;
  },
};

// `loop(n)` returns a check of its n iterations: 2,000 to warm up, then `iterations` timed.
function timedLoop(loop, iterations) {
  loop(2000);
  const started = performance.now();
  const check = loop(Number(iterations));
  return { ms: performance.now() - started, check };
}

async function marshalling() {
  const [wasmFile, iterations] = args;
  const { bindgenGlue } = await import('../../tests/js/fixtures/bindgen-glue.mjs');
  const lent = { sum: 0 };
  const glue = bindgenGlue((bytes) => {
    lent.sum = bytes[3] + bytes[15];
  });
  const instance = await glue.init(readFileSync(wasmFile));
  const once = MARSHALLING[workload];
  const loop = (n) => {
    let check = 0;
    for (let i = 0; i < n; i++) check += once(glue, instance, lent);
    return check;
  };
  return timedLoop(loop, iterations);
}

// A view the program keeps over one allocation and reads after every 20 allocations and frees
// inside wasm (freelist-heap.wat's make_buffer and consume), among 50,000 live allocations: each
// read after a free rechecks the view's allocation.
async function keptView() {
  const [wasmFile, iterations] = args;
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), {});
  const { make_buffer: makeBuffer, consume, memory } = instance.exports;
  const kept = makeBuffer(64);
  for (let i = 0; i < 50000; i++) makeBuffer(16);
  const view = new Uint8Array(memory.buffer, kept, 64);
  const loop = (n) => {
    let check = 0;
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < 20; k++) check += consume(makeBuffer(16), 16);
      check += view[r & 63];
    }
    return check;
  };
  return timedLoop(loop, iterations);
}

const result = await { sqljs, jpeg, bindgen: marshalling, 'bindgen-lend': marshalling, 'kept-view': keptView }[workload]();
process.stdout.write(`${JSON.stringify(result)}\n`);
