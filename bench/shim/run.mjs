#!/usr/bin/env node
// What viewsan's hooks cost a program, against the two sanitizers Emscripten offers, in one run.
//
//   node bench/shim/run.mjs --instrument PATH [--runs N] [--asan-churn-runs N] [--steps N]
//                           [--kernel-mb N] [--kernel-reps N] [--work DIR]
//
// bench/shim/churn.c is built with emcc -O2 four ways:
//   plain         as is;
//   viewsan       the plain build run through viewsan-instrument, then run under the viewsan
//                 package's emscripten() glue (patchViews off), with the real viewsan-shim.wasm;
//   asan          -fsanitize=address;
//   safe-heap     -sSAFE_HEAP=1.
// Two more rows run the instrumented build with its hooks bound to other wasm functions:
// empty-hooks to functions that do nothing, what instrumentation costs before the shim does any
// work; live-set-hooks to bench/shim/live_set_hooks.c, which keeps only the set of live
// allocations' start addresses, the least a shim in another instance must do to judge frees (a
// floor for the real one, which also keeps ids, sizes, generations, sites and a quarantine).
// shim-in-module links the shim's sources into the program (bench/shim/in_module_hooks.c): the
// same registry with no call into another instance, which the hook ABI rules out.
// Each variant runs two workloads: `churn`, a random malloc/free churn (every step is one hooked
// call), and `kernel`, an RGBA invert over an 8 MiB image (no allocation at all). The variants run
// in turns, `runs` times each, after a warm-up; times are medians, and a ratio is the median of
// the ratios of each run to plain's run of the same turn (runs of one turn see the same load on a
// shared machine). The checksums of all variants must agree. AddressSanitizer's churn takes about a minute a run
// (its allocator records a stack trace at every malloc and free): it runs `asan-churn-runs` times.
//
// nsPerHook measures the hooks alone: bench/shim/replay.c calls viewsan.alloc/viewsan.free the way
// an instrumented module does (wasm to wasm), replaying a model allocator's pattern with about
// 2,000, 32,000 and 260,000 live allocations (the last a table past the caches), once bound to
// the shim and once to functions that do nothing; the difference per call is the hook's cost.
// `inChurn` is the same figure derived from the churn workload: (viewsan - plain) / hooked calls,
// which includes what instrumentation adds around each call. The replay runs with the shim of heaps that threads share too
// (viewsan-shim-shared.wasm: the heap lock taken by every hook), to show what one registry for
// all threads costs a hook.
//
// Prints JSON on stdout; progress goes to stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { emscripten } from 'viewsan';

import { median } from '../lib/median.mjs';
import { State } from '../../runtime-shim/js/src/shim-layout.js';
import { SHARED_SHIM_MEMORY } from '../../runtime-shim/js/src/shim.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const { values } = parseArgs({
  options: {
    instrument: { type: 'string' },
    runs: { type: 'string', default: '7' },
    'asan-churn-runs': { type: 'string', default: '1' },
    steps: { type: 'string', default: '2000000' },
    'kernel-mb': { type: 'string', default: '8' },
    'kernel-reps': { type: 'string', default: '16' },
    work: { type: 'string' },
  },
});
if (!values.instrument) {
  console.error('usage: run.mjs --instrument PATH [--runs N] [--asan-churn-runs N] [--steps N] ' +
    '[--kernel-mb N] [--kernel-reps N] [--work DIR]');
  process.exit(2);
}
const runs = Number(values.runs);
const steps = Number(values.steps);
const kernelBytes = Number(values['kernel-mb']) * 1024 * 1024;
const kernelReps = Number(values['kernel-reps']);
const SEED = 20240;

const work = values.work ?? mkdtempSync(path.join(os.tmpdir(), 'viewsan-bench-shim-'));
mkdirSync(work, { recursive: true });
const log = (message) => process.stderr.write(`bench/shim: ${message}\n`);

