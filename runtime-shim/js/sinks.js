// Platform APIs that take typed arrays. A strict-mode view is a Proxy, which the engine's own
// APIs reject or misread, so each listed API is patched to check a guarded view once, at that
// boundary, and pass the real typed array on. Compat-mode views are checked at the same places.
// The list is documented in runtime-shim/js/README.md.

import { viewRecords } from './guarded-view.js';

/** Checks a guarded view and returns the typed array under it; other values pass unchanged. */
function unwrap(value, sink) {
  const record = typeof value === 'object' && value !== null ? viewRecords.get(value) : undefined;
  return record === undefined ? value : record.session.unwrapForSink(value, sink);
}

function patchMethod(owner, name, sink, makeReplacement) {
  if (!owner || typeof owner[name] !== 'function') return;
  const original = owner[name];
  const replacement = makeReplacement(original, sink);
  Object.defineProperty(replacement, 'name', { value: original.name });
  Object.defineProperty(owner, name, { ...Object.getOwnPropertyDescriptor(owner, name), value: replacement });
}

// Unwraps the arguments at the given positions.
const unwrapArgs = (...positions) => (original, sink) => function (...args) {
  for (const i of positions) if (i < args.length) args[i] = unwrap(args[i], sink);
  return original.apply(this, args);
};

function patchConstructor(name, positions) {
  const Original = globalThis[name];
  if (typeof Original !== 'function') return;
  globalThis[name] = new Proxy(Original, {
    construct(target, args, newTarget) {
      for (const i of positions) if (i < args.length) args[i] = unwrapDeep(args[i], name);
      return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
    },
  });
}

// Blob([part, part]) and Response(body): unwrap views inside the parts array too.
function unwrapDeep(value, sink) {
  if (Array.isArray(value)) return value.map((v) => unwrap(v, sink));
  return unwrap(value, sink);
}

let installed = false;

export function installSinks() {
  if (installed) return;
  installed = true;
  const TypedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype);

  patchMethod(ArrayBuffer, 'isView', 'ArrayBuffer.isView', (original) => function isView(value) {
    return viewRecords.has(value) || original.call(this, value);
  });
  patchMethod(TypedArrayPrototype, 'set', 'TypedArray.prototype.set', unwrapArgs(0));
  patchMethod(globalThis.TextDecoder?.prototype, 'decode', 'TextDecoder.decode', unwrapArgs(0));
  patchMethod(globalThis.TextEncoder?.prototype, 'encodeInto', 'TextEncoder.encodeInto', unwrapArgs(1));
  if (globalThis.crypto?.getRandomValues) {
    const crypto = globalThis.crypto;
    patchMethod(Object.getPrototypeOf(crypto), 'getRandomValues', 'crypto.getRandomValues',
      (original, sink) => function getRandomValues(view) {
        original.call(this, unwrap(view, sink));
        return view;
      });
  }
  patchConstructor('ImageData', [0]);
  patchConstructor('Blob', [0]);
  patchConstructor('Response', [0]);
}
