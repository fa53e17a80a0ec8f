// patchViews: `new Float32Array(memory.buffer, ptr, n)` (or `new DataView(memory.buffer, ptr, n)`)
// over a guarded memory returns a guarded view, with no change to the app's code. Each global
// typed-array constructor, and DataView, is replaced by a constructor function that looks at the
// buffer argument; every other construction (and every subclass's) is the original constructor's.
//
// A function, not a Proxy: every typed array any code of the process makes passes through it, and
// V8 runs a Proxy's construct trap about 90 ns slower than a call. (The species every subarray and
// slice asks the constructor for is an accessor of the function's, not a get trap.)

import { countGlueCopyOut } from './glue-views.js';
import { viewRecords } from './guarded-view.js';
import { ownerOfBuffer } from './memory-registry.js';

export const TYPED_ARRAY_NAMES = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

// The real constructors, for viewsan's own views (never guarded, whatever is installed later).
export const RawUint8Array = globalThis.Uint8Array;
export const RawInt8Array = globalThis.Int8Array;
export const RawInt16Array = globalThis.Int16Array;
export const RawDataView = globalThis.DataView;

// Each view constructor this engine has (the engine's own, read before anything is patched), and
// the patched constructor standing for it once installed.
const rawConstructors = new Map();
for (const name of [...TYPED_ARRAY_NAMES, 'DataView']) {
  if (typeof globalThis[name] === 'function') rawConstructors.set(globalThis[name], globalThis[name]);
}

/** The engine's constructor behind `Ctor` (itself, or the Proxy patchViews installed), else null. */
export function rawViewConstructor(Ctor) {
  return rawConstructors.get(Ctor) ?? null;
}

let installed = false;

export function installViewConstructors() {
  if (installed) return;
  installed = true;
  for (const name of [...TYPED_ARRAY_NAMES, 'DataView']) {
    const Original = globalThis[name];
    if (typeof Original !== 'function') continue;
    const patched = patchedConstructor(name, Original);
    rawConstructors.set(patched, Original);
    // `view.constructor === Float32Array` keeps holding for every typed array, guarded or not.
    Object.defineProperty(Original.prototype, 'constructor', {
      value: patched, writable: true, configurable: true, enumerable: false,
    });
    Object.defineProperty(globalThis, name, {
      value: patched, writable: true, configurable: true, enumerable: false,
    });
  }
}

/**
 * The constructor that stands for `Original` under `name`: the engine's own statics, prototype,
 * name and length, and `new` through it is the engine's but for views over a guarded memory.
 */
function patchedConstructor(name, Original) {
  const copies = name !== 'DataView';
  // An undefined offset or length is an absent one to each of these constructors: the three
  // parameters pass on what the program gave. `new` of the patched constructor reaches this
  // function with itself for new.target; a subclass's super() with the subclass.
  const construct = function (source, offset, length) {
    const newTarget = new.target;
    if (newTarget === undefined) throw new TypeError(`Constructor ${name} requires 'new'`);
    if (typeof source === 'object' && source !== null) {
      if (newTarget === construct && (source instanceof ArrayBuffer || isSharedArrayBuffer(source))) {
        const session = ownerOfBuffer(source);
        if (session !== null && session.options.patchViews) return session.makeView(Original, arguments);
      } else if (copies && !Array.isArray(source)) {
        source = copyFromGuardedView(name, source, construct);
      }
    }
    if (newTarget === construct) return new Original(source, offset, length);
    return constructFor(newTarget, new Original(source, offset, length));
  };
  construct.prototype = Original.prototype;  // `instanceof` asks the bound function's target
  // Bound, so that it prints as the engine's functions do (`function () { [native code] }`), as the
  // Proxy did: code that tells native constructors by their source (Babel's helpers for classes
  // extending built-ins) takes it for the engine's.
  const patched = construct.bind(undefined);
  Object.defineProperties(patched, {
    name: { value: name, configurable: true },
    length: { value: Original.length, configurable: true },
    prototype: { value: Original.prototype, writable: false, enumerable: false, configurable: false },
  });
  Object.setPrototypeOf(patched, Object.getPrototypeOf(Original));
  for (const key of Reflect.ownKeys(Original)) {
    if (key !== 'name' && key !== 'length' && key !== 'prototype') {
      Object.defineProperty(patched, key, Object.getOwnPropertyDescriptor(Original, key));
    }
  }
  if (copies) {
    // Species creation (subarray, slice, map...) must build real typed arrays, which viewsan
    // guards itself where needed; subclasses keep their own species.
    Object.defineProperty(patched, Symbol.species, {
      get() { return this === patched ? Original : this; },
      configurable: true,
    });
  }
  return patched;
}

/**
 * `made`, constructed for another new.target: a subclass's super() (class Bytes extends
 * Uint8Array), or Reflect.construct. It gets the prototype the engine would have given it.
 * (Reflect.construct(Original, args, newTarget) would give it too, but V8 keeps one instance layout
 * per new.target, which the call of this function, a base constructor, has just made for
 * ordinary objects: the engine's would be made anew at every construction, 2 µs each.)
 */
function constructFor(newTarget, made) {
  const proto = newTarget.prototype;
  if ((typeof proto === 'object' && proto !== null) || typeof proto === 'function') {
    Object.setPrototypeOf(made, proto);
  }
  return made;
}

// `new Float32Array(view)` copies a view's elements out of linear memory, a copy-out as slice() is
// (out of a glue's own view too: glue-views.js).
// A guarded view is checked once and the engine gets the real typed array, which it copies in one
// go: a strict view's Proxy would be read element by element, each read checked (about 1000 times
// slower). Compat views are real typed arrays, checked here as at the other copying sinks.
function copyFromGuardedView(name, source, entry) {
  const record = viewRecords.get(source);
  if (record === undefined) {
    if (ArrayBuffer.isView(source)) countGlueCopyOut(source, source.byteLength, `new ${name}`);
    return source;
  }
  const sink = `new ${name}`;
  const real = record.targetFor(sink);
  record.copiedOut(real.byteLength, sink, real.byteOffset, entry);
  return real;
}

/**
 * Whether `value` is a SharedArrayBuffer. A page that is not cross-origin isolated has no
 * SharedArrayBuffer global, yet the buffers of its shared wasm memories are SharedArrayBuffers:
 * there they are known by their tag.
 */
export const isSharedArrayBuffer = typeof SharedArrayBuffer === 'function'
  ? (value) => value instanceof SharedArrayBuffer
  : (value) => Object.prototype.toString.call(value) === '[object SharedArrayBuffer]';
