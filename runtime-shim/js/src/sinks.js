// Platform APIs that take typed arrays. A strict-mode view is a Proxy, which the engine's own
// APIs reject or misread, so each listed API is patched to check a guarded view once, at that
// boundary, and pass the real typed array on. Compat-mode views are checked at the same places.
// The Web IDL ones also report a view over a resizable buffer (resizable-views.js).
// The list is documented in runtime-shim/js/README.md.

import { unwrapForClone } from './clone-graph.js';
import { nodeBuiltins } from './environment.js';
import { countGlueCopyOut } from './glue-views.js';
import { replaceMethod } from './method-patch.js';
import { installNodeSinks } from './node-sinks.js';
import { unwrapForSink, viewRecords } from './guarded-view.js';
import { checkFixedLength } from './resizable-views.js';

/** As unwrapForSink, for an argument of a Web IDL operation: a view over a resizable buffer is reported. */
function unwrapForWebIdl(value, sink) {
  const record = viewRecords.get(value);
  if (record === undefined) return value;
  const target = record.targetFor(sink);
  checkFixedLength(record, sink);
  return target;
}

function patchMethod(owner, name, sink, makeReplacement) {
  replaceMethod(owner, name, (original) => makeReplacement(original, sink));
}

// Unwraps the arguments at the given positions: of any function, or of a Web IDL operation.
// The arguments are copied only when one of them is a guarded view (the sinks are hot paths, a
// decoder's decode above all, and most take one view among their first two arguments: that case
// has a function of its own).
const unwrapArgsWith = (unwrapOne, positions) => (original, sink) => {
  const general = function () {
    let args = arguments;
    for (const i of positions) {
      if (i >= args.length) continue;
      const unwrapped = unwrapOne(args[i], sink);
      if (unwrapped === args[i]) continue;
      if (args === arguments) args = [...arguments];
      args[i] = unwrapped;
    }
    return original.apply(this, args);
  };
  if (positions.length !== 1 || positions[0] > 1) return general;
  // Named parameters and call(), not `arguments` and apply(): no arguments object, no array.
  const [at] = positions;
  return function (first, second) {
    const count = arguments.length;
    if (count > 2) return general.apply(this, arguments);
    if (at === 0) first = unwrapOne(first, sink);
    else second = unwrapOne(second, sink);
    return count === 2 ? original.call(this, first, second) : count === 1 ? original.call(this, first) : original.call(this);
  };
};
const unwrapArgs = (...positions) => unwrapArgsWith(unwrapForSink, positions);
const unwrapWebIdlArgs = (...positions) => unwrapArgsWith(unwrapForWebIdl, positions);

// Node defines some globals as getters that load their module when first read: reading
// `Response` loads undici, about 25 ms of a process's start, and `crypto` Web Crypto, about 1 ms.
// What such a global holds is patched when the program first reads it, and not at all if it
// never does (then nothing can construct or call it).
function whenGlobalLoaded(name, patch) {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  if (!descriptor?.get || !descriptor.configurable) {
    patch();
    return;
  }
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: descriptor.enumerable,
    get() {
      Object.defineProperty(globalThis, name, descriptor);
      patch();
      return globalThis[name];
    },
    set(value) {
      Object.defineProperty(globalThis, name, descriptor);
      globalThis[name] = value;
    },
  });
}

function patchConstructor(name, positions) {
  whenGlobalLoaded(name, () => wrapConstructor(name, positions));
}

function wrapConstructor(name, positions) {
  const Original = globalThis[name];
  if (typeof Original !== 'function') return;
  globalThis[name] = new Proxy(Original, {
    construct(target, args, newTarget) {
      for (const i of positions) if (i < args.length) args[i] = unwrapDeep(args[i], name);
      return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
    },
  });
}

