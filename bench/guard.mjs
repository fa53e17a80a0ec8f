#!/usr/bin/env node
// The JS guard's cost, in one run, printed as JSON:
// - ns per element access: a raw typed array, a compat view, a strict view, a bare forwarding
//   Proxy (V8's floor for any strict guard) and a naive Proxy whose get trap checks one flag;
// - bulk set / fill / subarray / copyWithin on an 8 MB view, raw against guarded;
// - one boundary call as glue makes it (allocate, view, copy in, free), raw against guarded, with
//   and without JavaScript stacks recorded (malloc_context_size);
// - the zero-copy guide's verification loop on an 8 MB frame (copy path against view path), with
//   and without viewsan;
// - structuredClone of a 1000-element plain object graph, the engine's against viewsan's (which
//   walks the graph for guarded views first), with no guarded view inside and with one.
//
//   node bench/guard.mjs --build BUILD_DIR
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { emscripten, instantiate } from 'viewsan';

// The engine's own, read before viewsan patches it (at the first instantiate()).
const engineStructuredClone = globalThis.structuredClone;
const EngineUint8Array = globalThis.Uint8Array;

const { values } = parseArgs({ options: { build: { type: 'string' } } });
if (values.build) values.build = path.resolve(values.build);
if (!values.build) {
  console.error('usage: guard.mjs --build BUILD_DIR');
  process.exit(2);
}
const FRAME = 1920 * 1080 * 4;

// Median ns per operation of `fn(iterations)` over a few rounds, after a warm-up.
function nsPer(fn, iterations, rounds = 7) {
  fn(iterations);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    fn(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return +samples[samples.length >> 1].toFixed(3);
}

let sink = 0;

// Allocate first, then view: the allocation may grow memory and detach an earlier buffer.
function allocatedView({ memory, __wbindgen_malloc: malloc }, bytes) {
  const ptr = malloc(bytes, 1);
  return new Uint8Array(memory.buffer, ptr, bytes);
}
const readLoop = (view) => (n) => {
  let sum = 0;
  const len = view.length;
  for (let i = 0; i < n; i++) sum += view[i & (len - 1)];
  sink += sum;
};

async function elementAccess() {
  const wasm = await readFile(path.join(values.build, 'tests/js/fixtures/wbindgen-tensors.vs.wasm'));
  const strict = await instantiate(wasm, {}, { mode: 'strict' });
  const compat = await instantiate(wasm, {}, { mode: 'compat' });
  const n = 1 << 16;
  const strictView = allocatedView(strict.instance.exports, n);
  const compatView = allocatedView(compat.instance.exports, n);
  const raw = new Uint8Array(n);
  const bare = new Proxy(new Uint8Array(n), { get: (t, k) => t[k] });
  const flag = { alive: true };
  const naive = new Proxy(new Uint8Array(n), {
    get(t, k) {
      if (!flag.alive) throw new Error('dead');
      return t[k];
    },
  });
  const iterations = 2_000_000;
  const result = {
    raw: nsPer(readLoop(raw), iterations * 10),
    compat: nsPer(readLoop(compatView), iterations * 10),
    strict: nsPer(readLoop(strictView), iterations),
    bareForwardingProxy: nsPer(readLoop(bare), iterations),
    naiveFlagProxy: nsPer(readLoop(naive), iterations),
  };
  result.compatOverRaw = +(result.compat / result.raw).toFixed(3);
  result.strictOverBareProxy = +(result.strict / result.bareForwardingProxy).toFixed(3);
  return result;
}

async function bulkOps() {
  const wasm = await readFile(path.join(values.build, 'tests/js/fixtures/wbindgen-tensors.vs.wasm'));
  const out = {};
  const source = new Uint8Array(FRAME).fill(7);
  const ops = {
    set: (v) => v.set(source),
    fill: (v) => v.fill(3),
    subarray: (v) => { sink += v.subarray(16, 32).length; },
    copyWithin: (v) => v.copyWithin(0, FRAME >> 1),
  };
  const views = { raw: new Uint8Array(FRAME) };
  for (const mode of ['strict', 'compat']) {
    const { instance } = await instantiate(wasm, {}, { mode });
    views[mode] = allocatedView(instance.exports, FRAME);
  }
  for (const [name, op] of Object.entries(ops)) {
    const row = {};
    for (const [kind, view] of Object.entries(views)) row[`${kind}Ns`] = nsPer(() => op(view), 1, 15);
    row.strictOverRaw = +(row.strictNs / row.rawNs).toFixed(3);
    row.compatOverRaw = +(row.compatNs / row.rawNs).toFixed(3);
    out[name] = row;
  }
  return out;
}

// A call across the boundary as wasm-bindgen glue makes it: allocate through the export, view
// the bytes, copy 32 bytes in, free. Raw, then under viewsan with the default
// malloc_context_size (a JavaScript stack recorded at the allocation, the view and the free)
// and with malloc_context_size=0 (none recorded).
async function boundaryCall() {
  const dir = path.join(values.build, 'tests/js/fixtures');
  const bytes = { raw: 'wbindgen-tensors.wasm', guarded: 'wbindgen-tensors.vs.wasm' };
  const payload = new Uint8Array(32).fill(5);
  const call = ({ memory, __wbindgen_malloc: malloc, __wbindgen_free: free }) => (n) => {
    for (let i = 0; i < n; i++) {
      const ptr = malloc(32, 1);
      new Uint8Array(memory.buffer, ptr, 32).set(payload);
      free(ptr, 32, 1);
    }
  };
  const raw = await WebAssembly.instantiate(await readFile(path.join(dir, bytes.raw)), {});
  const out = { rawNs: nsPer(call(raw.instance.exports), 20000) };
  const guarded = await readFile(path.join(dir, bytes.guarded));
  for (const mode of ['strict', 'compat']) {
    for (const [label, mallocContextSize] of [['', 30], ['NoStacks', 0]]) {
      const { instance } = await instantiate(guarded, {}, { mode, mallocContextSize });
      out[`${mode}${label}Ns`] = nsPer(call(instance.exports), 20000);
    }
  }
  return out;
}

// The guide's verification: copy-in/copy-out path against the view path, ms per frame.
async function verificationLoop() {
  const dir = path.join(values.build, 'samples/invert');
  const createInvert = createRequire(import.meta.url)(path.join(dir, 'invert.js'));
  const rawApp = await createInvert({ wasmBinary: await readFile(path.join(dir, 'invert.wasm')) });
  const guardedApp = await createInvert({ ...emscripten({ wasmBinary: await readFile(path.join(dir, 'invert.vs.wasm')) }) });
  const src = new Uint8ClampedArray(FRAME).fill(9);
  const out = {};
  for (const [name, app] of Object.entries({ raw: rawApp, viewsan: guardedApp })) {
    const ptr = app._frame_alloc(1920, 1080);
    const N = 20;
    const copy = nsPer(() => {
      new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME).set(src);
      app._invert(ptr, FRAME);
      sink += new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME).slice()[0];
    }, 1, N) / 1e6;
    const view = nsPer(() => {
      const frame = new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME);
      app._invert(ptr, FRAME);
      sink += frame[0];
    }, 1, N) / 1e6;
    out[name] = { copyPathMs: +copy.toFixed(3), viewPathMs: +view.toFixed(3) };
    app._frame_free(ptr);
  }
  out.viewPathOverhead = +(out.viewsan.viewPathMs / out.raw.viewPathMs).toFixed(3);
  return out;
}