function run(argv) {
  const child = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: '/usr/share/nodejs' },  // Debian emcc's JS optimizer
  });
  if (child.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${child.stderr}`);
  return child;
}

// ---- build -------------------------------------------------------------------------------------

const CHURN_C = path.join(here, 'churn.c');
const COMMON = [
  '-O2', '-sMODULARIZE=1', '-sENVIRONMENT=node', '-sALLOW_MEMORY_GROWTH=1',
  '-sEXPORTED_FUNCTIONS=_churn,_kernel_setup,_kernel,_malloc,_free',
];
const VARIANTS = [
  { name: 'plain', flags: [] },
  { name: 'viewsan', from: 'plain' },
  { name: 'empty-hooks', from: 'plain' },
  { name: 'live-set-hooks', from: 'plain' },
  { name: 'shim-in-module', build: buildShimInModule },
  { name: 'asan', flags: ['-fsanitize=address'], churnRuns: Number(values['asan-churn-runs']) },
  { name: 'safe-heap', flags: ['-sSAFE_HEAP=1'] },
];

const SHIM_ROOT = path.join(here, '../../runtime-shim');

// churn.c with malloc and free going through in_module_hooks.c into the shim's sources.
function buildShimInModule() {
  log('emcc churn.c + runtime-shim/src (one module)');
  const churnObject = path.join(work, 'churn-in-module.o');
  const hooksObject = path.join(work, 'in-module-hooks.o');
  run(['emcc', CHURN_C, '-O2', '-c', '-Dmalloc=in_module_malloc', '-Dfree=in_module_free', '-o', churnObject]);
  run(['emcc', path.join(here, 'in_module_hooks.c'), '-O2', '-c', '-o', hooksObject]);
  const shimSources = readdirSync(path.join(SHIM_ROOT, 'src'))
    .filter((file) => file.endsWith('.cpp'))
    .map((file) => path.join(SHIM_ROOT, 'src', file));
  run(['emcc', churnObject, hooksObject, ...shimSources, '-std=c++17', '-fno-exceptions', '-fno-rtti',
    `-I${path.join(SHIM_ROOT, 'include')}`, `-I${path.join(SHIM_ROOT, 'src')}`, ...COMMON,
    // The shim's env imports (vs_on_error, vs_now, vs_fill_freed) are never called here: no bad
    // free, events off, no fill. Emscripten's glue stubs them.
    '-sERROR_ON_UNDEFINED_SYMBOLS=0', '-sWARN_ON_UNDEFINED_SYMBOLS=0',
    '-sEXPORTED_FUNCTIONS=_churn,_kernel_setup,_kernel,_malloc,_free,_vs_state_ptr',
    '-sEXPORT_NAME=create_shim_in_module', '-o', path.join(work, 'shim-in-module.js')]);
}

function build() {
  for (const variant of VARIANTS) {
    if (variant.from) continue;
    if (variant.build) {
      variant.build();
      continue;
    }
    log(`emcc churn.c ${variant.flags.join(' ') || '(plain)'}`);
    run(['emcc', CHURN_C, ...COMMON, ...variant.flags, `-sEXPORT_NAME=create_${variant.name.replaceAll('-', '_')}`,
      '-o', path.join(work, `${variant.name}.js`)]);
  }
  log('viewsan-instrument plain.wasm');
  run([values.instrument, path.join(work, 'plain.wasm'), '-o', path.join(work, 'plain.vs.wasm')]);
  log('emcc replay.c');
  run(['emcc', path.join(here, 'replay.c'), '-O2', '-sSTANDALONE_WASM', '--no-entry',
    '-sERROR_ON_UNDEFINED_SYMBOLS=0', '-sWARN_ON_UNDEFINED_SYMBOLS=0',
    '-o', path.join(work, 'replay.wasm')]);
  log('emcc live_set_hooks.c');
  run(['emcc', path.join(here, 'live_set_hooks.c'), '-O2', '-sSTANDALONE_WASM', '--no-entry',
    '-sALLOW_MEMORY_GROWTH', '-sERROR_ON_UNDEFINED_SYMBOLS=0', '-sWARN_ON_UNDEFINED_SYMBOLS=0',
    '-o', path.join(work, 'live_set_hooks.wasm')]);
}

// ---- the variants ------------------------------------------------------------------------------

// Hooks that do nothing, wasm functions like the shim's: replay.c's noop_alloc and noop_free.
function emptyHooks() {
  const replay = new WebAssembly.Module(readFileSync(path.join(work, 'replay.wasm')));
  const x = new WebAssembly.Instance(replay, {
    viewsan: { alloc() {}, free() {} },
    wasi_snapshot_preview1: { proc_exit() { throw new Error('proc_exit'); } },
    env: { emscripten_notify_memory_growth() {} },
  }).exports;
  return { alloc: x.noop_alloc, free: x.noop_free };
}

// Hooks that keep only the live allocations' start addresses (live_set_hooks.c).
function liveSetHooks() {
  const x = new WebAssembly.Instance(
    new WebAssembly.Module(readFileSync(path.join(work, 'live_set_hooks.wasm'))),
    { env: { emscripten_notify_memory_growth() {} } }).exports;
  return { alloc: x.live_set_alloc, free: x.live_set_free, badFrees: x.live_set_bad_frees };
}

async function load(variant) {
  const bound = { 'empty-hooks': emptyHooks, 'live-set-hooks': liveSetHooks }[variant.name];
  if (bound) {
    const factory = require(path.join(work, 'plain.js'));
    const bytes = readFileSync(path.join(work, 'plain.vs.wasm'));
    const { badFrees, ...hooks } = bound();
    const app = await factory({
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(bytes, { ...imports, viewsan: hooks })
          .then(({ instance, module }) => receive(instance, module));
        return {};
      },
    });
    return { app, session: null, badFrees };
  }
  if (variant.name === 'viewsan') {
    const factory = require(path.join(work, 'plain.js'));
    const glue = emscripten({ wasmBinary: readFileSync(path.join(work, 'plain.vs.wasm')), patchViews: false });
    const app = await factory({ ...glue });
    return { app, session: glue.session };
  }
  const factory = require(path.join(work, `${variant.name}.js`));
  const app = await factory({ wasmBinary: readFileSync(path.join(work, `${variant.name}.wasm`)) });
  return { app, session: null };
}

function time(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

const round = (x, digits = 2) => Number(x.toFixed(digits));

async function measureVariants() {
  const loaded = [];
  for (const variant of VARIANTS) {
    const { app, session, badFrees } = await load(variant);
    const pixels = app._kernel_setup(kernelBytes);
    if (!pixels) throw new Error(`${variant.name}: kernel_setup could not allocate`);
    // Warm-up: V8 compiles hot functions again, optimised, while they first run.
    const warmSteps = Math.min(steps, variant.churnRuns !== undefined ? 20000 : 200000);
    for (let i = 0; i < 2; i++) {
      app._churn(warmSteps, SEED + 1);
      app._kernel(pixels, kernelBytes, 1);
    }
    loaded.push({ variant, app, session, badFrees, pixels, churn: [], kernel: [], checksums: new Set() });
  }
  // Hooked calls per churn run, counted by the shim.
  const viewsan = loaded.find((l) => l.variant.name === 'viewsan');
  const before = viewsan.session.stats();

  for (let r = 0; r < runs; r++) {
    for (const l of loaded) {
      const kernel = time(() => l.app._kernel(l.pixels, kernelBytes, kernelReps));
      l.kernel.push(kernel.ms);
      l.checksums.add(`kernel ${kernel.result >>> 0}`);
      let message = `run ${r + 1}/${runs} ${l.variant.name}: kernel ${kernel.ms.toFixed(1)} ms`;
      if (r < (l.variant.churnRuns ?? runs)) {
        const churn = time(() => l.app._churn(steps, SEED));
        l.churn.push(churn.ms);
        l.checksums.add(`churn ${churn.result >>> 0}`);
        message += `, churn ${churn.ms.toFixed(1)} ms`;
      }
      log(message);
    }
  }
  const after = viewsan.session.stats();
  const hooksPerChurn = (after.allocs + after.frees + after.reallocs - before.allocs - before.frees - before.reallocs) / runs;

  const checksums = new Set(loaded.flatMap((l) => [...l.checksums]));
  if (checksums.size !== 2) throw new Error(`the variants disagree: checksums ${[...checksums].join(', ')}`);
  if (after.errors !== 0) throw new Error(`viewsan reported ${after.errors} errors on a correct program`);
  for (const l of loaded) {
    if (l.badFrees && l.badFrees() !== 0) throw new Error(`${l.variant.name} saw ${l.badFrees()} bad frees`);
  }
  // The shim linked into the program saw the churn, and nothing wrong in it.
  const inModule = loaded.find((l) => l.variant.name === 'shim-in-module').app;
  const inModuleState = (offset) => inModule.HEAPU32[(inModule._vs_state_ptr() + offset) >>> 2];
  if (inModuleState(State.ALLOCS) < hooksPerChurn / 2 || inModuleState(State.ERRORS) !== 0) {
    throw new Error(`shim-in-module: ${inModuleState(State.ALLOCS)} allocations, ${inModuleState(State.ERRORS)} errors`);
  }

  const plain = loaded.find((l) => l.variant.name === 'plain');
  const plainChurn = median(plain.churn);
  const ratio = (times, plainTimes) => median(times.map((t, r) => t / plainTimes[r]));
  const results = loaded.map((l) => ({
    variant: l.variant.name,
    churnMs: round(median(l.churn)),
    kernelMs: round(median(l.kernel)),
    churnRatio: round(ratio(l.churn, plain.churn), 3),
    kernelRatio: round(ratio(l.kernel, plain.kernel), 3),
    churnRuns: l.churn.length,
  }));
  const inChurn = (median(viewsan.churn) - plainChurn) * 1e6 / hooksPerChurn;
  return { results, hooksPerChurn, inChurn };
}

// ---- hooks alone -------------------------------------------------------------------------------

function measureHooks() {
  const replay = new WebAssembly.Module(readFileSync(path.join(work, 'replay.wasm')));
  const shim = new WebAssembly.Module(readFileSync(require.resolve('viewsan/viewsan-shim.wasm')));
  const wasi = { proc_exit() { throw new Error('proc_exit'); } };
  const instance = (hooks) => new WebAssembly.Instance(replay, {
    viewsan: hooks, wasi_snapshot_preview1: wasi, env: { emscripten_notify_memory_growth() {} },
  }).exports;
  // The shim of heaps that threads share: the same registry behind a heap lock, over a shared memory.
  const sharedShim = new WebAssembly.Module(readFileSync(require.resolve('viewsan/viewsan-shim-shared.wasm')));
  const shimEnv = {
    vs_on_error() {}, vs_now: () => 0, vs_fill_freed() {}, vs_on_events_full() {}, emscripten_notify_memory_growth() {},
  };
  const shims = {
    private: () => new WebAssembly.Instance(shim, { env: shimEnv }).exports,
    shared: () => new WebAssembly.Instance(sharedShim, {
      env: { ...shimEnv, memory: new WebAssembly.Memory(SHARED_SHIM_MEMORY) },
    }).exports,
  };
  const noop = emptyHooks();

  const out = [];
  const replaySteps = 1_000_000;
  for (const [variant, freshShim] of Object.entries(shims)) for (const slots of [4096, 65536, 524288]) {
    const x = freshShim();
    const bound = instance({ alloc: x.vs_hook_alloc, free: x.vs_hook_free });
    const unbound = instance(noop);
    bound.replay(replaySteps, slots, 1);  // warm-up, and the shim's tables grow
    unbound.replay(replaySteps, slots, 1);
    const times = { bound: [], unbound: [] };
    let calls = 0;
    for (let r = 0; r < Math.max(runs, 5); r++) {
      const a = time(() => bound.replay(replaySteps, slots, r + 2));
      const b = time(() => unbound.replay(replaySteps, slots, r + 2));
      times.bound.push(a.ms);
      times.unbound.push(b.ms);
      calls = a.result;
    }
    const ns = (median(times.bound) - median(times.unbound)) * 1e6 / calls;
    out.push({ shim: variant, liveAllocations: slots / 2, ns: round(ns, 1) });
    log(`replay, ${variant} shim, about ${slots / 2} live: ${ns.toFixed(1)} ns per hook`);
  }
  return out;
}

// ---- main --------------------------------------------------------------------------------------

try {
  build();
  const { results, hooksPerChurn, inChurn } = await measureVariants();
  const replay = measureHooks();
  console.log(JSON.stringify({
    benchmark: 'shim-hooks',
    runs,
    churnSteps: steps,
    kernelBytes,
    kernelReps,
    results,
    nsPerHook: { replay, inChurn: round(inChurn, 1), hooksPerChurn },
  }, null, 2));
} finally {
  if (!values.work) rmSync(work, { recursive: true, force: true });
}
