// Node's built-in functions that take typed arrays. Node checks their arguments with its own
// copies of the engine's builtins (or in C++), so a strict-mode view, a Proxy, is refused there
// with ERR_INVALID_ARG_TYPE: a program that runs without viewsan would stop under it. Each function
// listed takes guarded views anywhere in its arguments, and in the arrays some take (Buffer.concat's
// list, readv's and writev's buffers): each view is checked once, at that boundary, and its real
// typed array passed on. One that returns the view it was given (randomFillSync) returns it guarded.
//
// A module is patched once loaded: at once if the program has loaded it when viewsan installs its
// sinks, else when the program requires it (`require`, `module.require`, as wasm-bindgen's glue
// loads node:crypto, or `process.getBuiltinModule`). Loading them all for every program would
// cost each start several milliseconds (node:crypto alone, about 3 ms).

import { unwrapForSink, viewRecords } from './guarded-view.js';
import { replaceMethod } from './method-patch.js';

// module -> [where its functions are (given the module), their names]
const NODE_SINKS = {
  buffer: [
    [(m) => m.Buffer, ['from', 'compare', 'concat', 'byteLength']],
    [(m) => m.Buffer.prototype, ['equals', 'compare', 'indexOf', 'lastIndexOf', 'includes', 'copy', 'fill']],
  ],
  crypto: [
    [(m) => m, [
      'randomFill', 'randomFillSync', 'timingSafeEqual', 'pbkdf2', 'pbkdf2Sync', 'scrypt', 'scryptSync',
      'hkdf', 'hkdfSync', 'createHmac', 'createCipheriv', 'createDecipheriv', 'createSecretKey',
      'createPublicKey', 'createPrivateKey', 'publicEncrypt', 'publicDecrypt', 'privateEncrypt',
      'privateDecrypt', 'sign', 'verify', 'hash',
    ]],
    // What createHash, createHmac, ... make: their classes are exported, their prototypes shared.
    [(m) => ['Hash', 'Hmac', 'Sign', 'Verify', 'Cipheriv', 'Decipheriv'].map((c) => m[c]?.prototype),
      ['update', 'verify', 'setAAD', 'setAuthTag']],
  ],
  fs: [
    [(m) => m, [
      'write', 'writeSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'read',
      'readSync', 'readv', 'readvSync', 'writev', 'writevSync',
    ]],
  ],
  stream: [[(m) => m.Writable.prototype, ['write', 'end']]],
  zlib: [[(m) => m, (zlib) => Object.keys(zlib).filter((key) => /^[a-z]/.test(key))]],
};

// The functions that take a list of views: only their arrays are looked into (Buffer.from of an
// array of a million numbers is not).
const TAKE_LISTS = new Set(['concat', 'readv', 'readvSync', 'writev', 'writevSync']);

const patched = new Set();

function unwrapArgument(value, sink, lists) {
  if (typeof value !== 'object' || value === null) return value;
  if (!lists || !Array.isArray(value)) return unwrapForSink(value, sink);
  if (!value.some((item) => viewRecords.has(item))) return value;
  return value.map((item) => unwrapForSink(item, sink));
}

const unwrappingEveryArgument = (sink, lists) => (original) => function (...args) {
  let given = null;
  for (let i = 0; i < args.length; i++) {
    const unwrapped = unwrapArgument(args[i], sink, lists);
    if (unwrapped === args[i]) continue;
    given ??= new Map();
    given.set(unwrapped, args[i]);
    args[i] = unwrapped;
  }
  const result = original.apply(this, args);
  return given?.get(result) ?? result;
};

// How a report names the function: crypto.randomFillSync, Buffer.concat, Hash.prototype.update.
function ownerLabel(owner, module, name) {
  if (owner === module) return name;
  return typeof owner === 'function' ? owner.name : `${owner.constructor.name}.prototype`;
}

function patchModule(name, module) {
  patched.add(name);
  for (const [ownersOf, names] of NODE_SINKS[name]) {
    for (const owner of [ownersOf(module)].flat()) {
      if (!owner) continue;
      for (const method of typeof names === 'function' ? names(owner) : names) {
        const sink = `${ownerLabel(owner, module, name)}.${method}`;
        replaceMethod(owner, method, unwrappingEveryArgument(sink, TAKE_LISTS.has(method)));
      }
    }
  }
}

// The listed module a require names, if not patched yet: 'crypto' for 'node:crypto' or 'crypto'
// (a bare built-in name always loads the built-in).
function unpatchedSink(request) {
  if (typeof request !== 'string') return null;
  const name = request.startsWith('node:') ? request.slice(5) : request;
  return Object.hasOwn(NODE_SINKS, name) && !patched.has(name) ? name : null;
}

/**
 * @param {{require(id: string): object, module: object}} builtins the runtime's access to Node's
 *   built-in modules (environment.js); `module` is node:module
 */
export function installNodeSinks(builtins) {
  const Module = builtins.module;
  for (const name of Object.keys(NODE_SINKS)) {
    if (process.moduleLoadList.includes(`NativeModule ${name}`)) patchModule(name, builtins.require(`node:${name}`));
  }
  // Each later load of one: what the program is handed is patched already.
  const patchOnLoad = (load) => function (request) {
    const exports = load.apply(this, arguments);
    const name = unpatchedSink(request);
    if (name !== null) {
      patchModule(name, exports);
      Module.syncBuiltinESMExports();
    }
    return exports;
  };
  replaceMethod(Module, '_load', patchOnLoad);
  replaceMethod(process, 'getBuiltinModule', patchOnLoad);
}
