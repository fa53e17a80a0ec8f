// Guarded views. A ViewRecord remembers what a view was created over (its allocation, the check
// epoch and grow count at the time, where it was created). In strict mode the view handed out is
// a Proxy over the real typed array with the record as its handler, checking every access; in
// compat mode it is the real typed array itself, checked at method calls and platform sinks.
// DataViews have their own record (DataViewRecord): they have no elements, so only their get*/set*
// methods touch memory, and those are what is checked.
//
// The fast check is two comparisons: the typed array's length (0 once memory.grow detached its
// buffer; longer once a length-tracking view over a resizable buffer grew, which the slow path
// then follows) and the shim's check epoch (bumped by every free, and by every allocation whose
// overlaps the shim resolves lazily; read from the shim's memory, or from a constant cell for
// views tied to no allocation). Only when one of them changed does the session's slow path ask
// the registry what happened.

import { captureStack, currentStack } from './report.js';
import { sliceStart } from './view-arguments.js';
import { RECORD_KEY, RecordBase, viewRecords } from './view-records.js';

// Views handed out, real or Proxy, mapped to their records (for sinks, unwrapping, compat checks).
export { viewRecords };

// The epoch cell of views tied to no allocation (whole-buffer, stack, static data): never changes.
const NO_ALLOCATION_CELL = new Uint32Array(1);

// Typed-array methods whose result is the array itself (so strict mode returns the Proxy).
const RETURNS_THIS = new Set(['fill', 'copyWithin', 'sort', 'reverse']);

// The DataView methods that read or write memory: getInt8 ... setBigUint64, and getFloat16 /
// setFloat16 where the engine has them.
export const DATA_VIEW_ACCESSORS = new Set(Object.getOwnPropertyNames(DataView.prototype)
  .filter((name) => /^[gs]et(Big)?(Int|Uint|Float)\d+$/.test(name)));

// Whether any guarded view was ever handed out: until then the cloning sinks have nothing to find.
export let guardedViewsExist = false;

export class ViewRecord extends RecordBase {
  constructor(session, target, ctor, allocId, whole, createdAt) {
    super();
    this.session = session;
    this.shim = session.shim;
    this.target = target;
    this.ctor = ctor;
    this.length = target.length;
    this.byteOffset = target.byteOffset;
    this.byteLength = target.byteLength;
    this.buffer = target.buffer;
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

  /** True when memory growth detached the buffer under the view. */
  detached() {
    return this.target.length === 0 && this.length !== 0;
  }

  /**
   * Called on the slow path of a view that is still attached. A length-tracking view over a
   * resizable buffer (`new Uint8Array(memory.toResizableBuffer())`) grows with the memory, and
   * `length` is the length it had when last validated: it follows, so that the fast check holds
   * again after the growth instead of failing at every access from then on.
   */
  followGrowth() {
    this.length = this.target.length;
  }

  isDataView() {
    return false;
  }

  /** `bytes` were copied out of the view by its method `how` (slice), `entry` viewsan's function. */
  copiedOut(bytes, how, address, entry) {
    this.session.copies.ofView(this, bytes, how, address, entry);
  }

  /** What a platform sink gets of the view: the real typed array, once the view is checked. */
  targetFor(sink) {
    if (!this.isFresh()) this.session.checkView(this, { op: 'call', method: sink });
    return this.target;
  }

  describe() {
    return { ctor: this.ctor, byteOffset: this.byteOffset, length: this.length, createdAt: currentStack(this.creation) };
  }

  // ---- Proxy traps (strict mode) ----------------------------------------------------------------

  get(target, key) {
    if (key === RECORD_KEY) return this;
    if (this.cell[this.index] === this.epoch && target.length === this.length) {
      const value = target[key];
      return typeof value === 'function' && key !== 'constructor' ? this.method(key, value) : value;
    }
    if (isElementKey(key, this.reach(target))) this.session.checkView(this, { op: 'read', index: key });
    const value = target[key];
    return typeof value === 'function' && key !== 'constructor' ? this.method(key, value) : value;
  }

  set(target, key, value) {
    if (!(this.cell[this.index] === this.epoch && target.length === this.length) && isElementKey(key, this.reach(target))) {
      this.session.checkView(this, { op: 'write', index: key });
    }
    target[key] = value;
    return true;
  }

  // The elements an access may reach, on the slow path: those the view had when last validated,
  // and those a length-tracking view over a resizable buffer has gained since.
  reach(target) {
    return Math.max(this.length, target.length);
  }

  method(key, fn) {
    this.methods ??= new Map();
    let wrapped = this.methods.get(key);
    if (wrapped === undefined) {
      wrapped = this.checked(key, fn);
      this.methods.set(key, wrapped);
    }
    return wrapped;
  }

  /** The checked form of method `key` of the target, made once per view and key. */
  checked(key, fn) {
    return makeCheckedMethod(this, key, fn);
  }

  /** Checks the index arguments of a method call (only views whose length can go stale do). */
  checkArguments() {}
}

/** Platform sinks take real typed arrays: a guarded view is checked once and its target handed over. */
export function unwrapForSink(value, sink) {
  const record = viewRecords.get(value);
  return record === undefined ? value : record.targetFor(sink);
}

/**
 * A view a glue lent the app: a sub-array of one of its cached views over the memory
 * (cached-glue-views.js), which the glue hands to an imported function or a platform sink as soon
 * as it is made. What made it is the glue; where it was first used through its Proxy is what a
 * report shows of its creation: most are only ever read by a sink (a TextDecoder), and capturing
 * a stack for each when made would cost more than everything else the binding does. Nor is a
 * copy (`slice`) a use that notes it: the glue copies out every `Vec<u8>` wasm returns so, at
 * once, and drops the view; a view that is kept shows where it was next used.
 */
export class LentViewRecord extends ViewRecord {
  get(target, key) {
    if (key !== 'slice' && key !== RECORD_KEY) this.#noteFirstUse();
    return super.get(target, key);
  }

