// The cloning sinks (structuredClone, postMessage) take a whole object graph. The structured clone
// algorithm rejects a strict-mode view (a Proxy) wherever it sits, with a DataCloneError, and a
// view over freed memory must be reported wherever it sits, in either mode. So before the clone
// the graph is walked the way the algorithm walks it, and when it holds guarded views, the
// containers on the way to them are rebuilt around the real typed arrays. The clone of the rebuilt
// graph is the clone the app would get without viewsan: the algorithm keeps no prototypes (a class
// instance arrives as a plain object, a Map subclass as a Map), keeps the sharing and the cycles
// (each container is rebuilt once, and the copies refer to each other as the originals did), and
// the typed arrays are the same objects (one ArrayBuffer clone for all the views over a memory).
//
// What the walk looks inside, as the algorithm does: arrays (their elements), Maps (keys and
// values), Sets, and ordinary objects (own enumerable string-keyed properties): plain objects,
// null-prototype objects, class instances. Everything else is opaque and left to the algorithm
// (Date, RegExp, Error, boxed primitives, buffers and views, platform objects, and the objects it
// refuses such as functions and Promises).
//
// Limits, all rare and none silent in strict mode (a Proxy that stays in the graph makes the
// clone throw the engine's DataCloneError): an array's non-index properties and an Error's
// `cause` are not searched; a class instance with its own Symbol.toStringTag is taken for a
// platform object and not searched; a getter on a searched object runs in the walk as well as in
// the clone (the walk reads it, and the rebuilding reads it again); a Proxy the app made itself is
// walked through its traps.
//
// Cost: nothing at all until a guarded view exists; then one walk of the graph (a Map entry and a
// WeakMap lookup per object, about 0.1 µs), which also checks the views it finds: for a graph
// without strict views, that is all. Only the containers on the paths to strict views are read
// again and copied.

import { guardedViewsExist, viewRecords } from './guarded-view.js';

// The engine's own functions, read before an app could replace them.
const { getPrototypeOf, keys: ownKeys, values: ownValues, create } = Object;
const ObjectPrototype = Object.prototype;
const objectToString = Object.prototype.toString;
const isArray = Array.isArray;
const { apply, defineProperty } = Reflect;
const RawArray = Array;
const RawMap = Map;
const RawSet = Set;
const mapForEach = Map.prototype.forEach;
const setForEach = Set.prototype.forEach;
const mapSet = Map.prototype.set;
const setAdd = Set.prototype.add;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;
const hasOwn = (object, key) => apply(ObjectPrototype.hasOwnProperty, object, [key]);

const OPAQUE = 0;
const OBJECT = 1;
const ARRAY = 2;
const MAP = 3;
const SET = 4;

// Arrays up to this length are searched element by element (no strings made); longer ones through
// Object.values, which visits only the elements a sparse array has.
const DENSE_LIMIT = 1 << 24;

function hasBrand(sizeGetter, value) {
  try {
    apply(sizeGetter, value, []);
    return true;
  } catch {
    return false;
  }
}

/**
 * How the structured clone algorithm treats `value` (an object that is not a guarded view). A
 * Proxy whose traps throw (a revoked one) is opaque: the algorithm refuses it without a trap.
 */
function kindOf(value) {
  try {
    return kindOfObject(value);
  } catch {
    return OPAQUE;
  }
}

function kindOfObject(value) {
  if (isArray(value)) return ARRAY;
  if (typeof value === 'function') return OPAQUE;
  const proto = getPrototypeOf(value);
  if (proto === ObjectPrototype || proto === null) return OBJECT;
  switch (apply(objectToString, value, [])) {
    case '[object Object]':
      return OBJECT;  // a class instance: cloned as a plain object of its own properties
    case '[object Map]':
      return hasBrand(mapSize, value) ? MAP : OPAQUE;
    case '[object Set]':
      return hasBrand(setSize, value) ? SET : OPAQUE;
    default:
      return OPAQUE;
  }
}

/** Calls visit(child) for every value the algorithm would clone as part of `container`. */
function forEachChild(container, kind, visit) {
  switch (kind) {
    case ARRAY: {
      const n = container.length;
      if (n > DENSE_LIMIT) {
        const values = ownValues(container);
        for (let i = 0; i < values.length; i++) visit(values[i]);
      } else {
        for (let i = 0; i < n; i++) visit(container[i]);
      }
      break;
    }
    case OBJECT: {
      const keys = ownKeys(container);
      for (let i = 0; i < keys.length; i++) visit(container[keys[i]]);
      break;
    }
    case MAP:
      apply(mapForEach, container, [(value, key) => {
        visit(key);
        visit(value);
      }]);
      break;
    case SET:
      apply(setForEach, container, [(value) => visit(value)]);
      break;
    default:
      break;
  }
}

