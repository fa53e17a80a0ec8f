// Glue views. Emscripten's glue keeps its own views over the whole memory (HEAP8, HEAP16, HEAPU8,
// ..., HEAPF64, in variables of its own) and re-creates them all, HEAP8 then HEAP16 first, right
// after the module is instantiated and after every growth it makes (updateMemoryViews). Its byte
// loops run through them (embind's marshalling, UTF8ToString, MEMFS): through a strict Proxy each
// element costs a few hundred nanoseconds. Yet the glue never uses them stale, since it replaces
// them itself. So the views of such a refresh are real typed arrays, unguarded; and what user
// code can reach of them is guarded: a HEAP* property the glue assigns one to (Module.HEAPU8)
// returns a guarded view over the same buffer, so that a HEAPU8 an app keeps across growth is
// still caught at the access; copies out of them (slice, copy-constructs, Array.from, and the
// same out of their sub-arrays) are still counted and reported.
//
// A refresh is recognised by its shape, never by names (minified glue has none):
// - the first one, right after the session handed its instance back (or as the first views over
//   a memory JavaScript made), within the same task: a whole-buffer Int8Array, then a whole-buffer
//   Int16Array over the same buffer made by the same function from the same call. The Int8Array
//   stays guarded (the glue's HEAP8 is a Proxy until its first refresh after a growth): only the
//   Int16Array shows that this is the glue's refresh and not an app's view. The place that made
//   the Int8Array becomes the session's refresh place.
// - later ones: a whole-buffer Int8Array made at the session's refresh place.
// With it, the whole-buffer views of other types (and a DataView, HEAP_DATA_VIEW) over the same
// buffer made by the same function from the same call in the same job. Anything else ends it.
//
// The glue assigns its views to Module properties the first time at its first refresh; only then
// is a setter needed to catch them, on Object.prototype since the Module object is not known. It
// stays there from the moment an instance is handed back to the end of that task, and gives the
// object assigned to an own property: an accessor for a view, an ordinary one for anything else.

import { captureStack, currentStack, isOwnFrame } from './report.js';
import { makesInt16ArrayNext } from './glue-source.js';
import { viewRecords } from './guarded-view.js';
import { replaceMethod } from './method-patch.js';
import { StackLookSampler } from './stack-look-sampler.js';
import { callerFile, frameFile, structuredStack } from './structured-stack.js';
import { sliceStart } from './view-arguments.js';
import { RawInt16Array, RawInt8Array } from './view-constructors.js';

// A glue view -> {session, ctor, lends, creation}: for the properties that expose it and for
// copy-outs.
const glueViews = new WeakMap();
// A buffer -> the glue whose refresh made views over it, for the sub-arrays of those views: the
// real typed arrays over it that viewsan does not guard. (Remembering each sub-array instead
// would cost a WeakMap entry for every string the glue decodes.) Not for a glue that lends its
// sub-arrays: those are guarded views.
const glueBuffers = new WeakMap();

/** Whether `value` is a view a glue made over the whole memory (unguarded). */
export function isGlueView(value) {
  return typeof value === 'object' && value !== null && glueViews.has(value);
}

// The glue of a glue view or of a sub-array of one, else undefined.
function glueOf(view) {
  return glueViews.get(view) ?? (viewRecords.has(view) ? undefined : glueBuffers.get(view.buffer));
}

/**
 * Counts a copy of `bytes` out of `view` (`how`: slice, a copy-construct, Array.from) when the
 * view is a glue view; returns whether it was one.
 */
export function countGlueCopyOut(view, bytes, how, address = view.byteOffset) {
  const glue = glueOf(view);
  if (glue === undefined) return false;
  copyOut(glue, view, bytes, how, address);
  return true;
}

// Where a copy out of a glue view is made: the glue's function that copies (MEMFS writing a
// file, a getter reading a blob), each reported once whichever app code led there; one frame
// costs little more than V8's fixed cost of a capture. The glue may copy at every call: its copies
// are looked at for their place as stack-look-sampler.js says.
const GLUE_COPY_FRAMES = 1;

function copyOut(glue, view, bytes, how, address, entry = undefined) {
  glue.session.copies.sampled(glue.copyPlaces, view, bytes, how, address, entry, GLUE_COPY_FRAMES, describeGlueView);
}

export class GlueRefresh {
  #session;
  #pendingTask = -1;     // the task in which the instance was handed back, or the memory was made
  #candidate = null;     // a first refresh's Int8Array: {buffer, place, caller, file}
  #refreshPlace = null;  // where this session's glue makes its HEAP8 (script:line:column)
  #script = null;        // the script that does (its file name or URL)
  #burst = null;         // the refresh under way: {buffer, caller, ctors}

  constructor(session) {
    this.#session = session;
  }

