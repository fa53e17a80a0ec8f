#!/usr/bin/env node
// Times viewsan-instrument against `wasm-opt IN -o OUT` (a plain Binaryen read and write: the
// floor for any Binaryen-based tool) on the same inputs, side by side in one run, and prints JSON.
//
//   node bench/instrument-time.mjs --instrument PATH [--runs N] IN.wasm...
//
// Wall time is the median of N runs; peak memory is the maximum resident set size that GNU time
// reports for one run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    instrument: { type: 'string' },
    'wasm-opt': { type: 'string', default: 'wasm-opt' },
    runs: { type: 'string', default: '7' },
  },
});
if (!values.instrument || positionals.length === 0) {
  console.error('usage: instrument-time.mjs --instrument PATH [--runs N] IN.wasm...');
  process.exit(2);
}
const runs = Number(values.runs);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-bench-'));

function measure(argv) {
  const times = [];
  let peakKiB = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const child = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8' });
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${child.stderr}`);
    times.push(elapsedMs);
    peakKiB = Math.max(peakKiB, Number(child.stderr.trim().split('\n').at(-1)));
  }
  times.sort((a, b) => a - b);
  return { medianMs: +times[Math.floor(times.length / 2)].toFixed(2), peakRssKiB: peakKiB };
}

const results = [];
try {
  for (const input of positionals) {
    const out = path.join(scratch, 'out.wasm');
    const wasmOpt = measure([values['wasm-opt'], input, '-o', out]);
    const viewsan = measure([values.instrument, input, '-o', out]);
    results.push({
      module: path.basename(input),
      bytes: statSync(input).size,
      wasmOpt,
      viewsanInstrument: viewsan,
      timeRatio: +(viewsan.medianMs / wasmOpt.medianMs).toFixed(3),
      memoryRatio: +(viewsan.peakRssKiB / wasmOpt.peakRssKiB).toFixed(3),
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(JSON.stringify({ benchmark: 'instrument-time', runs, results }, null, 2));
