#!/usr/bin/env node
// Equivalence fuzzing: modules that `wasm-opt -ttf` makes from seeded random bytes, each
// instrumented by viewsan-instrument, must behave exactly as the originals when the hooks do
// nothing: every export returns the same value or traps the same way, with the same calls to
// the fuzzer's logging imports, and memory ends up the same. Most modules start from seed.wat,
// whose allocators and memory.grow the random code then calls (Binaryen 108's fuzzer writes no
// memory.grow of its own); in every module, some random exports are named as allocators with
// --alloc, --free and --realloc, so that the wrappers run over random code too.
//
//   node equivalence.mjs [--count N] [--seed S] [--first I] [--jobs J]
//                        [--instrument PATH] [--wasm-opt PATH] [--keep DIR]
//
// Case I of seed S is always the same module, so a mismatch is reproduced with
// `--seed S --first I --count 1`. The files of every mismatch are kept in DIR (by default a new
// directory under the system's temporary one), and the last line printed is a JSON summary. The
// exit status is 1 when any case mismatched or failed to instrument.
//
// An export that exhausts the stack in either module ends the comparison of that module without
// a verdict: the instrumented code has more frames, so the depth at which the engine gives up
// may differ. Those modules are counted as inconclusive.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    first: { type: 'string', default: '0' },
    jobs: { type: 'string', default: '2' },
    instrument: { type: 'string', default: process.env.VIEWSAN_INSTRUMENT ?? 'viewsan-instrument' },
    'wasm-opt': { type: 'string', default: process.env.WASM_OPT ?? 'wasm-opt' },
    keep: { type: 'string' },
  },
});
const SEED_MODULE = fileURLToPath(new URL('seed.wat', import.meta.url));
const count = Number(options.count);
const seed = Number(options.seed);
const first = Number(options.first);
const jobs = Math.max(1, Number(options.jobs));

// The features Node 20 runs. Binaryen 108's reference types come with typed function
// references, which V8 does not take without a flag.
const FEATURES = ['--enable-simd', '--enable-bulk-memory', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-mutable-globals', '--enable-multivalue',
  '--enable-tail-call', '--enable-exception-handling', '--enable-threads'];

// A small seeded generator (mulberry32), one stream per case.
function random(caseSeed) {
  let a = caseSeed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const caseSeed = (index) => Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

// --- the export signatures, read from the binary (the JS API has no type reflection) ---

const VALUE_TYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
  0x70: 'funcref', 0x6f: 'externref' };

function exportSignatures(bytes) {
  let at = 8;
  const u32 = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  };
  const name = () => {
    const length = u32();
    const text = new TextDecoder().decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  const limits = () => {
    const flags = bytes[at++];
    u32();
    if (flags & 1) u32();
  };
  const types = [], functionTypes = [], exports = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u32();
    const end = at + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        at++; // 0x60
        const params = Array.from({ length: u32() }, () => VALUE_TYPES[bytes[at++]]);
        const results = Array.from({ length: u32() }, () => VALUE_TYPES[bytes[at++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) functionTypes.push(u32());
        else if (kind === 1) { at++; limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) at += 2;
        else if (kind === 4) { at++; u32(); }
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) functionTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const exportName = name();
        const kind = bytes[at++];
        const index = u32();
        if (kind === 0) exports.push({ name: exportName, index, ...types[functionTypes[index]] });
      }
    }
    at = end;
  }
  return exports;
}

// --- picking allocators among the exports ---

const HARNESS = new Set(['hashMemory', 'hangLimitInitializer']);
// The seed's exports, hooked by name already.
const SEEDED = new Set(['malloc', 'free', 'calloc', 'realloc', 'posix_memalign',
  '__wbindgen_malloc', '__wbindgen_free', 'grow']);

function pickAllocators(exports, rng) {
  const fits = {
    alloc: (e) => e.params[0] === 'i32' && e.results.length === 1 && e.results[0] === 'i32',
    free: (e) => e.params[0] === 'i32' && e.results.length <= 1,
    realloc: (e) => e.params[0] === 'i32' && e.params[1] === 'i32' &&
      e.results.length === 1 && e.results[0] === 'i32',
  };
  const taken = new Set();
  const flags = [];
  for (const role of ['alloc', 'free', 'realloc']) {
    const candidates = exports.filter((e) =>
      !HARNESS.has(e.name) && !SEEDED.has(e.name) && !taken.has(e.index) && fits[role](e));
    if (candidates.length === 0 || rng() < 0.2) continue;
    const chosen = candidates[Math.floor(rng() * candidates.length)];
    taken.add(chosen.index);
    flags.push(`--${role}`, chosen.name);
  }
  return flags;
}

