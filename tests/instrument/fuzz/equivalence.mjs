#!/usr/bin/env node
// Equivalence fuzzing: modules that Binaryen 132's `wasm-opt -ttf` makes from seeded random bytes
// are instrumented by viewsan-instrument, with some random exports named as allocators by --alloc,
// --free and --realloc so that the wrappers run over random code too. Each case draws one of two
// feature profiles:
//
//   v8            the features Node 20 (V8 11.3) runs: reference types, SIMD, relaxed SIMD, bulk
//                 memory, sign extension, non-trapping float-to-int, mutable globals, multivalue,
//                 tail calls, threads, extended constants. The output must validate in Binaryen
//                 132 and compile in V8, and with hooks that do nothing it must behave exactly as
//                 the original: a start function traps or not alike, every export returns the
//                 same value or traps the same way, with the same calls to the fuzzer's imports
//                 (those of Binaryen's scripts/fuzz_shell.js), and memory, exported globals and
//                 tables end up the same. Exception handling is left out: Binaryen 132's fuzzer
//                 always pairs it with exnref, which V8 11.3 lacks.
//   all-features  every feature Binaryen 132 has (GC, exnref, strings, memory64, multi-memory,
//                 custom descriptors, shared-everything, stack switching, compact imports, ...),
//                 which V8 11.3 cannot compile even behind its flags: the output must validate
//                 in Binaryen 132, with the features its target_features section declares when it
//                 has one, and otherwise with those the original was generated with.
//
// Half the cases of each profile use all of its features, the other half a random subset, so that
// a gap in one feature does not hide the rest and the features the tool writes are checked
// against what each module holds; half declare their features in a target_features section.
// Most modules start from seed.wat (or seed-memory64.wat), whose allocators and memory.grow the
// random code then calls (Binaryen 132's fuzzer writes no memory.grow of its own); a few
// all-features modules start from seed-two-memories.wat, which viewsan-instrument refuses.
//
//   node equivalence.mjs [--count N] [--seed S] [--first I] [--jobs J]
//                        [--profile mixed|v8|all-features] [--instrument PATH]
//                        [--wasm-opt PATH (Binaryen 132)] [--keep DIR]
//
// Case I of seed S is always the same module, so a failure is reproduced with
// `--seed S --first I --count 1`. The files of every failure are kept in DIR (by default a new
// directory under the system's temporary one), and the last line printed is a JSON summary. The
// exit status is 1 when any case failed: a mismatch, an output that does not validate or that V8
// does not compile, a crash, a timeout, an internal error, an input rejected for a reason that is
// not a documented refusal, or -ttf failing to make a module.
//
// Outcomes that are not failures are counted apart: a documented refusal (multi-memory, or an
// input that -ttf wrote and that Binaryen 132 itself finds invalid), an
// original that V8 cannot compile (Binaryen 132 writes ref.as_non_null with reference types
// alone, which V8 11.3 takes only as typed function references), and an export that exhausts the
// stack in either module, which ends the comparison of that module without a verdict (the
// instrumented code has more frames, so the depth at which the engine gives up may differ).
// Exports whose signatures JS cannot call (v128) are skipped and counted.

import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { customSection, readModule, withMemoryExport } from './wasm-module.mjs';

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    first: { type: 'string', default: '0' },
    jobs: { type: 'string', default: '2' },
    profile: { type: 'string', default: 'mixed' },
    instrument: { type: 'string', default: process.env.VIEWSAN_INSTRUMENT ?? 'viewsan-instrument' },
    'wasm-opt': { type: 'string', default: process.env.WASM_OPT_132 ?? 'wasm-opt' },
    keep: { type: 'string' },
  },
});
const seedFile = (name) => fileURLToPath(new URL(name, import.meta.url));
const SEEDS = { i32: seedFile('seed.wat'), i64: seedFile('seed-memory64.wat'),
  twoMemories: seedFile('seed-two-memories.wat') };
const count = Number(options.count);
const seed = Number(options.seed);
const first = Number(options.first);
const jobs = Math.max(1, Number(options.jobs));
if (!['mixed', 'v8', 'all-features'].includes(options.profile)) {
  throw new Error(`--profile must be mixed, v8 or all-features, not ${options.profile}`);
}

// V8 11.3 has extended constants and relaxed SIMD behind flags; their encodings are final, and
// the flags are read when a module is compiled, so setting them here is enough.
v8.setFlagsFromString('--experimental-wasm-extended-const');
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