/**
 * `value` as the cloning sink `sink` must be given it: every guarded view inside checked (a dead
 * one is reported here, at the clone), and the containers that hold strict views (Proxies),
 * and those on every path from `value` to them, rebuilt around the real typed arrays. A graph
 * without strict views is returned as it is.
 */
export function unwrapForClone(value, sink) {
  if (!guardedViewsExist || typeof value !== 'object' || value === null) return value;
  const record = viewRecords.get(value);
  if (record !== undefined) return record.targetFor(sink);
  // One walk, depth first, with a stack rather than recursion: each container once (`parentOf`
  // is the set of those seen, and remembers through which container each was reached first;
  // `moreParents` the others, for shared ones), each view checked where it is found.
  const parentOf = new Map([[value, null]]);
  let moreParents = null;
  const holders = [];  // containers that hold a strict view themselves
  const stack = [value];
  let container = null;
  const visit = (child) => {
    if (typeof child !== 'object' || child === null) return;
    const found = viewRecords.get(child);
    if (found !== undefined) {
      if (found.targetFor(sink) !== child && holders[holders.length - 1] !== container) holders.push(container);
    } else if (!parentOf.has(child)) {
      parentOf.set(child, container);
      stack.push(child);
    } else {
      moreParents ??= new Map();
      const others = moreParents.get(child);
      if (others === undefined) moreParents.set(child, [container]);
      else others.push(container);
    }
  };
  while (stack.length > 0) {
    container = stack.pop();
    forEachChild(container, kindOf(container), visit);
  }
  if (holders.length === 0) return value;
  // Every container from which a strict view can be reached is rebuilt: the holders, and their
  // parents, transitively (a cycle through a holder is rebuilt whole). The copies are made first,
  // so that they can refer to each other, then filled.
  const copies = new Map();
  while (holders.length > 0) {
    const holder = holders.pop();
    if (copies.has(holder)) continue;
    copies.set(holder, emptyCopy(holder));
    const parent = parentOf.get(holder);
    if (parent !== null) holders.push(parent);
    const others = moreParents?.get(holder);
    if (others !== undefined) for (const other of others) holders.push(other);
  }
  const replace = (child) => {
    if (typeof child !== 'object' || child === null) return child;
    const found = viewRecords.get(child);
    if (found !== undefined) return found.targetFor(sink);  // checked already, but for an array's other properties
    const copy = copies.get(child);
    return copy === undefined ? child : copy;
  };
  for (const [original, copy] of copies) fill(original, copy, replace);
  return copies.get(value);
}

/**
 * Calls visit(object) for every object the structured clone of `value` would take, `value`
 * included, each once, walking the containers as the algorithm does (opaque objects such as a
 * WebAssembly.Memory are visited, not entered).
 */
export function forEachObjectInGraph(value, visit) {
  if (typeof value !== 'object' || value === null) return;
  const seen = new Set([value]);
  const stack = [value];
  const push = (child) => {
    if (typeof child !== 'object' || child === null || seen.has(child)) return;
    seen.add(child);
    stack.push(child);
  };
  while (stack.length > 0) {
    const object = stack.pop();
    visit(object);
    forEachChild(object, kindOf(object), push);
  }
}

function emptyCopy(container) {
  switch (kindOf(container)) {
    case ARRAY: return new RawArray(container.length);
    case MAP: return new RawMap();
    case SET: return new RawSet();
    default: return create(null);  // no Object.prototype: '__proto__' stays a plain key
  }
}

// Fills the copy of a container with its children, replaced, in the order the algorithm reads them.
function fill(original, copy, replace) {
  switch (kindOf(original)) {
    case ARRAY: {
      const n = original.length;
      if (n > DENSE_LIMIT) {
        for (const key of ownKeys(original)) define(copy, key, replace(original[key]));
        break;
      }
      for (let i = 0; i < n; i++) {
        const child = original[i];
        if (child !== undefined || hasOwn(original, i)) copy[i] = replace(child);  // holes stay holes
      }
      // The algorithm keeps an array's other own properties too: they follow the indices.
      const keys = ownKeys(original);
      let first = keys.length;
      while (first > 0 && !isIndex(keys[first - 1])) first--;
      for (let k = first; k < keys.length; k++) define(copy, keys[k], replace(original[keys[k]]));
      break;
    }
    case OBJECT: {
      const keys = ownKeys(original);
      for (let i = 0; i < keys.length; i++) copy[keys[i]] = replace(original[keys[i]]);
      break;
    }
    case MAP:
      apply(mapForEach, original, [(value, key) => apply(mapSet, copy, [replace(key), replace(value)])]);
      break;
    case SET:
      apply(setForEach, original, [(value) => apply(setAdd, copy, [replace(value)])]);
      break;
    default:
      break;
  }
}

// An own data property, whatever the key ('__proto__' included) and whatever Array.prototype has.
function define(object, key, value) {
  defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

// An array index key: canonical digits below 2 ** 32 - 1.
function isIndex(key) {
  return /^(0|[1-9]\d*)$/.test(key) && +key < 4294967295;
}
