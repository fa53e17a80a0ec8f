// patchViews: `new Float32Array(memory.buffer, ptr, n)` over a guarded memory returns a guarded
// view, with no change to the app's code. Each global typed-array constructor is replaced by a
// Proxy whose construct trap looks at the buffer argument; every other construction (and every
// subclass) goes straight to the original constructor.

import { ownerOfBuffer } from './memory-registry.js';

export const TYPED_ARRAY_NAMES = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

// The real constructor, for viewsan's own views (never guarded, whatever is installed later).
export const RawUint8Array = globalThis.Uint8Array;

let installed = false;

export function installViewConstructors() {
  if (installed) return;
  installed = true;
  for (const name of TYPED_ARRAY_NAMES) {
    const Original = globalThis[name];
    if (typeof Original !== 'function') continue;
    const patched = new Proxy(Original, {
      // Species creation (subarray, slice, map...) must build real typed arrays, which viewsan
      // guards itself where needed; subclasses keep their own species.
      get(target, key, receiver) {
        if (key === Symbol.species) return receiver === patched ? target : receiver;
        return Reflect.get(target, key, receiver);
      },
      construct(target, args, newTarget) {
        const buffer = args[0];
        if (newTarget === patched && typeof buffer === 'object' && buffer !== null
            && (buffer instanceof ArrayBuffer || isSharedArrayBuffer(buffer))) {
          const session = ownerOfBuffer(buffer);
          if (session !== null && session.options.patchViews) return session.makeView(target, args);
        }
        return Reflect.construct(target, args, newTarget === patched ? target : newTarget);
      },
    });
    // `view.constructor === Float32Array` keeps holding for every typed array, guarded or not.
    Object.defineProperty(Original.prototype, 'constructor', {
      value: patched, writable: true, configurable: true, enumerable: false,
    });
    Object.defineProperty(globalThis, name, {
      value: patched, writable: true, configurable: true, enumerable: false,
    });
  }
}

function isSharedArrayBuffer(value) {
  return typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer;
}
