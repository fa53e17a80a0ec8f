#!/usr/bin/env node
// Times viewsan-instrument against `wasm-opt --all-features IN -o OUT` (a plain Binaryen read,
// validation and write: the floor for any Binaryen-based tool) on the same inputs, side by side
// in one run, and prints JSON.
//
//   node bench/instrument-time.mjs --instrument PATH [--wasm-opt PATH] [--runs N] [--corpus]
//                                  [IN.wasm[:GLUE.js]]...
//
// --corpus adds every module of the real-world corpus (tests/corpus, installed by
// scripts/setup.sh), each with its glue where the glue names its allocator. wasm-opt gets
// --all-features because some corpus modules use features its defaults refuse (esbuild's
// bulk memory), and viewsan-instrument reads every module with all of them too.
//
// The two tools run alternately, N times each, so that both see the same load, and time is the
// median wall time of those runs. Memory comes from two more runs of each, in which the
// proportional set size (Pss) of the process and its children is sampled every few
// milliseconds; the peak of its sum is the figure: viewsan-instrument does its Binaryen work in a
// forked child while the parent holds the input, and Pss counts the pages they share once.
// Sampling costs CPU, so the timed runs are not sampled. The largest resident set of any one
// process (GNU time's %M, from the timed runs) is given too.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    instrument: { type: 'string' },
    'wasm-opt': { type: 'string', default: 'wasm-opt' },
    runs: { type: 'string', default: '7' },
    corpus: { type: 'boolean', default: false },
  },
});
if (!values.instrument || (positionals.length === 0 && !values.corpus)) {
  console.error('usage: instrument-time.mjs --instrument PATH [--wasm-opt PATH] [--runs N] ' +
    '[--corpus] [IN.wasm[:GLUE.js]]...');
  process.exit(2);
}
const runs = Number(values.runs);
const TIME = '/usr/bin/time';

// The corpus modules, each with its glue when only the glue names its allocator (a minified
// Emscripten build, a newer wasm-bindgen's numbered exports).
function corpusInputs() {
  const root = fileURLToPath(new URL('../tests/corpus/node_modules/', import.meta.url));
  if (!existsSync(path.join(root, 'sql.js'))) {
    console.error(`${root} is missing: run scripts/setup.sh`);
    process.exit(1);
  }
  const tfjs = (name) => ({
    wasm: path.join(root, '@tensorflow/tfjs-backend-wasm/dist', `${name}.wasm`),
    glue: path.join(root, '@tensorflow/tfjs-backend-wasm/wasm-out', `${name}.js`),
  });
  return [
    { wasm: path.join(root, 'sql.js/dist/sql-wasm.wasm'), glue: path.join(root, 'sql.js/dist/sql-wasm.js') },
    tfjs('tfjs-backend-wasm'), tfjs('tfjs-backend-wasm-simd'), tfjs('tfjs-backend-wasm-threaded-simd'),
    { wasm: path.join(root, 'brotli-wasm/pkg.node/brotli_wasm_bg.wasm') },
    { wasm: path.join(root, '@jsquash/png/codec/pkg/squoosh_png_bg.wasm') },
    {
      wasm: path.join(root, '@bokuweb/zstd-wasm/dist/common/zstd.wasm'),
      glue: path.join(root, '@bokuweb/zstd-wasm/dist/common/zstd.js'),
    },
    {
      wasm: path.join(root, 'canvaskit-wasm/bin/canvaskit.wasm'),
      glue: path.join(root, 'canvaskit-wasm/bin/canvaskit.js'),
    },
    {
      wasm: path.join(root, '@dqbd/tiktoken/tiktoken_bg.wasm'),
      glue: path.join(root, '@dqbd/tiktoken/tiktoken_bg.js'),
      glueFlag: '--wasm-bindgen-glue',
    },
    { wasm: path.join(root, 'esbuild-wasm/esbuild.wasm') },
    {
      wasm: path.join(root, 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'),
      glue: path.join(root, 'onnxruntime-web/dist/ort-wasm-simd-threaded.mjs'),
    },
    {
      wasm: path.join(root, '@biomejs/wasm-nodejs/biome_wasm_bg.wasm'),
      glue: path.join(root, '@biomejs/wasm-nodejs/biome_wasm.js'),
      glueFlag: '--wasm-bindgen-glue',
    },
  ];
}

function pssKiB(pid) {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // gone
  }
}