// structuredClone of {items: [1000 × {id, name, tags: [2 strings], pos: {x, y}}]} (3001 objects),
// µs per clone: the engine's, then viewsan's with nothing guarded inside (one walk of the graph),
// then with one guarded view at a leaf, strict and compat (the path to it is rebuilt in strict
// mode), against the engine's clone of the same graph over a plain view.
async function cloneGraph() {
  const wasm = await readFile(path.join(values.build, 'tests/js/fixtures/wbindgen-tensors.vs.wasm'));
  const graph = () => ({
    items: Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], pos: { x: i, y: 2 * i } })),
  });
  const plain = graph();
  const us = (clone, value) => nsPer((n) => {
    for (let i = 0; i < n; i++) sink += clone(value).items.length;
  }, 20, 9) / 1000;
  const out = { objects: 3001, engineUs: +us(engineStructuredClone, plain).toFixed(1) };
  out.viewsanNothingGuardedUs = +us(structuredClone, plain).toFixed(1);
  out.nothingGuardedOverEngine = +(out.viewsanNothingGuardedUs / out.engineUs).toFixed(3);
  for (const mode of ['strict', 'compat']) {
    const { instance } = await instantiate(wasm, {}, { mode });
    const { memory, __wbindgen_malloc: malloc } = instance.exports;
    const ptr = malloc(64, 1);
    const withView = graph();
    withView.items[500].pixels = new Uint8Array(memory.buffer, ptr, 64);
    const withPlainView = graph();
    withPlainView.items[500].pixels = new EngineUint8Array(memory.buffer, ptr, 64);
    out.engineOnePlainViewUs ??= +us(engineStructuredClone, withPlainView).toFixed(1);
    out[`viewsanOne${mode === 'strict' ? 'Strict' : 'Compat'}ViewUs`] = +us(structuredClone, withView).toFixed(1);
  }
  return out;
}

// new Uint8Array(view): a copy of 1 MiB from a raw view, and from a guarded one in each mode, in
// ms per copy (strict views are handed to the engine unwrapped, not read through their Proxy).
async function copyConstruct() {
  const wasm = await readFile(path.join(values.build, 'tests/js/fixtures/wbindgen-tensors.vs.wasm'));
  const out = {};
  for (const mode of ['strict', 'compat']) {
    const { instance } = await instantiate(wasm, {}, { mode });
    const { memory, __wbindgen_malloc: malloc } = instance.exports;
    const ptr = malloc(1 << 20, 1);
    const guarded = new Uint8Array(memory.buffer, ptr, 1 << 20);
    const raw = new EngineUint8Array(memory.buffer, ptr, 1 << 20);
    out.rawMs ??= +(nsPer(() => { sink += new Uint8Array(raw)[1]; }, 1, 20) / 1e6).toFixed(3);
    out[`${mode}Ms`] = +(nsPer(() => { sink += new Uint8Array(guarded)[1]; }, 1, 20) / 1e6).toFixed(3);
  }
  return out;
}

const result = {
  benchmark: 'guard',
  elementAccessNs: await elementAccess(),
  bulk8MB: await bulkOps(),
  allocViewFreeNs: await boundaryCall(),
  verification8MB: await verificationLoop(),
  clone1000: await cloneGraph(),
  copyConstruct1MiB: await copyConstruct(),
};
console.log(JSON.stringify(result, null, 2));
if (sink === 0.5) console.error(sink);  // keeps the loops observable
