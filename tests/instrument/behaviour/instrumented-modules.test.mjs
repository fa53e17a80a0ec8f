// Instrumented modules run exactly as the originals do, and their hooks report every
// allocation, reallocation, free and memory.grow exactly once, with the right site.
//
// VIEWSAN_INSTRUMENT_DATA names the directory the build puts these in: heap.wasm (heap.wat),
// program.wasm (program.c against wasi-libc), malloc-free64.wasm (../malloc-free64.wat) and
// wrapper-chains.wasm (../wrapper-chains.wat, stripped), each with its instrumented .vs.wasm.
// Node 20 needs --experimental-wasm-memory64 for malloc-free64.wasm.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';

const dataDir = process.env.VIEWSAN_INSTRUMENT_DATA;
const PAGE = 65536;

function load(name) {
  const bytes = readFileSync(join(dataDir, name));
  return { bytes, module: new WebAssembly.Module(bytes) };
}

function sitesOf(module) {
  const [section] = WebAssembly.Module.customSections(module, 'viewsan.sites');
  return JSON.parse(new TextDecoder().decode(section));
}

// Hooks that record what they are told, with the memory size at each grow hook.
function recordingHooks() {
  const events = [];
  let memory = null;
  const pages = () => memory.buffer.byteLength / PAGE;
  const hooks = {
    alloc: (ptr, size, site) => events.push({ hook: 'alloc', ptr, size, site }),
    free: (ptr, site) => events.push({ hook: 'free', ptr, site }),
    realloc: (old, ptr, size, site) => events.push({ hook: 'realloc', old, ptr, size, site }),
    grow_begin: (delta, site) => events.push({ hook: 'grow_begin', delta, site, pages: pages() }),
    grow_end: (prev, delta, site) =>
      events.push({ hook: 'grow_end', prev, delta, site, pages: pages() }),
  };
  return { events, hooks, attach: (instance) => { memory = instance.exports.memory; } };
}

// Replaces each site id with what the sites section says about it.
function describeSites(events, sites) {
  return events.map(({ site, ...event }) => {
    const { kind, func, callee } = sites.sites[site];
    return { ...event, site: callee ? `${kind} ${func} -> ${callee}` : `${kind} ${func}` };
  });
}

// Grow hooks come in pairs around the real memory.grow: prev is the size before, and the
// memory has grown by delta when grow_end runs.
function checkGrowPairs(events) {
  const grows = events.filter((e) => e.hook.startsWith('grow_'));
  assert.ok(grows.length >= 2, 'memory grew at least once');
  for (let i = 0; i < grows.length; i += 2) {
    const [begin, end] = [grows[i], grows[i + 1]];
    assert.equal(begin.hook, 'grow_begin');
    assert.equal(end.hook, 'grow_end');
    assert.equal(end.site, begin.site);
    assert.equal(end.delta, begin.delta);
    assert.equal(end.prev, begin.pages);
    assert.equal(end.pages, begin.pages + begin.delta);
  }
  return events.filter((e) => !e.hook.startsWith('grow_'));
}