// Binaryen 132's feature names. Bulk memory stays in every set, as the seeds use memory.fill and
// memory.copy; without reference types, -ttf asserts when GC, exception handling (which always
// brings an exnref table) or strings are on, so dropping it drops them.
const V8_FEATURES = ['sign-ext', 'mutable-globals', 'nontrapping-float-to-int', 'bulk-memory',
  'simd', 'relaxed-simd', 'multivalue', 'tail-call', 'threads', 'reference-types',
  'extended-const'];
const OPTIONAL_FEATURES = ['reference-types', 'simd', 'relaxed-simd', 'multivalue', 'tail-call',
  'threads', 'extended-const', 'exception-handling', 'gc', 'memory64', 'strings', 'multimemory',
  'stack-switching', 'shared-everything', 'fp16', 'custom-descriptors', 'multibyte',
  'acquire-release-atomics', 'custom-page-sizes', 'wide-arithmetic', 'compact-imports',
  'relaxed-atomics'];
const NEED_REFERENCE_TYPES = ['gc', 'exception-handling', 'strings'];

function chooseFeatures(profile, rng) {
  const candidates = profile === 'v8' ? V8_FEATURES : OPTIONAL_FEATURES;
  const dropped = new Set(rng() < 0.5 ? [] : candidates.filter(
    (name) => name !== 'bulk-memory' && rng() < 0.3));
  if (dropped.has('reference-types')) NEED_REFERENCE_TYPES.forEach((name) => dropped.add(name));
  const has = (name) => (profile === 'v8' ? V8_FEATURES.includes(name) : true) && !dropped.has(name);
  const flags = profile === 'v8'
    ? ['--mvp-features', ...V8_FEATURES.filter((name) => !dropped.has(name)).map((name) => `--enable-${name}`)]
    : ['--all-features', ...[...dropped].map((name) => `--disable-${name}`)];
  return { flags, has, subset: dropped.size > 0 };
}

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

// A child that runs longer than this is taken to hang.
const CHILD_TIMEOUT_MS = 60_000;

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: CHILD_TIMEOUT_MS });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stderr }));
  });
}

// --- picking allocators among the exports ---

// The seeds' exports, hooked by name already.
const SEEDED = new Set(['malloc', 'free', 'calloc', 'realloc', 'posix_memalign',
  '__wbindgen_malloc', '__wbindgen_free', 'grow', 'grow_scratch']);

function pickAllocators(module, rng) {
  const address = module.memories[0]?.is64 ? 'i64' : 'i32';
  const fits = {
    alloc: (s) => s.params[0] === address && s.results.length === 1 && s.results[0] === address,
    free: (s) => s.params[0] === address && s.results.length <= 1,
    realloc: (s) => s.params[0] === address && s.params[1] === address &&
      s.results.length === 1 && s.results[0] === address,
  };
  const functions = module.exports.filter((e) => e.kind === 'function' &&
    e.index >= module.importedFunctions && !SEEDED.has(e.name));
  const taken = new Set();
  const flags = [];
  for (const role of ['alloc', 'free', 'realloc']) {
    const candidates = functions.filter((e) => !taken.has(e.index) && fits[role](module.functions[e.index]));
    if (candidates.length === 0 || rng() < 0.2) continue;
    const chosen = candidates[Math.floor(rng() * candidates.length)];
    taken.add(chosen.index);
    flags.push(`--${role}`, chosen.name);
  }
  return flags;
}

// --- running both modules in V8 and comparing ---

// Types JS can pass to and take from an export in Node 20.
const JS_TYPES = new Set(['i32', 'i64', 'f32', 'f64', 'funcref', 'externref']);
const MEMORY_EXPORT = '__fuzz_memory';
const HOST_LIMITS = /Maximum call stack size exceeded|out of memory|requested new array is too large/;

// Values as logged and compared: references by what JS can see of them, since the two instances'
// functions and objects are never the same.
function comparable(value) {
  if (value === null || typeof value !== 'object' && typeof value !== 'function') return value;
  if (typeof value === 'function') return 'function';
  if (Object.hasOwn(value, 'payload')) return `externref(${value.payload})`;
  return 'object';
}