  set(target, key, value) {
    this.#noteFirstUse();
    return super.set(target, key, value);
  }

  #noteFirstUse() {
    if (this.creation === null) this.creation = captureStack(this.session.options.mallocContextSize);
  }

  copiedOut(bytes, how, address, entry) {
    this.session.copies.ofLent(this, bytes, how, address, entry);
  }

  describe() {
    return { ...super.describe(), lent: true };
  }
}

/**
 * Whether reading or writing property `key` of a typed array of `length` elements reaches its
 * memory. A typed array treats every canonical numeric string (CanonicalNumericIndexString: the
 * key is ToString(ToNumber(key)), or '-0') as an element index, but only an integral one, not -0,
 * in [0, length) names an element: the engine answers '-1', '1.5', '-0', 'NaN', 'Infinity' or
 * '16' (of 16 elements) with undefined and drops writes to them without touching memory. Keys
 * that are not canonical ('01', '1e3', '+1', ' 1') are ordinary properties, and so are length,
 * byteLength and buffer (the detach idioms). So: decimal digits without a leading zero, below
 * `length` (what the view could reach while it was alive: ViewRecord.reach).
 * Only the slow path asks, when the fast check has failed.
 */
function isElementKey(key, length) {
  const index = keyIndex(key);
  return index >= 0 && index < length;
}

/** The integer index property `key` names (decimal digits, no leading zero), else -1. */
export function keyIndex(key) {
  if (typeof key !== 'string') return -1;
  const n = key.length;
  if (n === 0 || n > 16) return -1;  // 2 ** 53 has 16 digits
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || (first === 48 && n > 1)) return -1;
  for (let i = 1; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return +key;
}

/**
 * A method of a strict view: checks the view once per call (whatever the length it touches) and
 * unwraps guarded arguments, so bulk operations cost what they cost on a raw typed array.
 */
// The engine's own subarray and slice, read before viewsan patches the prototype: a strict view's
// methods call them on its real typed array, which may be a glue's view whose patched methods
// would count the same copy again, or lend the same sub-array again.
const { subarray: rawSubarray, slice: rawSlice } = Object.getPrototypeOf(Int8Array.prototype);

