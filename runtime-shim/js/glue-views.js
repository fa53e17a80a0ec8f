// Glue views. Emscripten's glue keeps its own views over the whole memory (HEAP8, HEAPU8, ...,
// HEAPF64, in variables of its own) and re-creates them all, HEAP8 first, right after the module
// is instantiated and after every growth it makes (updateMemoryViews). Its byte loops run through
// them (embind's string and array marshalling, UTF8ToString, MEMFS), and so do its sub-arrays:
// through a strict Proxy each element costs a few hundred nanoseconds and each sub-array a JS
// stack. Yet those views are never stale when the glue uses them, since it replaces them itself.
// So the views of such a refresh are real typed arrays, unguarded; and what user code can reach
// of them is guarded: the HEAP* properties the glue assigns them to (Module.HEAPU8) return a
// guarded view over the same buffer, so that a HEAPU8 an app keeps across growth is still caught
// at the access, and copies out of them (slice) are still counted and reported.
//
// A refresh is recognised by where it makes its HEAP8: the first time, a whole-buffer Int8Array
// (`new Int8Array(b)`) over the memory's buffer made right after the session handed its instance
// back, or as the first view over a memory JavaScript made (glue that makes its memory and views
// before instantiating), with no other view made in between; from then on, any Int8Array made
// there (the glue's refresh after a growth, in any instance of the same glue). With it, the
// whole-buffer views of other types (and a DataView, HEAP_DATA_VIEW) over the same buffer made by
// the same function, called from the same place, in the same job. Anything else ends the refresh.
// A place that ever made a whole-buffer Int8Array that was not claimed is never claimed again: the
// Module properties of that glue may hold guarded views as ordinary properties, which a real
// typed array assigned later would replace.

import { captureStack, currentStack, isOwnFrame } from './report.js';
import { RawInt8Array } from './view-constructors.js';

// A glue view -> {session, ctor, creation}: for the properties that expose it and for copy-outs.
const glueViews = new WeakMap();

/** Whether `value` is a view a glue refresh made (handed to the glue unguarded). */
export function isGlueView(value) {
  return typeof value === 'object' && value !== null && glueViews.has(value);
}

// Where refreshes made their HEAP8, and where whole-buffer Int8Arrays were made and not claimed
// (script:line:column), for every session: the same glue serves every instance it makes.
const refreshPlaces = new Set();
const otherPlaces = new Set();

export class GlueRefresh {
  #session;
  #pending = false;  // the instance was just handed back, or the memory was just made
  #burst = null;     // the refresh under way: {buffer, caller, ctors}

  constructor(session) {
    this.#session = session;
  }

  /** The instance was handed back, or JS made the memory: the glue may make its views now. */
  expect() {
    this.#pending = true;
    this.#burst = null;
  }

  /** Something else happened: no refresh starts or continues past it. */
  end() {
    this.#pending = false;
    this.#burst = null;
  }