// The imports of Binaryen 132's fuzzer (its scripts/fuzz_shell.js), for one instance whose exports
// `self` holds once it exists.
function fuzzerImports(module, self, log) {
  const wasmTag = new WebAssembly.Tag({ parameters: ['i32'] });
  self.wasmTag = wasmTag;
  const callable = (value) => {
    if (typeof value !== 'function') throw new TypeError('not a function');
    return value(...Array.from({ length: value.length }, () => null));
  };
  // Exceptions come back as 1; traps and the engine's limits go on unwinding.
  const caught = (thunk) => {
    try {
      thunk();
      return 0;
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || HOST_LIMITS.test(String(error))) throw error;
      return 1;
    }
  };
  const support = {
    throw: (which) => {
      if (!which) throw new Error('js exception');
      throw new WebAssembly.Exception(wasmTag, [which]);
    },
    'table-get': (index) => self.exports.table.get(index >>> 0),
    'table-set': (index, value) => { self.exports.table.set(index >>> 0, value); },
    'call-export': (index) => { callable(self.exportList[index]); },
    'call-export-catch': (index) => caught(() => callable(self.exportList[index])),
    'call-ref': (ref) => { callable(ref); },
    'call-ref-catch': (ref) => caught(() => callable(ref)),
    sleep: (ms, id) => id,
    wasmtag: wasmTag,
  };
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    let value;
    if (from === 'fuzzing-support' && name.startsWith('log-')) {
      value = (x) => { log.push([name, comparable(x)]); };
    } else if (from === 'fuzzing-support' && name in support) {
      value = support[name];
    } else if (kind === 'global') {
      // An externref whose payload is derived from the import's names, as fuzz_shell.js does.
      let payload = 0;
      for (const c of from + name) payload = (payload + c.charCodeAt(0)) % 251;
      value = { payload };
    } else {
      continue; // viewsan's hooks, added by the caller; anything else fails to instantiate
    }
    (imports[from] ??= {})[name] = value;
  }
  return imports;
}

function noopHooks(counts) {
  const count = (name) => () => { counts[name] = (counts[name] ?? 0) + 1; };
  const hooks = { alloc: count('alloc'), free: count('free'), realloc: count('realloc'),
    grow_begin: count('grow'), grow_end() {} };
  for (const [name, hook] of Object.entries(hooks)) hooks[`${name}64`] = hook;
  return hooks;
}

// The fuzzer may add a start function, which runs (and may trap) before the exports exist.
function instantiate(module, log, hooks) {
  const self = { exportList: [] };
  const imports = fuzzerImports(module, self, log);
  if (hooks) imports.viewsan = hooks;
  const started = outcome(self, () => {
    const instance = new WebAssembly.Instance(module, imports);
    self.exports = instance.exports;
    self.exportList = WebAssembly.Module.exports(module).map(({ name }) => instance.exports[name]);
  });
  return { self, started: { ...started, log: log.slice() } };
}

function outcome(self, thunk) {
  try {
    const value = thunk();
    return { value: (Array.isArray(value) ? value : [value]).map(comparable) };
  } catch (error) {
    const stack = error instanceof RangeError && /call stack/.test(error.message);
    if (error instanceof WebAssembly.Exception) {
      const argument = error.is(self.wasmTag) ? error.getArg(self.wasmTag, 0) : '?';
      return { error: `WebAssembly.Exception(${argument})`, stack };
    }
    return { error: `${error?.constructor?.name}: ${error?.message}`, stack };
  }
}