function descendants(pid) {
  const found = [];
  const visit = (p) => {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8');
      } catch {}
      for (const child of children.split(' ').filter(Boolean)) {
        found.push(Number(child));
        visit(Number(child));
      }
    }
  };
  visit(pid);
  return found;
}

// One run under GNU time: wall time and %M, and with `sampled`, the peak summed Pss of what
// time runs.
function measureOnce(argv, sampled) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(TIME, ['-f', '%M', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakPss = 0;
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const sample = () => {
      const pss = descendants(child.pid).reduce((sum, pid) => sum + pssKiB(pid), 0);
      peakPss = Math.max(peakPss, pss);
    };
    const timer = sampled ? setInterval(sample, 4) : null;
    child.on('error', reject);
    child.on('close', (status) => {
      if (timer) clearInterval(timer);
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (status !== 0) return reject(new Error(`${argv.join(' ')} failed:\n${stderr}`));
      resolve({ elapsedMs, peakPss, maxRss: Number(stderr.trim().split('\n').at(-1)) });
    });
  });
}

function summarize(timed, sampled) {
  const times = timed.map((s) => s.elapsedMs).sort((a, b) => a - b);
  return {
    medianMs: +times[Math.floor(times.length / 2)].toFixed(1),
    minMs: +times[0].toFixed(1),
    peakPssKiB: Math.max(...sampled.map((s) => s.peakPss)),
    maxRssKiB: Math.max(...timed.map((s) => s.maxRss)),
  };
}

const inputs = [
  ...positionals.map((arg) => {
    const [wasm, glue] = arg.split(':');
    return { wasm, glue };
  }),
  ...(values.corpus ? corpusInputs() : []),
];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-bench-'));
const results = [];
try {
  for (const { wasm, glue, glueFlag = '--emscripten-glue' } of inputs) {
    const out = path.join(scratch, 'out.wasm');
    const wasmOptArgv = [values['wasm-opt'], '--all-features', wasm, '-o', out];
    const viewsanArgv = [values.instrument, wasm, '-o', out, ...(glue ? [glueFlag, glue] : [])];
    const timed = { wasmOpt: [], viewsan: [] };
    const sampled = { wasmOpt: [], viewsan: [] };
    for (let i = 0; i < runs; i++) {
      timed.wasmOpt.push(await measureOnce(wasmOptArgv, false));
      timed.viewsan.push(await measureOnce(viewsanArgv, false));
    }
    for (let i = 0; i < 2; i++) {
      sampled.wasmOpt.push(await measureOnce(wasmOptArgv, true));
      sampled.viewsan.push(await measureOnce(viewsanArgv, true));
    }
    const wasmOpt = summarize(timed.wasmOpt, sampled.wasmOpt);
    const viewsan = summarize(timed.viewsan, sampled.viewsan);
    results.push({
      module: path.relative(process.cwd(), wasm).replace(/^.*node_modules\//, ''),
      bytes: statSync(wasm).size,
      glue: glue ? path.basename(glue) : null,
      wasmOpt,
      viewsanInstrument: viewsan,
      timeRatio: +(viewsan.medianMs / wasmOpt.medianMs).toFixed(3),
      memoryRatio: +(viewsan.peakPssKiB / wasmOpt.peakPssKiB).toFixed(3),
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const largest = results.reduce((a, b) => (b.bytes > a.bytes ? b : a));
console.log(JSON.stringify({
  benchmark: 'instrument-time',
  runs,
  wasmOpt: 'wasm-opt --all-features IN -o OUT',
  cpus: os.cpus().length,
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  results,
  largest: {
    module: largest.module,
    timeRatio: largest.timeRatio,
    memoryRatio: largest.memoryRatio,
    target: { timeRatio: 1.2, memoryRatio: 1.5 },
    met: largest.timeRatio <= 1.2 && largest.memoryRatio <= 1.5,
  },
}, null, 2));