function makeCheckedMethod(record, key, fn) {
  const session = record.session;
  const name = typeof key === 'symbol' ? key.description : key;
  if (key === 'subarray') {
    return function subarray(begin, end) {
      if (!record.isFresh()) session.checkView(record, { op: 'call', method: 'subarray' });
      record.checkArguments('subarray', arguments);
      return session.subView(record, rawSubarray.call(record.target, begin, end));
    };
  }
  if (key === 'slice') {
    return function slice(begin, end) {
      if (!record.isFresh()) session.checkView(record, { op: 'call', method: 'slice' });
      record.checkArguments('slice', arguments);
      const copy = rawSlice.call(record.target, begin, end);
      record.copiedOut(copy.byteLength, 'slice', sliceStart(record.target, begin), slice);
      return copy;
    };
  }
  return {
    [name](...args) {
      if (!record.isFresh()) session.checkView(record, { op: 'call', method: name });
      record.checkArguments(name, args);
      for (let i = 0; i < args.length; i++) args[i] = unwrapForSink(args[i], name);
      const result = fn.apply(record.target, args);
      return result === record.target && RETURNS_THIS.has(key) ? record.proxy : result;
    },
  }[name];
}

/**
 * A guarded DataView. Its memory is reached only through its get* and set* methods: in strict
 * mode the Proxy hands out checked versions of those, in compat mode DataView.prototype's own are
 * checked (compat-methods.js). Every other property (byteLength, byteOffset, buffer: the detach
 * idioms) is the real DataView's, with the engine's behaviour, and never a violation. A call of a
 * get or set method through a dead view is reported whatever its arguments, as typed-array
 * method calls are.
 */
export class DataViewRecord extends ViewRecord {
  constructor(session, target, ctor, allocId, whole, createdAt) {
    super(session, target, ctor, allocId, whole, createdAt);
    this.length = target.byteLength;  // what reports call the view's length: its bytes
  }

  isDataView() {
    return true;
  }

  /** True when the buffer is attached and no free happened since the last validation. */
  isFresh() {
    return this.cell[this.index] === this.epoch && this.buffer.byteLength !== 0;
  }

  detached() {
    return this.buffer.byteLength === 0 && this.byteLength !== 0;
  }

  // The fast check of a DataView does not compare lengths: nothing to follow.
  followGrowth() {}

  get(target, key) {
    if (key === RECORD_KEY) return this;
    const value = target[key];
    return typeof value === 'function' && DATA_VIEW_ACCESSORS.has(key) ? this.method(key, value) : value;
  }

  set(target, key, value) {
    target[key] = value;
    return true;
  }

  checked(key, fn) {
    return makeCheckedAccessor(this, key, fn);
  }
}

/** What a DataView get/set call through a dead view is reported as: {op, method, byteOffset}. */
export function dataViewAccess(method, byteOffset) {
  return { op: method.charCodeAt(0) === 103 ? 'read' : 'write', method, byteOffset: reportedIndex(byteOffset) };
}

// The byte offset a report shows (the integer the engine makes of the argument), computed without
// running user code: an object's valueOf runs once, in the engine, if at all, and a report about
// one shows null, as it does for a Symbol, a BigInt or an infinite offset.
function reportedIndex(value) {
  const type = typeof value;
  if (value != null && type !== 'number' && type !== 'string' && type !== 'boolean') return null;
  const integer = Math.trunc(+value) || 0;  // undefined, null, NaN and -0.5 are 0
  return Number.isFinite(integer) ? integer : null;
}

// A get/set method of a strict DataView: checks the view, then calls the real method with the
// caller's arguments unchanged (the engine converts them, once).
function makeCheckedAccessor(record, key, fn) {
  const session = record.session;
  return {
    [key]() {
      if (!record.isFresh()) session.checkView(record, dataViewAccess(key, arguments[0]));
      return Reflect.apply(fn, record.target, arguments);
    },
  }[key];
}

/** Wraps a typed array or DataView in a strict-mode Proxy whose handler is its record. */
export function strictView(record) {
  const proxy = new Proxy(record.target, record);
  record.proxy = proxy;
  viewRecords.madeStrict(proxy, record);
  guardedViewsExist = true;
  return proxy;
}

/**
 * Registers a compat-mode view: the real typed array or DataView, checked at methods and sinks. A
 * lent view, which the glue makes and drops by the thousand, carries its record as a strict view
 * does; the app's own views keep the engine's shape.
 */
export function compatView(record) {
  if (record instanceof LentViewRecord) viewRecords.carry(record.target, record);
  else viewRecords.set(record.target, record);
  guardedViewsExist = true;
  return record.target;
}