function same(a, b) {
  if (a === b || Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return false;
}

const ARGUMENTS = {
  zero: { i32: 0, i64: 0n, f32: 0, f64: 0, funcref: null, externref: null },
  fixed: { i32: 1234, i64: 5678n, f32: 3.5, f64: -2.25, funcref: null, externref: { payload: 7 } },
};

// What is left to see after the calls: memory, exported globals and tables.
function endState(self, module) {
  const state = {};
  for (const { name, kind } of WebAssembly.Module.exports(module)) {
    const value = self.exports[name];
    if (kind === 'memory') {
      state[name] = Buffer.from(value.buffer);
    } else if (kind === 'global') {
      try { state[name] = comparable(value.value); } catch { state[name] = 'unreadable'; }
    } else if (kind === 'table') {
      state[name] = Array.from({ length: value.length }, (_, i) => comparable(value.get(i)));
    }
  }
  return state;
}

// Returns { verdict: 'same' | 'mismatch' | 'inconclusive', calls, skipped, detail }.
function compare(modules, signatures, counts) {
  const logs = [[], []];
  const instances = [instantiate(modules[0], logs[0]),
    instantiate(modules[1], logs[1], noopHooks(counts))];
  const selves = instances.map(({ self }) => self);
  const [originalStart, instrumentedStart] = instances.map(({ started }) => started);
  if (originalStart.stack || instrumentedStart.stack) {
    return { verdict: 'inconclusive', calls: 0, skipped: 0, detail: 'start function: stack exhausted' };
  }
  if (originalStart.error !== instrumentedStart.error || !same(originalStart.log, instrumentedStart.log)) {
    return { verdict: 'mismatch', calls: 0, skipped: 0, detail: `instantiation: ` +
      `${JSON.stringify(originalStart, big)} vs ${JSON.stringify(instrumentedStart, big)}` };
  }
  if (originalStart.error) return { verdict: 'same', calls: 0, skipped: 0, startTrapped: true };
  let calls = 0, skipped = 0;
  for (const entry of signatures) {
    if (![...entry.params, ...entry.results].every((type) => JS_TYPES.has(type))) {
      skipped++;
      continue;
    }
    for (const [argsName, table] of Object.entries(ARGUMENTS)) {
      const args = entry.params.map((type) => table[type]);
      const results = selves.map((self, i) => {
        const before = logs[i].length;
        const result = outcome(self, () => self.exports[entry.name](...args));
        return { ...result, log: logs[i].slice(before) };
      });
      calls++;
      if (results.some((r) => r.stack)) {
        return { verdict: 'inconclusive', calls, skipped, detail: `${entry.name}: stack exhausted` };
      }
      const [a, b] = results;
      if (!same(a.value, b.value) || a.error !== b.error || !same(a.log, b.log)) {
        return { verdict: 'mismatch', calls, skipped,
          detail: `${entry.name}(${argsName} arguments): ${JSON.stringify(a, big)} vs ${JSON.stringify(b, big)}` };
      }
    }
  }
  const [before, after] = selves.map((self, i) => endState(self, modules[i]));
  for (const [name, value] of Object.entries(before)) {
    if (Buffer.isBuffer(value)) {
      if (!value.equals(after[name])) {
        const at = value.findIndex((byte, i) => byte !== after[name][i]);
        return { verdict: 'mismatch', calls, skipped, detail: `memory "${name}" differs at the end: ` +
          `${value.length} and ${after[name].length} bytes, first difference at ${at}` };
      }
    } else if (!same(value, after[name])) {
      return { verdict: 'mismatch', calls, skipped, detail: `export "${name}" differs at the end: ` +
        `${JSON.stringify(value, big)} vs ${JSON.stringify(after[name], big)}` };
    }
  }
  return { verdict: 'same', calls, skipped };
}
const big = (_, value) => (typeof value === 'bigint' ? `${value}n` : value);

// --- preparing a case: generate, instrument, validate (in child processes, `jobs` at a time) ---

// The line that says why a child failed, without the file and offset, so that failures group.
const reason = (stderr) => (stderr.split('\n').find((line) => /error|Fatal|Assertion/.test(line)) ??
  stderr.trim().split('\n')[0] ?? '').replace(/^.*?:[0-9a-f]+: /, '')
  .replace(/\[wasm-validator error in function [^\]]*\]/, '[wasm-validator error]').trim();
const REFUSALS = [['multi-memory', /multi-memory is not supported/]];

function instrumentOutcome({ status, signal, stderr }) {
  if (status === 0) return { kind: 'instrumented' };
  if (signal === 'SIGTERM') return { kind: 'timed out', detail: `killed after ${CHILD_TIMEOUT_MS} ms` };
  if (signal || status !== 1) return { kind: 'crashed', detail: `${signal ?? `status ${status}`}: ${reason(stderr)}` };
  if (/internal error/.test(stderr)) return { kind: 'internal error', detail: reason(stderr) };
  const refusal = REFUSALS.find(([, pattern]) => pattern.test(stderr));
  if (refusal) return { kind: 'refused', refusal: refusal[0] };
  return { kind: 'rejected', detail: reason(stderr) };
}

