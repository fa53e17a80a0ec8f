// Which WebAssembly memories are guarded, by which session, and which ArrayBuffers are (or were)
// their buffers; and which memories were made while viewsan was loaded and have no session yet
// (early-sessions.js), found by their buffer when a view is made over one. Also hooks
// WebAssembly.Memory.prototype.grow, because Emscripten and other glue grow memory from
// JavaScript rather than with the memory.grow instruction, and toResizableBuffer /
// toFixedLengthBuffer, which detach memory.buffer without growing it.

import { WASM_PAGE_BYTES } from './protocol.js';
import { captureStack } from './report.js';

const sessionsByMemory = new Map();   // WebAssembly.Memory -> Session
const bufferOwners = new WeakMap();   // ArrayBuffer -> Session, or null for buffers of no memory
const replacedBuffers = new WeakMap(); // ArrayBuffer -> {method, pages, stack}: what detached it
let hooksInstalled = false;

// Memories recorded at their creation that no session guards yet, held weakly.
const createdMemories = new Set();    // WeakRef<WebAssembly.Memory>
const createdRefs = new WeakMap();     // WebAssembly.Memory -> its WeakRef in createdMemories
const collected = new FinalizationRegistry((ref) => createdMemories.delete(ref));
let startSession = null;              // (memory) => Session | null: a recorded memory's first view

export function registerMemory(memory, session) {
  if (sessionsByMemory.has(memory) && sessionsByMemory.get(memory) !== session) {
    throw new Error('viewsan: this WebAssembly.Memory is already guarded by another session');
  }
  sessionsByMemory.set(memory, session);
  bufferOwners.set(memory.buffer, session);
  forgetCreated(memory);
  installMemoryHooks();
}

/**
 * Records a memory made while viewsan is loaded: the first guarded-view construction over its
 * buffer asks `start(memory)` for the memory's session (null: none yet, asked again at the next).
 */
export function recordCreatedMemory(memory, start) {
  startSession = start;
  const ref = new WeakRef(memory);
  createdMemories.add(ref);
  createdRefs.set(memory, ref);
  collected.register(memory, ref, ref);
}

function forgetCreated(memory) {
  const ref = createdRefs.get(memory);
  if (ref === undefined) return;
  createdMemories.delete(ref);
  createdRefs.delete(memory);
  collected.unregister(ref);
}

/** The session guarding `memory`, else null. */
export function sessionOfMemory(memory) {
  return sessionsByMemory.get(memory) ?? null;
}

export function unregisterMemory(memory, session) {
  if (sessionsByMemory.get(memory) === session) sessionsByMemory.delete(memory);
}

/** The session guarding `buffer` (current or detached buffer of a guarded memory), else null. */
export function ownerOfBuffer(buffer) {
  let owner = bufferOwners.get(buffer);
  if (owner !== undefined) return owner?.memory && sessionsByMemory.get(owner.memory) === owner ? owner : null;
  owner = null;
  for (const [memory, session] of sessionsByMemory) {
    if (memory.buffer === buffer) owner = session;
  }
  if (owner === null && createdMemories.size > 0) {
    const created = createdMemoryOf(buffer);
    // A session that cannot start yet (the shim is still loading) may start at the next view.
    if (created !== null && (owner = startSession(created)) === null) return null;
  }
  // Only ArrayBuffers can become a memory's buffer later; cache misses for them too, since a
  // buffer that exists now is never adopted by a memory.
  bufferOwners.set(buffer, owner);
  return owner;
}

function createdMemoryOf(buffer) {
  for (const ref of createdMemories) {
    const memory = ref.deref();
    if (memory?.buffer === buffer) return memory;
  }
  return null;
}

/**
 * `{method, pages, stack}` for a buffer that memory.toResizableBuffer() or toFixedLengthBuffer()
 * detached (`stack`: an Error, or null when no stack was recorded), else undefined: growth
 * detached it, or nothing did.
 */
export function bufferReplacement(buffer) {
  return replacedBuffers.get(buffer);
}

export function hasGuardedMemories() {
  return sessionsByMemory.size > 0;
}

function installMemoryHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  replaceMethod('grow', (grow) => ({
    grow(delta) {
      const session = sessionsByMemory.get(this);
      if (session === undefined) return grow.call(this, delta);
      // Remember the buffer being detached, so views created over it later are recognised.
      bufferOwners.set(this.buffer, session);
      return session.growFromJs(this, delta, grow);
    },
  }.grow));
  // Where the engine has them (Chromium; not Node 20): each returns the new memory.buffer and
  // detaches the old one, unless it is shared (a SharedArrayBuffer never detaches) or already of
  // the kind asked for (the same buffer is returned).
  for (const name of ['toResizableBuffer', 'toFixedLengthBuffer']) {
    replaceMethod(name, (convert) => ({
      [name]() {
        const session = sessionsByMemory.get(this);
        if (session === undefined) return convert.call(this);
        const before = this.buffer;
        const pages = before.byteLength / WASM_PAGE_BYTES;
        const stack = captureStack(session.options.mallocContextSize);
        const after = convert.call(this);
        if (after !== before && before.byteLength === 0) {
          bufferOwners.set(before, session);
          replacedBuffers.set(before, { method: name, pages, stack });
        }
        return after;
      },
    }[name]));
  }
}

function replaceMethod(name, makeReplacement) {
  const proto = WebAssembly.Memory.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  if (typeof descriptor?.value !== 'function') return;
  Object.defineProperty(proto, name, { ...descriptor, value: makeReplacement(descriptor.value) });
}
