// Which WebAssembly memories are guarded, by which session, and which ArrayBuffers are (or were)
// their buffers. Also hooks WebAssembly.Memory.prototype.grow, because Emscripten and other glue
// grow memory from JavaScript rather than with the memory.grow instruction.

const sessionsByMemory = new Map();   // WebAssembly.Memory -> Session
const bufferOwners = new WeakMap();   // ArrayBuffer -> Session, or null for buffers of no memory
let originalGrow = null;

export function registerMemory(memory, session) {
  if (sessionsByMemory.has(memory) && sessionsByMemory.get(memory) !== session) {
    throw new Error('viewsan: this WebAssembly.Memory is already guarded by another session');
  }
  sessionsByMemory.set(memory, session);
  bufferOwners.set(memory.buffer, session);
  installGrowHook();
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
  // Only ArrayBuffers can become a memory's buffer later; cache misses for them too, since a
  // buffer that exists now is never adopted by a memory.
  bufferOwners.set(buffer, owner);
  return owner;
}

export function hasGuardedMemories() {
  return sessionsByMemory.size > 0;
}

function installGrowHook() {
  if (originalGrow) return;
  originalGrow = WebAssembly.Memory.prototype.grow;
  const grow = originalGrow;
  Object.defineProperty(WebAssembly.Memory.prototype, 'grow', {
    ...Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'grow'),
    value: {
      grow(delta) {
        const session = sessionsByMemory.get(this);
        if (session === undefined) return grow.call(this, delta);
        // Remember the buffer being detached, so views created over it later are recognised.
        bufferOwners.set(this.buffer, session);
        return session.growFromJs(this, delta, grow);
      },
    }.grow,
  });
}
