// Guarded views. A ViewRecord remembers what a view was created over (its allocation, the check
// epoch and grow count at the time, where it was created). In strict mode the view handed out is
// a Proxy over the real typed array with the record as its handler, checking every access; in
// compat mode it is the real typed array itself, checked at method calls and platform sinks.
//
// The fast check is two comparisons: the typed array's length (0 once memory.grow detached its
// buffer) and the shim's check epoch (bumped by every free, and by every allocation whose overlaps
// the shim resolves lazily; read from the shim's memory, or from a constant cell for views tied to
// no allocation). Only when one of them changed does the session's slow path ask the registry
// what happened.

import { currentStack } from './report.js';

// Views handed out, real or Proxy, mapped to their records (for sinks, unwrapping, compat checks).
export const viewRecords = new WeakMap();

// The epoch cell of views tied to no allocation (whole-buffer, stack, static data): never changes.
const NO_ALLOCATION_CELL = new Uint32Array(1);

// Typed-array methods whose result is the array itself (so strict mode returns the Proxy).
const RETURNS_THIS = new Set(['fill', 'copyWithin', 'sort', 'reverse']);

export class ViewRecord {
  constructor(session, target, { ctor, allocId, whole, createdAt }) {
    this.session = session;
    this.shim = session.shim;
    this.target = target;
    this.ctor = ctor;
    this.length = target.length;
    this.byteOffset = target.byteOffset;
    this.byteLength = target.byteLength;
    this.allocId = allocId;
    this.whole = whole;
    this.growCount = session.shim.growCount();
    this.creation = createdAt;  // an Error: its stack is formatted only if a report needs it
    this.id = 0;
    this.reported = null;  // kinds already reported through this view (record-and-continue mode)
    this.methods = null;   // strict mode: wrapped methods, created on first use
    this.proxy = null;
    this.rearm(session.shim.checkEpochFresh());
  }

  /** Validated at `epoch`: the fast check passes until the next free. */
  rearm(epoch) {
    this.cell = this.allocId === 0 ? NO_ALLOCATION_CELL : this.shim.u32;
    this.index = this.allocId === 0 ? 0 : this.shim.epochIndex;
    this.epoch = this.allocId === 0 ? 0 : epoch;
  }

  /** True when the buffer is attached and no free happened since the last validation. */
  isFresh() {
    return this.cell[this.index] === this.epoch && this.target.length === this.length;
  }

  describe() {
    return { ctor: this.ctor, byteOffset: this.byteOffset, length: this.length, createdAt: currentStack(this.creation) };
  }

  // ---- Proxy traps (strict mode) ----------------------------------------------------------------

  get(target, key) {
    if (this.cell[this.index] === this.epoch && target.length === this.length) {
      const value = target[key];
      return typeof value === 'function' && key !== 'constructor' ? this.method(key, value) : value;
    }
    if (isElementKey(key)) this.session.checkView(this, { op: 'read', index: key });
    const value = target[key];
    return typeof value === 'function' && key !== 'constructor' ? this.method(key, value) : value;
  }

  set(target, key, value) {
    if (!(this.cell[this.index] === this.epoch && target.length === this.length) && isElementKey(key)) {
      this.session.checkView(this, { op: 'write', index: key });
    }
    target[key] = value;
    return true;
  }

  method(key, fn) {
    this.methods ??= new Map();
    let wrapped = this.methods.get(key);
    if (wrapped === undefined) {
      wrapped = makeCheckedMethod(this, key, fn);
      this.methods.set(key, wrapped);
    }
    return wrapped;
  }
}

// Element accesses reach a trap as canonical numeric strings ('0', '17', '-1'); everything else
// (length, byteLength, buffer: the detach idioms) is never a violation.
function isElementKey(key) {
  if (typeof key !== 'string') return false;
  const c = key.charCodeAt(0);
  return c <= 57 && (c >= 48 || c === 45);
}

/**
 * A method of a strict view: checks the view once per call (whatever the length it touches) and
 * unwraps guarded arguments, so bulk operations cost what they cost on a raw typed array.
 */
function makeCheckedMethod(record, key, fn) {
  const session = record.session;
  const name = typeof key === 'symbol' ? key.description : key;
  if (key === 'subarray') {
    return function subarray(begin, end) {
      if (!record.isFresh()) session.checkView(record, { op: 'call', method: 'subarray' });
      return session.subView(record, record.target.subarray(begin, end));
    };
  }
  if (key === 'slice') {
    return function slice(begin, end) {
      if (!record.isFresh()) session.checkView(record, { op: 'call', method: 'slice' });
      const copy = record.target.slice(begin, end);
      session.copyOut(record, copy.byteLength, 'slice');
      return copy;
    };
  }
  return {
    [name](...args) {
      if (!record.isFresh()) session.checkView(record, { op: 'call', method: name });
      for (let i = 0; i < args.length; i++) args[i] = session.unwrapForSink(args[i], name);
      const result = fn.apply(record.target, args);
      return result === record.target && RETURNS_THIS.has(key) ? record.proxy : result;
    },
  }[name];
}

/** Wraps a typed array in a strict-mode Proxy whose handler is its record. */
export function strictView(record) {
  const proxy = new Proxy(record.target, record);
  record.proxy = proxy;
  viewRecords.set(proxy, record);
  return proxy;
}

/** Registers a compat-mode view: the real typed array, checked at methods and sinks. */
export function compatView(record) {
  viewRecords.set(record.target, record);
  return record.target;
}
