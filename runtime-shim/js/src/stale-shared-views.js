// Whole-buffer views over shared memory. A shared memory's buffer never detaches: when any thread
// grows the memory, `memory.buffer` becomes a new, longer SharedArrayBuffer, and the views over an
// older one keep their old length. Such a view (Emscripten's HEAPU8 kept by the app after a worker
// grew the heap) reads undefined past its length, drops writes there, and its subarray() comes
// back empty or short, all silently (duckdb-wasm #2256). Its use past its length, at an index the
// memory now has, is a use-after-grow, whichever thread grew the memory.
//
// Cost: in strict mode a read pays one comparison (an element is never undefined, so only an
// undefined result is looked at), a write one read back; methods compare their index arguments.
// Views over memory that is not shared, or over part of it, never get this record.

import { ViewRecord, keyIndex } from './guarded-view.js';
import { isSharedArrayBuffer } from './view-constructors.js';

// The index arguments of the methods that take them, by position: [indexes, ends] (an end is
// exclusive: the last element it reaches is one before it).
const INDEX_ARGUMENTS = {
  at: [[0], []], with: [[0], []], subarray: [[0], [1]], slice: [[0], [1]], fill: [[1], [2]],
  copyWithin: [[0, 1], [2]],
};

/** Whether a view over `buffer`, the whole of it, must be checked for staleness. */
export function needsStaleCheck(buffer, whole) {
  return whole && isSharedArrayBuffer(buffer) && !buffer.growable;
}

export class SharedWholeViewRecord extends ViewRecord {
  get(target, key) {
    const value = super.get(target, key);
    if (value === undefined) this.#checkIndex(keyIndex(key), { op: 'read', index: key });
    return value;
  }

  set(target, key, value) {
    target[key] = value;
    if (target[key] === undefined) this.#checkIndex(keyIndex(key), { op: 'write', index: key });
    return true;
  }

  checkArguments(method, args) {
    const positions = INDEX_ARGUMENTS[method];
    let furthest = -1;  // the furthest element the call reaches
    if (positions !== undefined) {
      for (const i of positions[0]) furthest = Math.max(furthest, plainIndex(args[i]));
      for (const i of positions[1]) furthest = Math.max(furthest, plainIndex(args[i]) - 1);
    } else if (method === 'set') {
      const source = args[0];
      const length = typeof source === 'object' && source !== null ? source.length : 0;
      if (typeof length === 'number') furthest = Math.max(0, plainIndex(args[1])) + length - 1;
    }
    if (furthest >= this.length) this.#checkIndex(furthest, { op: 'call', method });
  }

  // Reports a use at `index` (-1: none) when it lies past the view's end but inside the memory.
  #checkIndex(index, access) {
    if (index < this.length) return;
    const memoryBytes = this.session.memory?.buffer.byteLength ?? 0;
    if (index * this.target.BYTES_PER_ELEMENT < memoryBytes) this.session.staleSharedView(this, access, memoryBytes);
  }
}

// An index argument as the engine would take it, for a primitive (an object's valueOf is left to
// the engine, which runs it once): an integer, -1 for none or a negative one (relative to the end).
function plainIndex(value) {
  const type = typeof value;
  if (type !== 'number' && type !== 'string' && type !== 'boolean') return -1;
  const n = Math.trunc(+value);
  return n >= 0 ? n : -1;
}