  /**
   * The view `new Ctor(buffer)` (Ctor the engine's own, buffer the memory's) as the glue gets it
   * when the construction is part of a refresh: a real typed array; else null.
   */
  claim(Ctor, buffer) {
    const burst = this.#burst;
    if (burst !== null && Ctor !== RawInt8Array) {
      if (buffer !== burst.buffer || burst.ctors.has(Ctor) || makerOf(constructionFrames())?.caller !== burst.caller) {
        this.end();
        return null;
      }
      burst.ctors.add(Ctor);
      return this.#glueView(Ctor, buffer);
    }
    if (Ctor !== RawInt8Array) {
      this.end();
      return null;
    }
    const pending = this.#pending;
    this.end();
    const maker = makerOf(constructionFrames());
    if (maker === null) return null;
    const claimed = !otherPlaces.has(maker.place) && (pending || refreshPlaces.has(maker.place));
    if (!claimed) {
      otherPlaces.add(maker.place);
      return null;
    }
    refreshPlaces.add(maker.place);
    const started = { buffer, caller: maker.caller, ctors: new Set([Ctor]) };
    this.#burst = started;
    // A refresh is synchronous: what comes after this job is the app's.
    queueMicrotask(() => {
      if (this.#burst === started) this.#burst = null;
    });
    return this.#glueView(Ctor, buffer);
  }

  // The glue's own view: a real typed array (or DataView).
  #glueView(Ctor, buffer) {
    const view = Reflect.construct(Ctor, [buffer], Ctor);
    glueViews.set(view, { session: this.#session, ctor: Ctor, creation: captureStack(this.#session.options.mallocContextSize) });
    exposeGuarded();
    return view;
  }
}

/** V8's structured frames here, or null where the engine gives none (then nothing is claimed). */
function constructionFrames() {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = (error, frames) => frames;
  Error.stackTraceLimit = 12;
  let frames;
  try {
    frames = new Error().stack;
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
  return Array.isArray(frames) ? frames : null;
}

/**
 * The frame that made the view, outside viewsan's own: `place`, where in its script the
 * construction is; `caller`, the function and the place it was called from (one call of it).
 */
function makerOf(frames) {
  if (frames === null) return null;
  const outside = frames.filter((frame) => !isOwnFrame(String(frame.getFileName?.() ?? '')));
  if (outside.length < 2) return null;
  const [maker, caller] = outside;
  const where = (frame) => `${frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
  return { place: where(maker), caller: `${maker.getFunctionName()}|${where(caller)}` };
}

// ---- what user code reaches: the glue's HEAP* properties ---------------------------------------

// The names Emscripten's glue assigns its views to on the Module object.
const HEAP_NAMES = [
  'HEAP8', 'HEAPU8', 'HEAP16', 'HEAPU16', 'HEAP32', 'HEAPU32', 'HEAPF32', 'HEAPF64', 'HEAP64', 'HEAPU64',
  'HEAP_DATA_VIEW',
];

let exposed = false;

/**
 * `Module.HEAPU8 = HEAPU8 = new Uint8Array(b)`: the glue's variable gets the unguarded view, the
 * property is an accessor that returns a guarded view over the same buffer. An assignment of a
 * HEAP* name to an object that does not have one is caught by a setter on Object.prototype (not
 * enumerable; its getter gives undefined, as before), which gives that object an own property:
 * an ordinary one for any other value, that accessor for a glue view. Installed at the first
 * refresh, so programs without Emscripten glue never see it.
 */
function exposeGuarded() {
  if (exposed) return;
  exposed = true;
  for (const name of HEAP_NAMES) {
    if (Object.prototype.hasOwnProperty.call(Object.prototype, name)) continue;
    Object.defineProperty(Object.prototype, name, {
      configurable: true,
      enumerable: false,
      get: () => undefined,
      set(value) {
        defineHeapProperty(this, name, value);
      },
    });
  }
  installCopyOutCount();
}

function defineHeapProperty(owner, name, value) {
  if (Object(owner) !== owner) return;  // a primitive: assignments to it are dropped
  if (!isGlueView(value)) {
    Reflect.defineProperty(owner, name, { value, writable: true, enumerable: true, configurable: true });
    return;
  }
  let current = value;
  let guarded = null;
  Reflect.defineProperty(owner, name, {
    configurable: true,
    enumerable: true,
    get() {
      guarded ??= isGlueView(current) ? guardedOver(current) : current;
      return guarded;
    },
    set(next) {
      current = next;
      guarded = null;
    },
  });
}

// A guarded whole-buffer view of the glue view's type over its buffer, made where the app first
// reads the property after a refresh.
function guardedOver(view) {
  const { session, ctor } = glueViews.get(view);
  return session.makeView(ctor, [view.buffer], { explicit: true });
}

// ---- copies out of glue views ------------------------------------------------------------------

let counting = false;

/** `HEAP8.slice()` in the glue (MEMFS keeps file data so) is a copy-out, as through any view. */
function installCopyOutCount() {
  if (counting) return;
  counting = true;
  const proto = Object.getPrototypeOf(Int8Array.prototype);
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'slice');
  const original = descriptor.value;
  const slice = {
    slice(...args) {
      const copy = original.apply(this, args);
      const glue = glueViews.get(this);
      if (glue !== undefined) glue.session.copyOut(describable(this, glue), copy.byteLength, 'slice');
      return copy;
    },
  }.slice;
  Object.defineProperty(slice, 'length', { value: original.length });
  Object.defineProperty(proto, 'slice', { ...descriptor, value: slice });
}

// What a copy-out report says of the view copied from.
function describable(view, glue) {
  return {
    describe: () => ({ ctor: glue.ctor.name, byteOffset: 0, length: view.length, createdAt: currentStack(glue.creation) }),
  };
}
