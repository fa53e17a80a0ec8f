// Heaps that threads share. A shared WebAssembly.Memory is one heap for every thread that
// instantiates a module over it (Emscripten's pthreads post it to each worker), so it gets one
// region registry for all of them: the shared shim's memory (shim.js), made when the first thread
// guards the heap. Each thread's session instantiates the shared shim over that one shim memory,
// so a free made by a worker is seen by the main thread's views, and the reverse.
//
// A thread that receives the heap must receive its registry too, and know which memory it belongs
// to: structured cloning gives the receiver a new Memory object, and no API tells whether two
// Memory objects share their bytes. So when a message posted to a guarded worker holds a guarded
// shared memory, viewsan posts it inside an envelope that also holds the registry, and the worker's
// runtime opens the envelope before any listener of the app sees the message: within one clone
// the memory object in the app's data and the one beside its registry are the same object.
// Envelopes go only to workers that run viewsan (it started them: web-workers.js,
// node-workers.js), from parent to worker.

import { forEachObjectInGraph } from './clone-graph.js';
import { SHARED_SHIM_MEMORY, loadedSharedShimModule } from './shim.js';
import { isSharedArrayBuffer } from './view-constructors.js';

const ENVELOPE = 'viewsan:shared-heaps';

// The engine's constructor, read before early-sessions.js records the memories apps make: the
// shim's own memory is not an app's.
const RawMemory = WebAssembly.Memory;

// app memory -> { memory: the shim's shared memory, module: the shared shim, joined }
// (`joined`: received from another thread, which made it).
const heaps = new WeakMap();
let heapCount = 0;
const guardedWorkers = new WeakSet();

/** Whether `memory` is a shared WebAssembly.Memory. */
export function isSharedMemory(memory) {
  return isSharedArrayBuffer(memory.buffer);
}

/**
 * The registry of the shared memory `memory`: the one a parent thread posted with it, else one
 * made here. Null where the shared shim is not available (then the session keeps a registry of
 * its own, as for a heap no other thread uses).
 */
export function sharedHeapOf(memory) {
  let heap = heaps.get(memory);
  if (heap === undefined) {
    const module = loadedSharedShimModule();
    if (!module) return null;
    heap = { memory: new RawMemory(SHARED_SHIM_MEMORY), module, joined: false };
    heaps.set(memory, heap);
    heapCount++;
  }
  return heap;
}

/** A worker that runs viewsan: messages to it carry the registries of the heaps they hold. */
export function markGuardedWorker(worker) {
  guardedWorkers.add(worker);
}

/** `postMessage` of `owner` (a Worker prototype) sends guarded workers their heaps' registries. */
export function sendHeapsWith(owner) {
  const original = owner?.postMessage;
  if (typeof original !== 'function') return;
  const postMessage = function (message, ...rest) {
    if (heapCount > 0 && guardedWorkers.has(this)) {
      const posted = envelopeFor(message);
      if (posted !== null) return original.call(this, posted, ...rest);
    }
    return original.call(this, message, ...rest);
  };
  Object.defineProperty(postMessage, 'name', { value: original.name });
  Object.defineProperty(owner, 'postMessage', { ...Object.getOwnPropertyDescriptor(owner, 'postMessage'), value: postMessage });
}

function envelopeFor(message) {
  const held = [];
  forEachObjectInGraph(message, (object) => {
    if (object instanceof WebAssembly.Memory && heaps.has(object)) held.push(object);
  });
  if (held.length === 0) return null;
  const registries = held.map((memory) => ({ memory, shim: heaps.get(memory).memory, module: heaps.get(memory).module }));
  return { [ENVELOPE]: registries, data: message };
}

/** Opens an envelope: adopts the registries it holds and returns the app's message. */
export function openEnvelope(data) {
  if (typeof data !== 'object' || data === null || !Object.hasOwn(data, ENVELOPE)) return data;
  for (const { memory, shim, module } of data[ENVELOPE]) {
    if (!heaps.has(memory)) heapCount++;
    heaps.set(memory, { memory: shim, module, joined: true });
  }
  return data.data;
}

/**
 * In a worker: messages from the parent are opened before the app's listeners see them. A page's
 * worker: a listener that runs first (register.js loads before the worker's script). Node: the
 * port's dispatch, which hands `.on('message')` listeners the data directly.
 */
export function receiveHeaps({ parentPort } = {}) {
  if (parentPort) {
    const dispatch = Symbol.for('nodejs.internal.kHybridDispatch');
    const original = parentPort[dispatch];
    if (typeof original !== 'function') return;
    parentPort[dispatch] = function (value, type, event) {
      return original.call(this, type === 'message' ? openEnvelope(value) : value, type, event);
    };
    return;
  }
  if (typeof globalThis.DedicatedWorkerGlobalScope !== 'function' || !(globalThis instanceof globalThis.DedicatedWorkerGlobalScope)) return;
  globalThis.addEventListener('message', (event) => {
    const data = openEnvelope(event.data);
    if (data !== event.data) Object.defineProperty(event, 'data', { value: data, configurable: true, enumerable: true });
  });
}

/** Whether Node's workers can open envelopes (the sender's Node is the receiver's). */
export function nodeCanReceiveHeaps(MessagePort) {
  return typeof MessagePort?.prototype?.[Symbol.for('nodejs.internal.kHybridDispatch')] === 'function';
}