// --- running both modules and comparing ---

const ARGUMENTS = {
  zero: { i32: 0, i64: 0n, f32: 0, f64: 0, v128: 0, funcref: null, externref: null },
  fixed: { i32: 1234, i64: 5678n, f32: 3.5, f64: -2.25, v128: 0, funcref: null, externref: null },
};

function outcome(thunk) {
  try {
    const value = thunk();
    return { value: Array.isArray(value) ? value : [value] };
  } catch (error) {
    const stack = error instanceof RangeError && /call stack/.test(error.message);
    const kind = error instanceof WebAssembly.Exception ? 'WebAssembly.Exception' : error?.constructor?.name;
    return { error: `${kind}: ${error instanceof WebAssembly.Exception ? '' : error?.message}`, stack };
  }
}

function same(a, b) {
  if (a === b || Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return false;
}

function instantiate(module, log, hooks) {
  const logger = (type) => (value) => { log.push([type, value]); };
  const imports = {
    'fuzzing-support': Object.fromEntries(
      ['i32', 'i64', 'f32', 'f64', 'v128', 'anyref', 'funcref'].map((t) => [`log-${t}`, logger(t)])),
  };
  if (hooks) imports.viewsan = hooks;
  return new WebAssembly.Instance(module, imports);
}

function noopHooks(counts) {
  const count = (name) => () => { counts[name] = (counts[name] ?? 0) + 1; };
  return { alloc: count('alloc'), free: count('free'), realloc: count('realloc'),
    grow_begin: count('grow'), grow_end() {} };
}

// Returns { verdict: 'same' | 'mismatch' | 'inconclusive', calls, detail }.
function compare(originalBytes, instrumentedBytes, exports, counts) {
  const logs = [[], []];
  let instances;
  try {
    instances = [instantiate(new WebAssembly.Module(originalBytes), logs[0]),
      instantiate(new WebAssembly.Module(instrumentedBytes), logs[1], noopHooks(counts))];
  } catch (error) {
    return { verdict: 'mismatch', calls: 0, detail: `cannot instantiate: ${error.message}` };
  }
  let calls = 0;
  for (const entry of exports) {
    if (HARNESS.has(entry.name)) continue;
    for (const [argsName, table] of Object.entries(ARGUMENTS)) {
      const args = entry.params.map((type) => table[type]);
      const results = instances.map((instance, i) => {
        instance.exports.hangLimitInitializer?.();
        const before = logs[i].length;
        const result = outcome(() => instance.exports[entry.name](...args));
        return { ...result, log: logs[i].slice(before) };
      });
      calls++;
      if (results.some((r) => r.stack)) {
        return { verdict: 'inconclusive', calls, detail: `${entry.name}: stack exhausted` };
      }
      const [a, b] = results;
      if (!same(a.value, b.value) || a.error !== b.error || !same(a.log, b.log)) {
        return { verdict: 'mismatch', calls,
          detail: `${entry.name}(${argsName} arguments): ${JSON.stringify(a, big)} vs ${JSON.stringify(b, big)}` };
      }
    }
  }
  const memories = instances.map((instance) => instance.exports.memory &&
    Buffer.from(instance.exports.memory.buffer));
  if (memories[0] && !memories[0].equals(memories[1])) {
    const at = memories[0].findIndex((byte, i) => byte !== memories[1][i]);
    return { verdict: 'mismatch', calls, detail: `memory differs at the end: ` +
      `${memories[0].length} and ${memories[1].length} bytes, first difference at ${at}` };
  }
  return { verdict: 'same', calls };
}
const big = (_, value) => (typeof value === 'bigint' ? `${value}n` : value);

// --- the driver ---

const scratch = mkdtempSync(join(tmpdir(), 'viewsan-fuzz-'));
const summary = { seed, first, count, compared: 0, same: 0, inconclusive: 0, mismatches: [],
  instrumentFailures: [], exportCalls: 0, withAllocators: 0, withMemoryGrow: 0,
  hookCalls: {} };

async function prepare(index) {
  const rng = random(caseSeed(index));
  const bytes = Buffer.alloc(1024 + Math.floor(rng() * 7168));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
  const base = join(scratch, `case-${index}`);
  writeFileSync(`${base}.dat`, bytes);
  // Most modules start from the seed's allocators; half keep a name section.
  const generate = [`${base}.dat`, '-ttf', ...FEATURES, '-o', `${base}.wasm`];
  if (rng() < 0.7) generate.push(`--initial-fuzz=${SEED_MODULE}`);
  if (rng() < 0.5) generate.push('-g');
  const made = await run(options['wasm-opt'], generate);
  if (made.status !== 0) throw new Error(`wasm-opt -ttf failed on case ${index}:\n${made.stderr}`);
  const original = readFileSync(`${base}.wasm`);
  const exports = exportSignatures(original);
  const flags = pickAllocators(exports, rng);
  const instrumented = await run(options.instrument, [`${base}.wasm`, '-o', `${base}.vs.wasm`, ...flags]);
  return { index, base, original, exports, flags, instrumented };
}

function keep(base, index, detail, flags) {
  const dir = options.keep ?? join(tmpdir(), `viewsan-fuzz-failures-${seed}`);
  mkdirSync(dir, { recursive: true });
  for (const suffix of ['.dat', '.wasm', '.vs.wasm']) {
    try { copyFileSync(`${base}${suffix}`, join(dir, `case-${index}${suffix}`)); } catch {}
  }
  writeFileSync(join(dir, `case-${index}.txt`), `${flags.join(' ')}\n${detail}\n`);
  return dir;
}

function finish({ index, base, original, exports, flags, instrumented }) {
  if (instrumented.status !== 0) {
    const dir = keep(base, index, instrumented.stderr, flags);
    summary.instrumentFailures.push({ case: index, flags, stderr: instrumented.stderr.trim(), kept: dir });
  } else {
    const instrumentedBytes = readFileSync(`${base}.vs.wasm`);
    const module = new WebAssembly.Module(instrumentedBytes);
    const [section] = WebAssembly.Module.customSections(module, 'viewsan.sites');
    const sites = JSON.parse(new TextDecoder().decode(section)).sites;
    if (flags.length > 0 || sites.some((s) => s.kind !== 'memory.grow')) summary.withAllocators++;
    if (sites.some((s) => s.kind === 'memory.grow')) summary.withMemoryGrow++;
    const result = compare(original, instrumentedBytes, exports, summary.hookCalls);
    summary.compared++;
    summary.exportCalls += result.calls;
    if (result.verdict === 'same') summary.same++;
    if (result.verdict === 'inconclusive') summary.inconclusive++;
    if (result.verdict === 'mismatch') {
      const dir = keep(base, index, result.detail, flags);
      summary.mismatches.push({ case: index, flags, detail: result.detail, kept: dir });
      console.log(`case ${index}: MISMATCH ${result.detail} (files in ${dir})`);
    }
  }
  for (const suffix of ['.dat', '.wasm', '.vs.wasm']) rmSync(`${base}${suffix}`, { force: true });
}

const started = Date.now();
let next = first;
const inFlight = new Map();
const launch = () => {
  const index = next++;
  inFlight.set(index, prepare(index));
};
while (next < first + count && inFlight.size < jobs) launch();
for (let index = first; index < first + count; index++) {
  const prepared = await inFlight.get(index);
  inFlight.delete(index);
  if (next < first + count) launch();
  finish(prepared);
  if ((index - first + 1) % 1000 === 0) {
    console.log(`${index - first + 1} modules, ${summary.mismatches.length} mismatches`);
  }
}
rmSync(scratch, { recursive: true, force: true });
summary.seconds = Math.round((Date.now() - started) / 100) / 10;
console.log(`${summary.compared} modules compared: ${summary.same} the same, ` +
  `${summary.inconclusive} inconclusive (stack exhausted), ${summary.mismatches.length} mismatched, ` +
  `${summary.instrumentFailures.length} failed to instrument; ${summary.exportCalls} export calls; ` +
  `${summary.withAllocators} with allocators named, ${summary.withMemoryGrow} with memory.grow`);
console.log(JSON.stringify(summary));
process.exitCode = summary.mismatches.length || summary.instrumentFailures.length ? 1 : 0;