async function prepare(index) {
  const rng = random(caseSeed(index));
  const bytes = Buffer.alloc(1024 + Math.floor(rng() * 7168));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
  const profile = options.profile === 'mixed' ? (rng() < 0.5 ? 'v8' : 'all-features') : options.profile;
  const features = chooseFeatures(profile, rng);
  const base = join(scratch, `case-${index}`);
  const prepared = { index, base, profile, features, flags: [] };
  writeFileSync(`${base}.dat`, bytes);

  const generate = [`${base}.dat`, '-ttf', ...features.flags, '-o', `${base}.wasm`];
  const start = rng();
  if (profile === 'all-features' && features.has('multimemory') && start < 0.05) {
    generate.push(`--initial-fuzz=${SEEDS.twoMemories}`);
  } else if (start < 0.7) {
    const memory64 = profile === 'all-features' && features.has('memory64') && rng() < 0.5;
    generate.push(`--initial-fuzz=${memory64 ? SEEDS.i64 : SEEDS.i32}`);
  }
  if (rng() < 0.5) generate.push('-g');
  if (rng() < 0.5) generate.push('--emit-target-features');
  prepared.generate = generate;
  const made = await run(options['wasm-opt'], generate);
  if (made.status !== 0) {
    return { ...prepared, failure: { kind: 'generator failed', detail: reason(made.stderr) } };
  }
  let original = readFileSync(`${base}.wasm`);
  let module = readModule(original);
  if (profile === 'v8' && !module.exports.some((e) => e.kind === 'memory') && module.memories.length) {
    original = withMemoryExport(original, MEMORY_EXPORT);
    prepared.memoryExported = true;
    writeFileSync(`${base}.wasm`, original);
    module = readModule(original);
  }
  const flags = pickAllocators(module, rng);
  const result = instrumentOutcome(
    await run(options.instrument, [`${base}.wasm`, '-o', `${base}.vs.wasm`, ...flags]));
  Object.assign(prepared, { original, module, flags, result });
  // -ttf sometimes writes a module that its own Binaryen then finds invalid (strings without
  // GC): refusing that input is right, and it is counted as a refusal of its own.
  if (result.kind === 'rejected' && /module fails validation/.test(result.detail)) {
    const input = await run(options['wasm-opt'], [...features.flags, `${base}.wasm`, '-o', '/dev/null']);
    if (input.status !== 0) {
      prepared.result = { kind: 'refused', refusal: 'invalid input (-ttf wrote a module Binaryen 132 finds invalid)' };
      return prepared;
    }
  }
  if (result.kind !== 'instrumented') {
    if (result.kind !== 'refused') prepared.failure = result;
    return prepared;
  }
  // The features to validate with: those the output declares, or else those generated with.
  prepared.instrumented = readFileSync(`${base}.vs.wasm`);
  const declares = readModule(prepared.instrumented).customSections.includes('target_features');
  const validated = await run(options['wasm-opt'],
    [...(declares ? [] : features.flags), `${base}.vs.wasm`, '-o', '/dev/null']);
  if (validated.status !== 0) {
    prepared.failure = { kind: 'invalid output', detail: reason(validated.stderr) };
  }
  return prepared;
}

// --- the driver ---

const scratch = mkdtempSync(join(tmpdir(), 'viewsan-fuzz-'));
const keepDir = options.keep ?? join(tmpdir(), `viewsan-fuzz-failures-${seed}`);
const summary = { seed, first, count, profile: options.profile, cases: { v8: 0, 'all-features': 0 },
  featureSubsets: 0, ranEquivalent: 0, startTrapped: 0, inconclusive: 0, validatedOnly: {}, refused: {},
  failureCounts: {}, failures: [], exportCalls: 0, exportsNotCallable: 0, withAllocators: 0,
  withMemoryGrow: 0, hookCalls: {} };
const bump = (object, key) => { object[key] = (object[key] ?? 0) + 1; };
// The summary lists the first failures in full; every one is kept in keepDir.
const FAILURES_LISTED = 20;

// The case's files, and the commands that made them, run from keepDir.
function keep({ base, index, profile, generate, memoryExported, flags }, failure) {
  mkdirSync(keepDir, { recursive: true });
  for (const suffix of ['.dat', '.wasm', '.vs.wasm']) {
    try { copyFileSync(`${base}${suffix}`, join(keepDir, `case-${index}${suffix}`)); } catch {}
  }
  const local = (arg) => arg.replace(base, `case-${index}`);
  writeFileSync(join(keepDir, `case-${index}.txt`), `seed ${seed}, case ${index}, profile ${profile}\n` +
    `generated by: wasm-opt ${generate.map(local).join(' ')}` +
    `${memoryExported ? `, then memory 0 exported as ${MEMORY_EXPORT}` : ''}\n` +
    `instrumented by: viewsan-instrument case-${index}.wasm -o case-${index}.vs.wasm ${flags.join(' ')}\n` +
    `${failure.kind}: ${failure.detail}\n`);
}