  /** The instance was handed back, or JS made the memory: the glue may make its views now. */
  expect() {
    this.end();
    this.#pendingTask = armSetters();
  }

  /** Something else happened: no refresh starts or continues past it. */
  end() {
    this.#pendingTask = -1;
    this.#candidate = null;
    this.#burst = null;
  }

  /**
   * The view `new Ctor(buffer)` (Ctor the engine's own, buffer the memory's) as the glue gets it
   * when the construction is part of a refresh: a real typed array; else null (guard it).
   */
  claim(Ctor, buffer) {
    const burst = this.#burst;
    if (burst !== null && Ctor !== RawInt8Array) {
      if (buffer === burst.buffer && !burst.ctors.has(Ctor) && makerOf(constructionFrames())?.caller === burst.caller) {
        burst.ctors.add(Ctor);
        return this.#glueView(Ctor, buffer);
      }
      this.end();
      return null;
    }
    const candidate = this.#candidate;
    if (candidate !== null && Ctor === RawInt16Array) {
      this.end();
      const maker = makerOf(constructionFrames());
      if (buffer !== candidate.buffer || maker?.caller !== candidate.caller) return null;
      this.#settle(candidate);
      this.#startBurst(buffer, maker.caller, [RawInt8Array, RawInt16Array]);
      return this.#glueView(Ctor, buffer);
    }
    const pending = this.#pendingTask === currentTask;
    this.end();
    if (Ctor !== RawInt8Array || (!pending && this.#refreshPlace === null)) return null;
    const maker = makerOf(constructionFrames());
    if (maker === null) return null;
    if (maker.place === this.#refreshPlace) {
      this.#startBurst(buffer, maker.caller, [RawInt8Array]);
      return this.#glueView(Ctor, buffer);
    }
    if (pending && makesInt16ArrayNext(maker.file, maker.line, maker.column)) {
      this.#settle(maker);
      this.#startBurst(buffer, maker.caller, [RawInt8Array]);
      return this.#glueView(Ctor, buffer);
    }
    if (pending) {
      const started = { buffer, place: maker.place, caller: maker.caller, file: maker.file };
      this.#candidate = started;
      queueMicrotask(() => {
        if (this.#candidate === started) this.#candidate = null;
      });
    }
    return null;
  }

  // The glue's refresh is made at `maker`'s place ({place, file}), in its script.
  #settle(maker) {
    this.#refreshPlace = maker.place;
    this.#script = maker.file;
  }

  /** Whether this session knows its glue's script: where the glue refreshes its views. */
  knowsGlue() {
    return this.#script !== null;
  }

  /**
   * Whether `fn` (viewsan's function the app or the glue called) was called from the glue's
   * script. Costs a look at one frame of the stack, once the glue's script is known.
   */
  calledFromGlue(fn) {
    return this.#script !== null && callerFile(fn) === this.#script;
  }

  #startBurst(buffer, caller, ctors) {
    const started = { buffer, caller, ctors: new Set(ctors) };
    this.#burst = started;
    // A refresh is synchronous: what comes after this job is the app's.
    queueMicrotask(() => {
      if (this.#burst === started) this.#burst = null;
    });
  }

  // The glue's own view: a real typed array (or DataView).
  #glueView(Ctor, buffer) {
    return makeGlueView(this.#session, Ctor, buffer, { lends: false });
  }
}

/**
 * The glue's own view `new Ctor(buffer)`: a real typed array (or DataView), remembered for its
 * copy-outs and sub-arrays. `lends`: the glue hands its sub-arrays to the app (then they are
 * guarded, session.lentView); else they stay the glue's, unguarded, as the view itself.
 */
export function makeGlueView(session, Ctor, buffer, { lends }) {
  const view = Reflect.construct(Ctor, [buffer], Ctor);
  const glue = {
    session, lends, creation: captureStack(session.options.mallocContextSize),
    copyPlaces: new StackLookSampler(),
  };
  glueViews.set(view, { ...glue, ctor: Ctor });
  if (!lends) glueBuffers.set(buffer, glue);
  watchGlueViewMethods(lends);
  return view;
}

/** The place and caller of the construction under way (makerOf), or null. */
export function constructionMaker() {
  return makerOf(constructionFrames());
}

/** V8's structured frames here, or null where the engine gives none (then nothing is claimed). */
function constructionFrames() {
  const frames = structuredStack((error, structured) => structured, 12);
  return Array.isArray(frames) ? frames : null;
}

/**
 * The frame that made the view, outside viewsan's own: `place`, where in its script the
 * construction is (also as `file`, `line`, `column`); `caller`, the function and the place it was
 * called from (one call of it).
 */
function makerOf(frames) {
  if (frames === null) return null;
  const outside = frames.filter((frame) => !isOwnFrame(frameFile(frame)));
  if (outside.length < 2) return null;
  const [maker, caller] = outside;
  const where = (frame) => `${frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
  return {
    place: where(maker),
    caller: `${maker.getFunctionName()}|${where(caller)}`,
    file: maker.getFileName(),
    line: maker.getLineNumber(),
    column: maker.getColumnNumber(),
  };
}


// ---- what user code reaches: the glue's HEAP* properties ---------------------------------------

// The names Emscripten's glue assigns its views to on the Module object.
const HEAP_NAMES = [
  'HEAP8', 'HEAPU8', 'HEAP16', 'HEAPU16', 'HEAP32', 'HEAPU32', 'HEAPF32', 'HEAPF64', 'HEAP64', 'HEAPU64',
  'HEAP_DATA_VIEW',
];

// Tasks are told apart by a counter the end of each armed task moves on.
let currentTask = 0;
let armed = false;
const setters = new Map();  // name -> the setter installed on Object.prototype

/**
 * Installs the HEAP* setters on Object.prototype until the end of this task (a timer's turn),
 * and returns the task's number.
 */
function armSetters() {
  if (armed) return currentTask;
  armed = true;
  for (const name of HEAP_NAMES) {
    if (Object.prototype.hasOwnProperty.call(Object.prototype, name)) continue;
    const set = function (value) {
      defineHeapProperty(this, name, value);
    };
    setters.set(name, set);
    Object.defineProperty(Object.prototype, name, { configurable: true, enumerable: false, get: () => undefined, set });
  }
  const timer = setTimeout(disarmSetters, 0);
  timer?.unref?.();
  return currentTask;
}

function disarmSetters() {
  armed = false;
  currentTask += 1;
  for (const [name, set] of setters) {
    if (Object.getOwnPropertyDescriptor(Object.prototype, name)?.set === set) delete Object.prototype[name];
  }
  setters.clear();
}

/**
 * `Module.HEAPU8 = HEAPU8 = new Uint8Array(b)` at a first refresh: a view gets an accessor that
 * returns a guarded view over the buffer of a glue view (the one assigned now, or at a later
 * refresh), and a guarded view as it is; anything else, an ordinary property.
 */
function defineHeapProperty(owner, name, value) {
  if (Object(owner) !== owner) return;  // a primitive: assignments to it are dropped
  if (!ArrayBuffer.isView(value)) {
    Reflect.defineProperty(owner, name, { value, writable: true, enumerable: true, configurable: true });
    return;
  }
  let current = value;
  let exposed = null;
  Reflect.defineProperty(owner, name, {
    configurable: true,
    enumerable: true,
    get() {
      exposed ??= isGlueView(current) ? guardedOver(current) : current;
      return exposed;
    },
    set(next) {
      current = next;
      exposed = null;
    },
  });
}

// A guarded whole-buffer view of the glue view's type over its buffer, made where the app first
// reads the property after a refresh.
function guardedOver(view) {
  const { session, ctor } = glueViews.get(view);
  return session.makeView(ctor, [view.buffer], { explicit: true });
}

// ---- sub-arrays and copies out of glue views ----------------------------------------------------

let tracking = false;  // slice is watched
let lending = false;   // subarray is watched

/**
 * A sub-array of a glue view is the glue's too (unguarded, as its parent), or for a glue that
 * lends its sub-arrays to the app a guarded view; copies out of glue views (`slice`) are
 * copy-outs as through any view.
 */
function watchGlueViewMethods(lends) {
  const proto = Object.getPrototypeOf(Int8Array.prototype);
  // Only a glue that lends its sub-arrays needs its subarray calls seen (the others' sub-arrays
  // are known by their buffer): an Emscripten app's typed arrays keep the engine's own.
  if (lends && !lending) {
    lending = true;
    // Named parameters and call(): an undefined end is the same as none (for slice too).
    replaceMethod(proto, 'subarray', (original) => function subarray(begin, end) {
      const sub = original.call(this, begin, end);
      const glue = glueViews.get(this);
      return glue?.lends ? glue.session.lentView(sub, glue.ctor.name) : sub;
    });
  }
  if (tracking) return;
  tracking = true;
  replaceMethod(proto, 'slice', (original) => function slice(begin, end) {
    const copy = original.call(this, begin, end);
    const glue = glueOf(this);
    // The place is read above the slice the program called (this one, or another patch's over it).
    if (glue !== undefined) copyOut(glue, this, copy.byteLength, 'slice', sliceStart(this, begin), proto.slice);
    return copy;
  });
}

// What a copy-out report says of a glue view (or a sub-array of one) copied from.
function describeGlueView(view) {
  return {
    describe: () => ({
      ctor: view.constructor.name, byteOffset: view.byteOffset, length: view.length, createdAt: currentStack(glueOf(view).creation),
    }),
  };
}
