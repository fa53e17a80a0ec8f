#!/usr/bin/env node
// Chatty boundaries, without and with viewsan, printed as JSON: a workload that crosses between
// JavaScript and wasm many times, each variant in a process of its own (raw: the original
// package, no viewsan; strict and compat: the instrumented package under viewsan, default options
// but the mode), alternating. Each process warms up and then times its loop (loopMs); wholeMs is
// the whole process (Node's start, loading, warm-up and the loop). Medians of --runs processes.
// - sqljs: sql.js 1.16's prepared statements, bound and stepped in a loop (emscripten() glue);
// - jpeg: @jsquash/jpeg's encode and decode (Emscripten + embind, `--import viewsan/register`),
//   whose glue writes pixels and files into linear memory byte by byte through HEAPU8;
// - bindgen and bindgen-lend: wasm-bindgen's marshalling, under `--import viewsan/register`: glue
//   of wasm-bindgen's shape (tests/js/fixtures/bindgen-glue.mjs) loading a module with its ABI
//   (tests/js/fixtures/bindgen-lender.wat); a string passed each way, or a `&[u8]` lent to an
//   import that reads it, in a loop.
// - kept-view: a view the program keeps over one allocation (tests/js/fixtures/freelist-heap.wat),
//   read after every 20 allocations and frees inside wasm among 50,000 live allocations, under
//   `--import viewsan/register`: each read after a free rechecks the view's allocation.
//
//   node bench/boundary.mjs --instrument PATH [--wasm-opt PATH] [--runs N]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { median } from './lib/median.mjs';

const { values } = parseArgs({
  options: {
    instrument: { type: 'string' }, 'wasm-opt': { type: 'string' }, runs: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
if (!values.instrument) {
  console.error('usage: boundary.mjs --instrument PATH [--wasm-opt PATH] [--runs N] [--only sqljs|jpeg|bindgen|bindgen-lend|kept-view]');
  process.exit(2);
}
// The test helpers read the tools' paths when they load.
process.env.VIEWSAN_INSTRUMENT = path.resolve(values.instrument);
if (values['wasm-opt']) process.env.WASM_OPT = path.resolve(values['wasm-opt']);
const { REGISTER_PACKAGES, corpusFile, instrumentedPackage, scratchDir } =
  await import('../tests/realworld/lib/under-viewsan.mjs');
const { instrument, validate } = await import('../tests/corpus/lib/instrument.mjs');
const { runNodeProgram } = await import('../tests/corpus/lib/run-node.mjs');

const runs = Number(values.runs);
const scratch = scratchDir();
const child = fileURLToPath(new URL('./lib/boundary-child.mjs', import.meta.url));
const projectRoot = fileURLToPath(new URL('../', import.meta.url));

function sqljsVariants() {
  const glue = corpusFile('sql.js/dist/sql-wasm.js');
  const original = corpusFile('sql.js/dist/sql-wasm.wasm');
  const instrumented = join(scratch, 'sql-wasm.wasm');
  instrument(original, instrumented, ['--emscripten-glue', glue]);
  validate(instrumented);
  const iterations = '5000';
  return {
    work: `${iterations} INSERT bind/step/reset + SELECT bind/step/get/reset`,
    args: (variant) => ['sqljs', variant, glue, variant === 'raw' ? original : instrumented, iterations],
    underRegister: false,
  };
}

function jpegVariants() {
  const pkg = REGISTER_PACKAGES.jpeg;
  const copy = instrumentedPackage(pkg, join(scratch, 'jpeg'));
  const rounds = '5';
  return {
    work: `${rounds} × (encode 320×240 at q75 and q90, decode each)`,
    args: (variant) => ['jpeg', variant, variant === 'raw' ? corpusFile(pkg.name) : copy, rounds],
    underRegister: true,
  };
}

// A fixture module, assembled and instrumented once: {original, instrumented}.
const fixtureModules = new Map();
function fixtureModule(name) {
  if (fixtureModules.has(name)) return fixtureModules.get(name);
  const original = join(scratch, `${name}.wasm`);
  const wat = fileURLToPath(new URL(`../tests/js/fixtures/${name}.wat`, import.meta.url));
  const assembled = spawnSync('wat2wasm', ['--debug-names', wat, '-o', original], { encoding: 'utf8' });
  if (assembled.status !== 0) throw new Error(`wat2wasm failed: ${assembled.stderr}`);
  const instrumented = join(scratch, `${name}.vs.wasm`);
  instrument(original, instrumented);
  validate(instrumented);
  fixtureModules.set(name, { original, instrumented });
  return fixtureModules.get(name);
}

const fixtureVariants = (name, fixture, iterations, work) => () => {
  const { original, instrumented } = fixtureModule(fixture);
  return {
    work: `${iterations} × ${work}`,
    args: (variant) => [name, variant, variant === 'raw' ? original : instrumented, iterations],
    underRegister: true,
  };
};

function runVariant(spec, variant) {
  const env = { ...process.env };
  delete env.VIEWSAN_OPTIONS;
  const guarded = variant !== 'raw';
  if (guarded && spec.underRegister) env.VIEWSAN_OPTIONS = `mode=${variant}`;
  const run = runNodeProgram({
    script: child, args: spec.args(variant), env, cwd: projectRoot,
    preload: guarded && spec.underRegister ? 'viewsan/register' : undefined,
  });
  return { loopMs: run.results.ms, wholeMs: run.ms, check: run.results.check };
}

const workloads = {
  sqljs: sqljsVariants,
  jpeg: jpegVariants,
  bindgen: fixtureVariants('bindgen', 'bindgen-lender', '100000', '(a string from wasm, a string into wasm)'),
  'bindgen-lend': fixtureVariants('bindgen-lend', 'bindgen-lender', '20000',
    'a 16-byte `&[u8]` lent to an import that reads it'),
  'kept-view': fixtureVariants('kept-view', 'freelist-heap', '20000',
    '(20 allocations and frees inside wasm, then a read through a view kept over one allocation, among 50,000 live)'),
};
const results = [];
for (const [name, prepare] of Object.entries(workloads)) {
  if (values.only && values.only !== name) continue;
  process.stderr.write(`bench/boundary: ${name}\n`);
  const spec = prepare();
  const samples = { raw: [], strict: [], compat: [] };
  const checks = new Set();
  for (let r = 0; r < runs; r++) {
    for (const variant of Object.keys(samples)) {
      const sample = runVariant(spec, variant);
      samples[variant].push(sample);
      checks.add(sample.check);
    }
  }
  const row = { workload: name, work: spec.work, sameResults: checks.size === 1 };
  for (const [variant, xs] of Object.entries(samples)) {
    row[`${variant}LoopMs`] = +median(xs.map((x) => x.loopMs)).toFixed(1);
    row[`${variant}WholeMs`] = +median(xs.map((x) => x.wholeMs)).toFixed(1);
  }
  for (const mode of ['strict', 'compat']) {
    row[`${mode}OverRawLoop`] = +(row[`${mode}LoopMs`] / row.rawLoopMs).toFixed(2);
    row[`${mode}OverRawWhole`] = +(row[`${mode}WholeMs`] / row.rawWholeMs).toFixed(2);
  }
  results.push(row);
}
console.log(JSON.stringify({ benchmark: 'boundary', runs, date: new Date().toISOString(), results }, null, 2));
