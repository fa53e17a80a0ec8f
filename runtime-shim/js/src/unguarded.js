// Nothing passes vacuously: under register, a module that is instantiated without being guarded
// (it was never instrumented, so it imports nothing from `viewsan`) is named once on stderr, with
// why, and the process's report_path file says when nothing at all was guarded.
//
// A module is named by what register saw of where it came from: the URL of the Response it was
// compiled from, else the module name in its name section, else its size. Bytes that were decoded
// from base64 in JavaScript (Emscripten's SINGLE_FILE, a data: URL) are recognised by a
// fingerprint taken when `atob` or `Buffer.from(…, 'base64')` returned bytes that begin with the
// wasm magic number. A module instantiated before register ran cannot be seen as such; in a page,
// a `.wasm` the page fetched before register loaded, that register then never saw compiled, is
// named once the page has loaded (watchEarlyFetches).

import { printError } from './environment.js';
import { isOwnFrame } from './report.js';

const origins = new WeakMap();   // WebAssembly.Module -> { url, base64, bytes }
const base64Fingerprints = new Set();
const seenUrls = new Set();      // URLs of the Responses register compiled
const named = new Set();         // descriptions already printed: one line per distinct module
const unguarded = [];            // { module, reason } for the report_path file
let forwardUnguarded = null;     // a worker thread's link to the main thread's list

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const EDGE = 32;

function fingerprint(length, byteAt) {
  let head = '';
  let tail = '';
  for (let i = 0; i < Math.min(EDGE, length); i++) head += byteAt(i).toString(16).padStart(2, '0');
  for (let i = Math.max(0, length - EDGE); i < length; i++) tail += byteAt(i).toString(16).padStart(2, '0');
  return `${length}:${head}:${tail}`;
}

const startsWithMagic = (length, byteAt) => length >= 8 && WASM_MAGIC.every((b, i) => byteAt(i) === b);

function rememberDecoded(length, byteAt) {
  if (startsWithMagic(length, byteAt)) base64Fingerprints.add(fingerprint(length, byteAt));
}

function bytesOf(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof SharedArrayBuffer === 'function' && source instanceof SharedArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

/** Watches base64 decoding for wasm bytes (the two decoders glue code uses). */
export function watchBase64Decoding() {
  if (typeof globalThis.atob === 'function') {
    const originalAtob = globalThis.atob;
    globalThis.atob = function atob(data) {
      const decoded = originalAtob.call(this, data);
      rememberDecoded(decoded.length, (i) => decoded.charCodeAt(i));
      return decoded;
    };
  }
  const NodeBuffer = globalThis.Buffer;
  if (typeof NodeBuffer?.from === 'function') {
    const originalFrom = NodeBuffer.from;
    const from = function from(value, encoding, ...rest) {
      const result = originalFrom.call(this, value, encoding, ...rest);
      if (typeof value === 'string' && (encoding === 'base64' || encoding === 'base64url')) {
        rememberDecoded(result.length, (i) => result[i]);
      }
      return result;
    };
    Object.defineProperty(NodeBuffer, 'from', { ...Object.getOwnPropertyDescriptor(NodeBuffer, 'from'), value: from });
  }
}

/** Remembers where a compiled module came from: `source` is what the program compiled. */
export function noteSource(module, source) {
  if (!(module instanceof WebAssembly.Module) || origins.has(module)) return;
  // A Response, recognised without reading the global `Response`: in Node that loads undici.
  if (isResponseLike(source)) {
    if (source.url) seenUrls.add(source.url);
    const dataUrl = /^data:/i.test(source.url ?? '');
    origins.set(module, { url: source.url || null, base64: dataUrl && /;base64,/i.test(source.url) });
    return;
  }
  const bytes = bytesOf(source);
  if (!bytes) return;
  const base64 = base64Fingerprints.size > 0 && startsWithMagic(bytes.length, (i) => bytes[i])
    && base64Fingerprints.has(fingerprint(bytes.length, (i) => bytes[i]));
  origins.set(module, { url: null, base64, bytes: bytes.length });
}

function isResponseLike(value) {
  return typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)
    && typeof value.url === 'string' && typeof value.arrayBuffer === 'function';
}