// Blob([part, part]), new Response(view): unwrap views inside arrays and plain objects too, a few
// levels deep, copying a container only when it holds a guarded view. (The cloning sinks take any
// graph: clone-graph.js.) The constructors patched are all Web IDL ones.
function unwrapDeep(value, sink, depth = 0) {
  if (typeof value !== 'object' || value === null) return value;
  if (viewRecords.has(value)) return unwrapForWebIdl(value, sink);
  if (depth >= 3) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => unwrapDeep(v, sink, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let copy = null;
  for (const [key, v] of Object.entries(value)) {
    const unwrapped = unwrapDeep(v, sink, depth + 1);
    if (unwrapped !== v) (copy ??= { ...value })[key] = unwrapped;
  }
  return copy ?? value;
}

// structuredClone(value), postMessage(value, ...): the value is a whole graph.
const unwrapCloned = (original, sink) => function (...args) {
  if (args.length > 0) args[0] = unwrapForClone(args[0], sink);
  return original.apply(this, args);
};

// WebGL's: every argument may be a view.
const unwrapEveryWebIdlArg = (original, sink) => function (...args) {
  for (let i = 0; i < args.length; i++) args[i] = unwrapForWebIdl(args[i], sink);
  return original.apply(this, args);
};

// Every argument unwrapped as a constructor's are: a BufferSource, or a list or dictionary holding one.
const unwrapEveryArgDeep = (original, sink) => function (...args) {
  for (let i = 0; i < args.length; i++) args[i] = unwrapDeep(args[i], sink);
  return original.apply(this, args);
};

// Web APIs that take a BufferSource, or a dictionary or list holding one: each refuses a Proxy
// (GPUQueue.writeBuffer, a compression stream's writer) or, worse, sends its text (WebSocket.send,
// XMLHttpRequest.send, a fetch body take a string too: a strict view would go as "200,200,...").
// [interface, its prototype's methods (all of them: null), how]
const WEB_METHOD_SINKS = [
  ['XMLHttpRequest', ['send'], unwrapEveryArgDeep],
  ['WebSocket', ['send'], unwrapEveryArgDeep],
  ['RTCDataChannel', ['send'], unwrapEveryArgDeep],
  ['Navigator', ['sendBeacon'], unwrapEveryArgDeep],
  ['SubtleCrypto', null, unwrapEveryArgDeep],  // also once crypto is read: crypto.subtle
  ['GPUQueue', ['writeBuffer', 'writeTexture'], unwrapEveryArgDeep],
  ['IDBObjectStore', ['put', 'add'], unwrapCloned],
];
// The streams' chunks. In Node these globals load one module when first read, and the program may
// reach its classes through any of them (a ReadableStream's controller): all are patched then.
const STREAM_SINKS = [
  ['WritableStreamDefaultWriter', ['write']],
  ['ReadableStreamDefaultController', ['enqueue']],
  ['TransformStreamDefaultController', ['enqueue']],
];
// Constructors whose arguments hold the bytes: new Request(url, {body}), new File([view], name),
// WebCodecs' chunks and frames ({data}).
const WEB_CONSTRUCTOR_SINKS = [
  ['Request', [1]], ['File', [0]], ['EncodedVideoChunk', [0]], ['EncodedAudioChunk', [0]],
  ['AudioData', [0]], ['VideoFrame', [0]],
];

const patchedPrototypes = new WeakSet();

function patchPrototypeMethods(name, methods, how, proto = globalThis[name]?.prototype) {
  if (!proto || patchedPrototypes.has(proto)) return;
  patchedPrototypes.add(proto);
  for (const method of methods ?? Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor')) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, method);
    if (typeof descriptor?.value === 'function') patchMethod(proto, method, `${name}.${method}`, how);
  }
}

let streamSinksPatched = false;
function patchStreamSinks() {
  if (streamSinksPatched) return;
  streamSinksPatched = true;
  for (const [name, methods] of STREAM_SINKS) patchPrototypeMethods(name, methods, unwrapWebIdlArgs(0));
}

function installWebSinks() {
  for (const [name, methods, how] of WEB_METHOD_SINKS) {
    whenGlobalLoaded(name, () => patchPrototypeMethods(name, methods, how));
  }
  for (const [name, positions] of WEB_CONSTRUCTOR_SINKS) patchConstructor(name, positions);
  for (const name of ['ReadableStream', 'WritableStream', 'TransformStream', ...STREAM_SINKS.map(([n]) => n)]) {
    whenGlobalLoaded(name, patchStreamSinks);
  }
  // fetch(url, {body: view}); Node's loads its implementation when first called, not read.
  patchMethod(globalThis, 'fetch', 'fetch', unwrapEveryArgDeep);
}

// WebGL entry points that read or write typed arrays.
const WEBGL_ARRAY_METHODS =
  /^(bufferData|bufferSubData|getBufferSubData|readPixels|(compressed)?[tT]ex(Sub)?Image[23]D|uniform(Matrix)?\w*v|vertexAttrib\w*v|clearBuffer\w*v)$/;

// Web Crypto's getRandomValues fills the view it is given and returns it: the guarded one here.
let getRandomValuesPatched = false;
function patchGetRandomValues() {
  const crypto = globalThis.crypto;
  if (getRandomValuesPatched || typeof crypto?.getRandomValues !== 'function') return;
  getRandomValuesPatched = true;
  patchMethod(Object.getPrototypeOf(crypto), 'getRandomValues', 'crypto.getRandomValues',
    (original, sink) => function getRandomValues(view) {
      original.call(this, unwrapForWebIdl(view, sink));
      return view;
    });
  if (crypto.subtle) patchPrototypeMethods('SubtleCrypto', null, unwrapEveryArgDeep, Object.getPrototypeOf(crypto.subtle));
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
  // Array.from(view) copies every element out of linear memory: a copy-out, like slice(). (A
  // DataView has no elements: Array.from makes an empty array of it.)
  patchMethod(Array, 'from', 'Array.from', (original, sink) => function from(items, ...rest) {
    const record = viewRecords.get(items);
    if (record === undefined) {
      if (ArrayBuffer.isView(items)) countGlueCopyOut(items, items.byteLength, sink);
      return original.call(this, items, ...rest);
    }
    const target = record.targetFor(sink);
    if (!record.isDataView()) record.copiedOut(target.byteLength, sink, target.byteOffset, from);
    return original.call(this, target, ...rest);
  });
  patchMethod(globalThis.TextDecoder?.prototype, 'decode', 'TextDecoder.decode', unwrapWebIdlArgs(0));
  patchMethod(globalThis.TextEncoder?.prototype, 'encodeInto', 'TextEncoder.encodeInto', unwrapWebIdlArgs(1));
  // Node's node:crypto.getRandomValues and webcrypto reach the same prototype, without the global:
  // if the program loaded Web Crypto so, it is patched now.
  if (nodeBuiltins && process.moduleLoadList.includes('NativeModule internal/crypto/webcrypto')) patchGetRandomValues();
  else whenGlobalLoaded('crypto', patchGetRandomValues);
  patchConstructor('ImageData', [0]);
  patchConstructor('Blob', [0]);
  patchConstructor('Response', [0]);
  installWebSinks();
  for (const name of ['WebGLRenderingContext', 'WebGL2RenderingContext']) {
    const proto = globalThis[name]?.prototype;
    if (!proto) continue;
    for (const method of Object.getOwnPropertyNames(proto)) {
      if (WEBGL_ARRAY_METHODS.test(method)) patchMethod(proto, method, `${name}.${method}`, unwrapEveryWebIdlArg);
    }
  }
  patchMethod(globalThis.AudioBuffer?.prototype, 'copyToChannel', 'AudioBuffer.copyToChannel', unwrapWebIdlArgs(0));
  patchMethod(globalThis.AudioBuffer?.prototype, 'copyFromChannel', 'AudioBuffer.copyFromChannel', unwrapWebIdlArgs(0));
  // Atomics take the typed array itself (threaded glue waits and notifies through HEAP32).
  for (const name of Object.getOwnPropertyNames(Atomics)) {
    if (typeof Atomics[name] === 'function' && name !== 'isLockFree' && name !== 'pause') {
      patchMethod(Atomics, name, `Atomics.${name}`, unwrapArgs(0));
    }
  }
  patchMethod(globalThis, 'structuredClone', 'structuredClone', unwrapCloned);
  // A window's and a worker's own postMessage live on the global object, not its prototype.
  // Node's worker_threads Worker posts through its MessagePort.
  patchMethod(globalThis, 'postMessage', 'postMessage', unwrapCloned);
  for (const name of ['Window', 'Worker', 'MessagePort', 'BroadcastChannel', 'DedicatedWorkerGlobalScope', 'ServiceWorker']) {
    patchMethod(globalThis[name]?.prototype, 'postMessage', `${name}.postMessage`, unwrapCloned);
  }
  if (nodeBuiltins) {
    installNodeSinks(nodeBuiltins);
    nodeBuiltins.module.syncBuiltinESMExports();
  }
}