test('heap.wat: same results and memory, each event reported once from its site', () => {
  const original = new WebAssembly.Instance(load('heap.wasm').module, {});
  const { module } = load('heap.vs.wasm');
  const recorder = recordingHooks();
  const instrumented = new WebAssembly.Instance(module, { viewsan: recorder.hooks });
  recorder.attach(instrumented);

  // [name for the result, export, arguments (functions of earlier results)]
  const steps = [
    ['a', 'malloc', [24]],
    ['b', 'alloc_direct', [40]],
    ['c', 'alloc_indirect', [8]],
    ['d', 'alloc_via_ref', [8]],
    ['e', 'new_object', [16]],
    ['f', 'zeroed', [4, 10]],
    [null, 'fill', [(v) => v.b, 40, 3]],
    ['g', 'resize', [(v) => v.b, 100000]],
    [null, 'release', [(v) => v.a]],
    [null, 'free', [(v) => v.c]],
    [null, 'delete_object', [(v) => v.e]],
    ['h', 'realloc', [(v) => v.d, 16]],
    ['i', 'calloc', [2, 8]],
  ];
  const v = {};
  for (const [name, fn, args] of steps) {
    const values = args.map((arg) => (typeof arg === 'function' ? arg(v) : arg));
    const expected = original.exports[fn](...values);
    const actual = instrumented.exports[fn](...values);
    assert.equal(actual, expected, `${fn}(${values}) returns the same`);
    if (name) v[name] = actual;
  }
  assert.deepEqual(
    new Uint8Array(instrumented.exports.memory.buffer),
    new Uint8Array(original.exports.memory.buffer),
    'memory is the same');

  const events = describeSites(checkGrowPairs(recorder.events), sitesOf(module));
  assert.deepEqual(events, [
    { hook: 'alloc', ptr: v.a, size: 24, site: 'export malloc -> malloc' },
    { hook: 'alloc', ptr: v.b, size: 40, site: 'call alloc_direct -> malloc' },
    { hook: 'alloc', ptr: v.c, size: 8, site: 'export malloc -> malloc' },
    { hook: 'alloc', ptr: v.d, size: 8, site: 'export malloc -> malloc' },
    { hook: 'alloc', ptr: v.e, size: 16, site: 'call new_object -> _Znwm' },
    { hook: 'alloc', ptr: v.f, size: 40, site: 'call zeroed -> calloc' },
    { hook: 'realloc', old: v.b, ptr: v.g, size: 100000, site: 'call resize -> realloc' },
    { hook: 'free', ptr: v.a, site: 'call release -> free' },
    { hook: 'free', ptr: v.c, site: 'export free -> free' },
    { hook: 'free', ptr: v.e, site: 'call delete_object -> _ZdlPv' },
    { hook: 'realloc', old: v.d, ptr: v.h, size: 16, site: 'export realloc -> realloc' },
    { hook: 'alloc', ptr: v.i, size: 16, site: 'export calloc -> calloc' },
  ]);
  const grow = recorder.events.find((e) => e.hook === 'grow_begin');
  assert.equal(sitesOf(module).sites[grow.site].kind, 'memory.grow');
  assert.equal(sitesOf(module).sites[grow.site].func, 'malloc');
});

test('malloc-free64.wat: memory64 hooks get BigInt pointers and sizes', () => {
  const original = new WebAssembly.Instance(load('malloc-free64.wasm').module, {});
  const { module } = load('malloc-free64.vs.wasm');
  const events = [];
  const instrumented = new WebAssembly.Instance(module, {
    viewsan: {
      alloc64: (ptr, size, site) => events.push({ hook: 'alloc', ptr, size, site }),
      free64: (ptr, site) => events.push({ hook: 'free', ptr, site }),
      realloc64: (old, ptr, size, site) => events.push({ hook: 'realloc', old, ptr, size, site }),
    },
  });
  const v = {};
  for (const [name, fn, args] of [
    ['a', 'malloc', [16n]],
    [null, 'free', [(v) => v.a]],
    ['b', 'calloc', [2n, 8n]],
    ['c', 'realloc', [(v) => v.b, 32n]],
    [null, 'posix_memalign', [64n, 8n, 24n]],
  ]) {
    const values = args.map((arg) => (typeof arg === 'function' ? arg(v) : arg));
    const expected = original.exports[fn](...values);
    assert.equal(instrumented.exports[fn](...values), expected, `${fn} returns the same`);
    if (name) v[name] = expected;
  }
  assert.deepEqual(
    new Uint8Array(instrumented.exports.memory.buffer),
    new Uint8Array(original.exports.memory.buffer));
  // posix_memalign stored its pointer at 64.
  const stored = new BigUint64Array(original.exports.memory.buffer, 64, 1)[0];
  assert.deepEqual(describeSites(events, sitesOf(module)), [
    { hook: 'alloc', ptr: v.a, size: 16n, site: 'export malloc -> malloc' },
    { hook: 'free', ptr: v.a, site: 'export free -> free' },
    { hook: 'alloc', ptr: v.b, size: 16n, site: 'export calloc -> calloc' },
    { hook: 'realloc', old: v.b, ptr: v.c, size: 32n, site: 'export realloc -> realloc' },
    { hook: 'alloc', ptr: stored, size: 24n, site: 'export posix_memalign -> posix_memalign' },
  ]);
});

