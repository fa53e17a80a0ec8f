// Guarded views. A ViewRecord remembers what a view was created over (its allocation, the free
// epoch and grow count at the time, the creating stack). In strict mode the view handed out is a
// Proxy over the real typed array whose traps check the record at every element access; in compat
// mode it is the real typed array itself, checked at method calls and platform sinks.
//
// The element-access check is two comparisons: the typed array's length (0 once memory.grow
// detached its buffer) and the shim's free epoch (bumped by every free). Only when one of them
// changed does the session's slow path ask the registry what happened.

// Views handed out, real or Proxy, mapped to their records (for sinks, unwrapping, compat checks).
export const viewRecords = new WeakMap();

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
    this.epoch = session.shim.freeEpochFresh();
    this.growCount = session.shim.stats().growCount;
    this.createdAt = createdAt;
    this.id = 0;
    this.reported = null;  // kinds already reported through this view (record-and-continue mode)
    this.methods = null;   // strict mode: wrapped methods, created on first use
  }

  /** True when the fast check passes: buffer attached and no free since the last validation. */
  isFresh() {
    return !(this.target.length === 0 && this.length !== 0)
      && (this.allocId === 0 || this.shim.u32[this.shim.epochIndex] === this.epoch);
  }

  describe() {
    return { ctor: this.ctor, byteOffset: this.byteOffset, length: this.length, createdAt: this.createdAt };
  }
}

// Typed-array methods whose result is the array itself (so strict mode returns the Proxy).
const RETURNS_THIS = new Set(['fill', 'copyWithin', 'sort', 'reverse']);
// Reading these never touches elements: detachment idioms (`view.byteLength === 0`) stay silent.
const SHAPE_KEYS = new Set(['length', 'byteLength', 'byteOffset', 'buffer', 'BYTES_PER_ELEMENT', 'constructor']);

/** Proxy handler of a strict-mode view. */
class StrictHandler {
  constructor(record) {
    this.record = record;
  }

  get(target, key) {
    if (typeof key === 'string') {
      const c = key.charCodeAt(0);
      if (c <= 57 && (c >= 48 || c === 45)) {  // '0'..'9' or '-': an element access
        const r = this.record;
        if ((target.length === 0 && r.length !== 0) || (r.allocId !== 0 && r.shim.u32[r.shim.epochIndex] !== r.epoch)) {
          r.session.checkView(r, { op: 'read', index: key });
        }
        return target[key];
      }
      if (SHAPE_KEYS.has(key)) return target[key];
    }
    const value = target[key];
    return typeof value === 'function' ? this.method(key, value) : value;
  }

  set(target, key, value) {
    if (typeof key === 'string') {
      const c = key.charCodeAt(0);
      if (c <= 57 && (c >= 48 || c === 45)) {
        const r = this.record;
        if ((target.length === 0 && r.length !== 0) || (r.allocId !== 0 && r.shim.u32[r.shim.epochIndex] !== r.epoch)) {
          r.session.checkView(r, { op: 'write', index: key });
        }
        target[key] = value;
        return true;
      }
    }
    target[key] = value;
    return true;
  }

  method(key, fn) {
    const r = this.record;
    r.methods ??= new Map();
    let wrapped = r.methods.get(key);
    if (wrapped === undefined) {
      wrapped = makeCheckedMethod(r, key, fn, () => this.proxy);
      r.methods.set(key, wrapped);
    }
    return wrapped;
  }
}

/**
 * A method of a guarded view that checks the view once per call (whatever the length it touches)
 * and unwraps guarded arguments, so bulk operations cost what they cost on a raw typed array.
 */
export function makeCheckedMethod(record, key, fn, self) {
  const session = record.session;
  const name = typeof key === 'symbol' ? key.description : key;
  if (key === 'subarray') {
    return function subarray(begin, end) {
      session.checkView(record, { op: 'call', method: 'subarray' });
      return session.subView(record, record.target.subarray(begin, end));
    };
  }
  if (key === 'slice') {
    return function slice(begin, end) {
      session.checkView(record, { op: 'call', method: 'slice' });
      const copy = record.target.slice(begin, end);
      session.copyOut(record, copy.byteLength, 'slice');
      return copy;
    };
  }
  return {
    [name](...args) {
      session.checkView(record, { op: 'call', method: name });
      for (let i = 0; i < args.length; i++) args[i] = session.unwrapForSink(args[i], name);
      const result = fn.apply(record.target, args);
      return result === record.target && RETURNS_THIS.has(key) ? self() : result;
    },
  }[name];
}

/** Wraps a typed array in a strict-mode Proxy tied to `record`. */
export function strictView(record) {
  const handler = new StrictHandler(record);
  const proxy = new Proxy(record.target, handler);
  handler.proxy = proxy;
  viewRecords.set(proxy, record);
  return proxy;
}

/** Registers a compat-mode view: the real typed array, checked at methods and sinks. */
export function compatView(record) {
  viewRecords.set(record.target, record);
  return record.target;
}
