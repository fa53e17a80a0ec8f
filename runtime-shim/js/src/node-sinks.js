// Node's built-in functions that take typed arrays. Node checks their arguments with its own
// copies of the engine's builtins (or in C++), so a strict-mode view, a Proxy, is refused there
// with ERR_INVALID_ARG_TYPE: a program that runs without viewsan would stop under it. Each function
// listed takes guarded views anywhere in its arguments, and in the arrays some take (Buffer.concat's
// list, readv's and writev's buffers): each view is checked once, at that boundary, and its real
// typed array passed on. One that returns the view it was given (randomFillSync) returns it guarded.
//
// crypto, buffer and fs are loaded before any program runs. stream and zlib are patched if the
// program has loaded them when viewsan installs its sinks: loading them for a program that does not
// use them would cost every start a millisecond or two.

import { unwrapForSink, viewRecords } from './guarded-view.js';
import { replaceMethod } from './method-patch.js';

// [module, where its functions are (given the module), their names]
const NODE_SINKS = [
  ['buffer', (m) => m.Buffer, ['from', 'compare', 'concat', 'byteLength']],
  ['buffer', (m) => m.Buffer.prototype, ['equals', 'compare', 'indexOf', 'lastIndexOf', 'includes', 'copy', 'fill']],
  ['crypto', (m) => m, [
    'randomFill', 'randomFillSync', 'timingSafeEqual', 'pbkdf2', 'pbkdf2Sync', 'scrypt', 'scryptSync',
    'hkdf', 'hkdfSync', 'createHmac', 'createCipheriv', 'createDecipheriv', 'createSecretKey',
    'createPublicKey', 'createPrivateKey', 'publicEncrypt', 'publicDecrypt', 'privateEncrypt',
    'privateDecrypt', 'sign', 'verify', 'hash',
  ]],
  ['crypto', (m) => Object.getPrototypeOf(m.createHash('sha256')), ['update']],
  ['crypto', (m) => Object.getPrototypeOf(m.createHmac('sha256', '')), ['update']],
  ['crypto', (m) => Object.getPrototypeOf(m.createSign('sha256')), ['update']],
  ['crypto', (m) => Object.getPrototypeOf(m.createVerify('sha256')), ['update', 'verify']],
  ['crypto', cipherPrototypes, ['update', 'setAAD', 'setAuthTag']],
  ['fs', (m) => m, [
    'write', 'writeSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'read',
    'readSync', 'readv', 'readvSync', 'writev', 'writevSync',
  ]],
  ['stream', (m) => m.Writable.prototype, ['write', 'end']],
  ['zlib', (m) => m, Object.keys],
];

// Cipheriv and Decipheriv share their methods' names, not their prototypes.
function cipherPrototypes(crypto) {
  const key = new Uint8Array(16);
  return [crypto.createCipheriv('aes-128-cbc', key, key), crypto.createDecipheriv('aes-128-cbc', key, key)]
    .map((cipher) => Object.getPrototypeOf(cipher));
}

// Loaded before any program runs, or by the program: Node lists every module it has loaded.
const loaded = (name) => name !== 'stream' && name !== 'zlib'
  || process.moduleLoadList.includes(`NativeModule ${name}`);

function unwrapArgument(value, sink) {
  if (typeof value !== 'object' || value === null) return value;
  if (!Array.isArray(value)) return unwrapForSink(value, sink);
  if (!value.some((item) => viewRecords.has(item))) return value;
  return value.map((item) => unwrapForSink(item, sink));
}

const unwrappingEveryArgument = (sink) => (original) => function (...args) {
  let given = null;
  for (let i = 0; i < args.length; i++) {
    const unwrapped = unwrapArgument(args[i], sink);
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

/** @param {(id: string) => object} requireBuiltin */
export function installNodeSinks(requireBuiltin) {
  for (const [name, ownersOf, names] of NODE_SINKS) {
    if (!loaded(name)) continue;
    const module = requireBuiltin(`node:${name}`);
    const owners = [ownersOf(module)].flat();
    for (const owner of owners) {
      const methods = typeof names === 'function'
        ? names(owner).filter((key) => /^[a-z]/.test(key) && typeof owner[key] === 'function')
        : names;
      for (const method of methods) {
        replaceMethod(owner, method, unwrappingEveryArgument(`${ownerLabel(owner, module, name)}.${method}`));
      }
    }
  }
}