test('wrapper-chains.wat, stripped: allocations inside the module are seen, once each', () => {
  const original = new WebAssembly.Instance(load('wrapper-chains.wasm').module, {});
  const { module } = load('wrapper-chains.vs.wasm');
  const recorder = recordingHooks();
  const instrumented = new WebAssembly.Instance(module, { viewsan: recorder.hooks });
  recorder.attach(instrumented);

  const steps = [
    ['a', 'make_vec', [10]], // allocated inside, by a direct call to __rust_alloc
    [null, '__wbindgen_free', [(v) => v.a, 10, 1]], // freed by the glue
    ['b', '__wbindgen_malloc', [0, 4]], // a dangling pointer: nothing allocated
    [null, '__wbindgen_free', [(v) => v.b, 0, 4]], // and nothing freed
    ['c', '__wbindgen_malloc', [24, 8]],
    ['d', '__wbindgen_realloc', [(v) => v.c, 24, 100000, 8]], // dlmalloc and dlfree inside
    ['e', 'make_vec', [3]],
  ];
  const v = {};
  for (const [name, fn, args] of steps) {
    const values = args.map((arg) => (typeof arg === 'function' ? arg(v) : arg));
    const expected = original.exports[fn](...values);
    assert.equal(instrumented.exports[fn](...values), expected, `${fn}(${values}) returns the same`);
    if (name) v[name] = expected;
  }
  assert.equal(v.b, 4);
  assert.deepEqual(
    new Uint8Array(instrumented.exports.memory.buffer),
    new Uint8Array(original.exports.memory.buffer),
    'memory is the same');

  // Stripped: the functions below the exports are func[N]. Each event comes from the function
  // at the end of its chain, with the site the call came in by.
  const { sites } = sitesOf(module);
  const internal = sites.find((s) => s.kind === 'call' && s.func === 'make_vec').callee;
  const events = describeSites(checkGrowPairs(recorder.events), sitesOf(module));
  assert.deepEqual(events, [
    { hook: 'alloc', ptr: v.a, size: 10, site: `call make_vec -> ${internal}` },
    { hook: 'free', ptr: v.a, site: 'export __wbindgen_free -> __wbindgen_free' },
    { hook: 'alloc', ptr: v.c, size: 24, site: 'export __wbindgen_malloc -> __wbindgen_malloc' },
    { hook: 'realloc', old: v.c, ptr: v.d, size: 100000,
      site: 'export __wbindgen_realloc -> __wbindgen_realloc' },
    { hook: 'alloc', ptr: v.e, size: 3, site: `call make_vec -> ${internal}` },
  ]);
});

// Runs a WASI command module and returns what it printed, with the hooks' events if any.
function runCommand(name) {
  const { module } = load(name);
  const dir = mkdtempSync(join(tmpdir(), 'viewsan-'));
  const stdoutPath = join(dir, 'stdout');
  const stdout = openSync(stdoutPath, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', stdout, returnOnExit: true });
    const recorder = recordingHooks();
    const instance = new WebAssembly.Instance(module, {
      wasi_snapshot_preview1: wasi.wasiImport,
      viewsan: recorder.hooks,
    });
    recorder.attach(instance);
    const status = wasi.start(instance);
    return { status, output: readFileSync(stdoutPath, 'utf8'), events: recorder.events, module };
  } finally {
    closeSync(stdout);
    rmSync(dir, { recursive: true });
  }
}

test('program.c with wasi-libc: same output, and the hooks saw what the program did', () => {
  const original = runCommand('program.wasm');
  const instrumented = runCommand('program.vs.wasm');
  assert.equal(instrumented.status, 0);
  assert.equal(instrumented.status, original.status);
  assert.equal(instrumented.output, original.output);

  const printed = [];
  for (const line of original.output.trim().split('\n')) {
    const [word, ...numbers] = line.split(' ');
    const [a, b, c] = numbers.map(Number);
    if (word === 'alloc') printed.push({ hook: 'alloc', ptr: a, size: b });
    if (word === 'realloc') printed.push({ hook: 'realloc', old: a, ptr: b, size: c });
    if (word === 'free') printed.push({ hook: 'free', ptr: a });
  }
  const events = checkGrowPairs(instrumented.events).map(({ site, ...event }) => event);
  assert.deepEqual(events, printed);
});

test('every site offset is the call that passes the site id', () => {
  for (const name of ['heap.vs.wasm', 'program.vs.wasm', 'wrapper-chains.vs.wasm']) {
    const { bytes, module } = load(name);
    const { sites } = sitesOf(module);
    assert.ok(sites.length > 0);
    for (const { id, offset } of sites) {
      assert.notEqual(offset, null, `${name}: site ${id} has an offset`);
      assert.equal(bytes[offset], 0x10, `${name}: site ${id}: a call at ${offset}`);
      const constant = [0x41, ...signedLeb(id)];
      assert.deepEqual([...bytes.subarray(offset - constant.length, offset)], constant,
        `${name}: site ${id}: i32.const ${id} right before the call`);
    }
  }
});

function signedLeb(value) {
  const out = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