// Failures group by kind and message, without the offsets and function numbers that vary.
const groupKey = ({ kind, detail }) => (kind === 'mismatch' ? kind : `${kind}: ${detail}`
  .replace(/ @\+\d+$/, '').replace(/#\d+(:"[^"]*")?/g, '#N').slice(0, 200));

function fail(prepared, failure) {
  const key = groupKey(failure);
  bump(summary.failureCounts, key);
  keep(prepared, failure);
  if (summary.failures.length < FAILURES_LISTED) {
    summary.failures.push({ case: prepared.index, profile: prepared.profile, ...failure,
      flags: prepared.flags });
    console.log(`case ${prepared.index} (${prepared.profile}): ${failure.kind}: ${failure.detail}`);
  }
}

function finish(prepared) {
  const { profile, features, result, failure } = prepared;
  summary.cases[profile]++;
  if (features.subset) summary.featureSubsets++;
  if (result?.kind === 'refused') bump(summary.refused, result.refusal);
  if (prepared.instrumented) {
    const section = customSection(prepared.instrumented, 'viewsan.sites');
    const sites = section ? JSON.parse(new TextDecoder().decode(section)).sites : [];
    if (prepared.flags.length > 0 || sites.some((s) => s.kind !== 'memory.grow')) summary.withAllocators++;
    if (sites.some((s) => s.kind === 'memory.grow')) summary.withMemoryGrow++;
  }
  if (failure) {
    fail(prepared, failure);
  } else if (prepared.instrumented && profile === 'all-features') {
    bump(summary.validatedOnly, 'all-features');
  } else if (prepared.instrumented) {
    let modules;
    try {
      modules = [new WebAssembly.Module(prepared.original)];
    } catch (error) {
      const why = error.message.replace(/^WebAssembly\.Module\(\): |Compiling function #\d+(:"[^"]*")? failed: | @\+\d+$/g, '');
      bump(summary.validatedOnly, `V8 cannot compile the original: ${why}`);
      return;
    }
    try {
      modules.push(new WebAssembly.Module(prepared.instrumented));
    } catch (error) {
      fail(prepared, { kind: 'V8 rejects the output', detail: error.message });
      return;
    }
    const signatures = prepared.module.exports.filter((e) => e.kind === 'function')
      .map((e) => ({ name: e.name, ...prepared.module.functions[e.index] }));
    const compared = compare(modules, signatures, summary.hookCalls);
    summary.exportCalls += compared.calls;
    summary.exportsNotCallable += compared.skipped;
    if (compared.verdict === 'same') summary.ranEquivalent++;
    if (compared.startTrapped) summary.startTrapped++;
    if (compared.verdict === 'inconclusive') summary.inconclusive++;
    if (compared.verdict === 'mismatch') fail(prepared, { kind: 'mismatch', detail: compared.detail });
  }
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
  for (const suffix of ['.dat', '.wasm', '.vs.wasm']) rmSync(`${prepared.base}${suffix}`, { force: true });
  if ((index - first + 1) % 1000 === 0) {
    const failures = Object.values(summary.failureCounts).reduce((a, b) => a + b, 0);
    console.log(`${index - first + 1} modules, ${failures} failures`);
  }
}
rmSync(scratch, { recursive: true, force: true });
summary.seconds = Math.round((Date.now() - started) / 100) / 10;
const failed = Object.values(summary.failureCounts).reduce((a, b) => a + b, 0);
const total = (object) => Object.values(object).reduce((a, b) => a + b, 0);
console.log(`${count} modules (${summary.cases.v8} for V8, ${summary.cases['all-features']} with ` +
  `every feature): ${summary.ranEquivalent} ran the same, ${total(summary.validatedOnly)} validated ` +
  `only, ${total(summary.refused)} refused, ${summary.inconclusive} inconclusive (stack exhausted), ` +
  `${failed} failed; ${summary.exportCalls} export calls, ${summary.exportsNotCallable} exports not ` +
  `callable from JS; ${summary.withAllocators} with allocators hooked, ${summary.withMemoryGrow} ` +
  `with memory.grow${failed ? `; failures kept in ${keepDir}` : ''}`);
console.log(JSON.stringify(summary));
process.exitCode = failed ? 1 : 0;