// Whether the program's code made the call, rather than the platform's own (Node's bundled undici
// instantiates its HTTP parser through the same API): the first frame outside viewsan decides.
function calledByPlatform() {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const first = frames.find((line) => !isOwnFrame(line));
  return first !== undefined && /\(?node:/.test(first.replace(/^\s*at\s+(async\s+)?/, '').replace(/^[^(]*\(/, '('));
}

// The module name in the `name` custom section (subsection 0), if there is one.
function moduleName(module) {
  try {
    const [section] = WebAssembly.Module.customSections(module, 'name');
    if (!section) return null;
    const b = new Uint8Array(section);
    let p = 0;
    const leb = () => {
      let result = 0;
      let shift = 0;
      for (;;) {
        const byte = b[p++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(byte & 0x80)) return result;
      }
    };
    if (b[p++] !== 0) return null;
    leb();
    const length = leb();
    return new TextDecoder().decode(b.subarray(p, p + length)) || null;
  } catch {
    return null;
  }
}

function describe(module, origin) {
  if (origin?.url && !origin.base64) return origin.url;
  const name = moduleName(module);
  if (name) return `module "${name}"`;
  if (origin?.bytes != null) return `a module of ${origin.bytes} bytes`;
  if (origin?.base64) return 'a module from a data: URL';
  return 'a module';
}

/**
 * A module that register instantiates without guarding it: named once, with why.
 * `sharesGuardedMemory`: it imports the memory of an instrumented module (a side module).
 */
export function moduleNotGuarded(module, { warn, sharesGuardedMemory = false }) {
  if (calledByPlatform() || !hasVisibleMemory(module)) return;
  const origin = origins.get(module);
  const what = describe(module, origin);
  const reasons = [sharesGuardedMemory
    ? 'it is not instrumented, and shares the memory of a module that is: views over that memory are guarded, and what it allocates through the allocator it imports from that module is seen; an allocator of its own and its memory.grow are not (run viewsan-instrument on it)'
    : 'it is not instrumented (it imports nothing from viewsan and has no viewsan.sites section; run viewsan-instrument on it)'];
  if (origin?.base64) reasons.push('its bytes were decoded from base64 embedded in JavaScript (e.g. Emscripten -sSINGLE_FILE): instrument the .wasm, then embed the instrumented one');
  const reason = reasons.join('; ');
  const key = `${what}\n${reason}`;
  if (named.has(key)) return;
  named.add(key);
  record({ module: what, reason });
  if (warn) printError(`viewsan: WARNING: ${what} is ${sharesGuardedMemory ? 'partly guarded' : 'not guarded'}: ${reason}`);
}

// A module that neither imports nor exports a memory has none JavaScript can view: nothing of it
// could be guarded (Emscripten's glue compiles such tiny modules to wrap JS functions for tables).
function hasVisibleMemory(module) {
  const isMemory = (entry) => entry.kind === 'memory';
  return WebAssembly.Module.imports(module).some(isMemory) || WebAssembly.Module.exports(module).some(isMemory);
}

/**
 * Pages: the `.wasm` files fetched before register loaded. Once the page has loaded, each one that
 * register never compiled was instantiated before it (or not at all) and is not guarded: named.
 */
export function watchEarlyFetches({ warn }) {
  // Pages only: in Node, the first read of `performance` loads perf_hooks (about 1 ms).
  if (!globalThis.document) return;
  const { performance } = globalThis;
  if (typeof performance?.getEntriesByType !== 'function') return;
  const early = performance.getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((url) => /\.wasm$/i.test(new URL(url).pathname) && !/\/viewsan-shim\.wasm$/.test(url));
  if (early.length === 0) return;
  const check = () => setTimeout(() => {
    for (const url of early) {
      if (seenUrls.has(url) || named.has(url)) continue;
      named.add(url);
      const reason = 'it was loaded before viewsan\'s register.js ran (load register.js before the app\'s loader)';
      record({ module: url, reason });
      if (warn) printError(`viewsan: WARNING: ${url} is not guarded: ${reason}`);
    }
  }, 0);
  if (document.readyState === 'complete') check();
  else globalThis.addEventListener('load', check, { once: true });
}

/** The modules named so far, for the report_path file. */
function record(entry) {
  unguarded.push(entry);
  forwardUnguarded?.(entry);
}

/** A worker thread: each module named from now on is also handed to `forward` (thread-reports.js). */
export function forwardUnguardedModules(forward) {
  forwardUnguarded = forward;
}

export function unguardedModules() {
  return unguarded;
}
