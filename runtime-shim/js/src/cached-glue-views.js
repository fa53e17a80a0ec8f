// Cached glue views. wasm-bindgen's glue keeps one view of each type over the whole memory in a
// variable of its own (`cachedUint8ArrayMemory0`), and reads it only through a getter that first
// checks it is still attached (its byteLength 0, or its buffer no longer the memory's, or
// `buffer.detached`) and makes a new one if not. Its string and slice marshalling runs through
// them: decoding every string wasm hands JavaScript, writing every string JavaScript passes in,
// reading return slots. Through a strict Proxy, and with a creation stack for every sub-array the
// glue takes of them, that is most of what viewsan would cost such a binding. Yet the glue never
// uses them stale. So, as Emscripten's refreshed views (glue-views.js), the glue's cached views
// are real typed arrays, and what can reach the app is guarded: the sub-arrays the glue takes of
// them (a `&[u8]` wasm passes to an imported JavaScript function is one) are lent views, guarded,
// with the stack of their first use as their creation (session.lentView); and the app's own views
// over the memory (`new Uint8Array(wasm.memory.buffer)`) are guarded as ever.
//
// A cached view is recognised by its shape in the script's text (glue-source.js), never by names
// (bundlers minify the glue), and only in sessions of a module built by wasm-bindgen, which its
// imports and exports name (they are the glue's ABI: no minifier renames them). Where the text is
// not known (a page's script not fetched yet: register reads its loader's scripts ahead) or cannot
// be read, the glue's views stay guarded as any other. Once the glue is known, its own calls of
// the allocator exports are told from the app's (exported-allocator.js).

import { constructionMaker, makeGlueView } from './glue-views.js';
import { readScriptAhead, revalidatesCachedView } from './glue-source.js';
import { isOwnFrame } from './report.js';
import { callerFile, frameFile, structuredStack } from './structured-stack.js';

/** Whether `module` is wasm-bindgen's output: it imports `__wbg_*` or `__wbindgen_*` functions. */
export function usesWasmBindgenAbi(module) {
  const named = ({ name }) => name.startsWith('__wbg_') || name.startsWith('__wbindgen_');
  return WebAssembly.Module.imports(module).some(named) || WebAssembly.Module.exports(module).some(named);
}

// How long an instantiation waits at most for a page's scripts to arrive: they come from the
// cache as a rule, and without them the glue's first views are only guarded.
const SCRIPT_WAIT_MS = 2000;

/**
 * The scripts on the stack outside viewsan, read now: called where a page's loader instantiates
 * a module, they are the loader's, wasm-bindgen's glue among them (its `__wbg_init`).
 */
export function scriptsOnStack() {
  const scripts = structuredStack((error, frames) => frames
    .map(frameFile)
    .filter((file) => file !== '' && !isOwnFrame(file)), 10);
  return Array.isArray(scripts) ? [...new Set(scripts)] : [];
}

/**
 * Starts reading `scripts` (scriptsOnStack) in a page, and resolves once they are read, or after
 * SCRIPT_WAIT_MS: a module of wasm-bindgen's instantiated from them then finds its glue's text known
 * when the glue makes its first cached views, right after.
 */
export function readGlueScripts(scripts) {
  const reads = scripts.map(readScriptAhead);
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, SCRIPT_WAIT_MS);
  });
  return Promise.race([Promise.all(reads), timeout]).finally(() => clearTimeout(timer));
}

export class CachedGlueViews {
  #session;
  #scripts = new Set();  // the scripts the cached views were recognised in: the glue's

  constructor(session) {
    this.#session = session;
  }

  // Nothing to expect or end: each construction is recognised by itself.
  expect() {}

  end() {}

  /**
   * The whole-buffer view `new Ctor(buffer)` as the glue gets it when it is one of the glue's
   * cached views: a real typed array (or DataView); else null (guard it).
   */
  claim(Ctor, buffer) {
    const maker = constructionMaker();
    if (maker === null || !revalidatesCachedView(maker.file, maker.line, maker.column)) return null;
    this.#scripts.add(maker.file);
    return makeGlueView(this.#session, Ctor, buffer, { lends: true });
  }

  /** Whether a cached view was seen: then the glue is known. */
  knowsGlue() {
    return this.#scripts.size > 0;
  }

  /**
   * Whether `fn` (viewsan's function the app or the glue called) was called by the glue: from the
   * script its cached views were made in (such a script is generated, the app's code is
   * elsewhere). Costs a look at one frame of the stack, once a cached view was seen.
   */
  calledFromGlue(fn) {
    return this.#scripts.size > 0 && this.#scripts.has(callerFile(fn));
  }
}
