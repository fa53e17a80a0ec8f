// patchViews: `new Float32Array(memory.buffer, ptr, n)` (or `new DataView(memory.buffer, ptr, n)`)
// over a guarded memory returns a guarded view, with no change to the app's code. Each global
// typed-array constructor, and DataView, is replaced by a Proxy whose construct trap looks at the
// buffer argument; every other construction (and every subclass) goes straight to the original
// constructor.

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
// the patched Proxy standing for it once installed.
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
    const handler = {
      // Species creation (subarray, slice, map...) must build real typed arrays, which viewsan
      // guards itself where needed; subclasses keep their own species. (DataView has none.)
      get(target, key, receiver) {
        if (key === Symbol.species && name !== 'DataView') return receiver === patched ? target : receiver;
        return Reflect.get(target, key, receiver);
      },
      construct(target, args, newTarget) {
        const source = args[0];
        if (typeof source === 'object' && source !== null) {
          if (newTarget === patched && (source instanceof ArrayBuffer || isSharedArrayBuffer(source))) {
            const session = ownerOfBuffer(source);
            if (session !== null && session.options.patchViews) return session.makeView(target, args);
          } else if (name !== 'DataView') {
            args = copyFromGuardedView(name, source, args, handler.construct);
          }
        }
        return Reflect.construct(target, args, newTarget === patched ? target : newTarget);
      },
    };
    const patched = new Proxy(Original, handler);
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

// `new Float32Array(view)` copies a view's elements out of linear memory, a copy-out as slice() is
// (out of a glue's own view too: glue-views.js).
// A guarded view is checked once and the engine gets the real typed array, which it copies in one
// go: a strict view's Proxy would be read element by element, each read checked (about 1000 times
// slower). Compat views are real typed arrays, checked here as at the other copying sinks.
function copyFromGuardedView(name, source, args, entry) {
  const record = viewRecords.get(source);
  if (record === undefined) {
    if (ArrayBuffer.isView(source)) countGlueCopyOut(source, source.byteLength, `new ${name}`);
    return args;
  }
  const sink = `new ${name}`;
  const real = record.targetFor(sink);
  record.copiedOut(real.byteLength, sink, real.byteOffset, entry);
  return [real, ...Array.prototype.slice.call(args, 1)];
}

/**
 * Whether `value` is a SharedArrayBuffer. A page that is not cross-origin isolated has no
 * SharedArrayBuffer global, yet the buffers of its shared wasm memories are SharedArrayBuffers:
 * there they are known by their tag.
 */
export const isSharedArrayBuffer = typeof SharedArrayBuffer === 'function'
  ? (value) => value instanceof SharedArrayBuffer
  : (value) => Object.prototype.toString.call(value) === '[object SharedArrayBuffer]';
