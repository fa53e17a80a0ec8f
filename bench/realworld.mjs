#!/usr/bin/env node
// Real npm packages (tests/corpus, installed by scripts/setup.sh) without and with viewsan, in
// one run, printed as JSON: each package's workload (tests/corpus/workloads) as its users would
// run it, the original package against a copy whose .wasm is instrumented in place and run under
// `node --import viewsan/register`, in strict and compat mode. Times are medians of whole
// processes (Node's start, loading, the work), the variants alternating.
//
//   node bench/realworld.mjs --instrument PATH [--wasm-opt PATH] [--runs N]
//
// --wasm-opt names the wasm-opt that validates the instrumented modules: that of the Binaryen the
// tool links (132; scripts/build-binaryen.sh puts it in the cache), which reads what the
// packages' toolchains emit. Default: $WASM_OPT, else wasm-opt on PATH.
import { parseArgs } from 'node:util';
import path from 'node:path';

import { median } from './lib/median.mjs';

const { values } = parseArgs({
  options: { instrument: { type: 'string' }, 'wasm-opt': { type: 'string' }, runs: { type: 'string', default: '5' } },
});
if (!values.instrument) {
  console.error('usage: realworld.mjs --instrument PATH [--wasm-opt PATH] [--runs N]');
  process.exit(2);
}
// The test helpers read the tools' paths when they load.
process.env.VIEWSAN_INSTRUMENT = path.resolve(values.instrument);
if (values['wasm-opt']) process.env.WASM_OPT = path.resolve(values['wasm-opt']);
const { REGISTER_PACKAGES, corpusFile, instrumentedPackage, runProgram, scratchDir, workload } =
  await import('../tests/realworld/lib/under-viewsan.mjs');
const runs = Number(values.runs);
const scratch = scratchDir();


const results = [];
for (const [key, pkg] of Object.entries(REGISTER_PACKAGES)) {
  const label = [pkg.name, ...(pkg.args ?? [])].join(' ');
  process.stderr.write(`bench/realworld: ${label}\n`);
  const script = workload(pkg.workload);
  const args = pkg.args ?? [];
  const original = corpusFile(pkg.name);
  const copy = instrumentedPackage(pkg, path.join(scratch, key));
  const times = { original: [], strict: [], compat: [] };
  let errors = 0;
  for (let r = 0; r < runs; r++) {
    times.original.push(runProgram(scratch, script, [original, ...args]).ms);
    for (const mode of ['strict', 'compat']) {
      const run = runProgram(scratch, script, [copy, ...args], `mode=${mode}:halt_on_error=0`);
      errors += run.report.stats.errors;
      times[mode].push(run.ms);
    }
  }
  const row = { package: label, errors };
  for (const [variant, xs] of Object.entries(times)) row[`${variant}Ms`] = +median(xs).toFixed(1);
  row.strictOverOriginal = +(row.strictMs / row.originalMs).toFixed(3);
  row.compatOverOriginal = +(row.compatMs / row.originalMs).toFixed(3);
  results.push(row);
}
console.log(JSON.stringify({ benchmark: 'realworld', runs, results }, null, 2));
