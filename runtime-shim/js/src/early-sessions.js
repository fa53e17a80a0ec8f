// Views made before viewsan saw the memory's module. Glue may make its memory and its views
// first and instantiate afterwards (Emscripten's IMPORTED_MEMORY glue makes wasmMemory and HEAPU8
// at startup). So once the package is loaded, every `new WebAssembly.Memory(...)` is recorded
// (memory-registry.js), and the first view over a recorded memory starts an
// early session for it, with the environment's options (the module's are not known yet). Until a
// module uses the memory no allocation can own its bytes, so its views are checked for detachment
// only; a memory.grow() from JavaScript is recorded with its stack. prepareSession hands the early
// session to the module instantiated with the memory as its own: the early views, and the grows
// in between, are the module's, and its sites and options apply from then on. A view's mode is
// fixed when it is made: early views have the environment's (VIEWSAN_OPTIONS=mode=compat).
// A shared memory's early session works on the heap's one registry (shared-heaps.js) from the
// start: Emscripten's pthread glue makes HEAPU8 over it before instantiating, and an app that
// keeps that HEAPU8 while a worker grows the memory reads past its end.

import { environmentOptions } from './environment.js';
import { installGuards } from './install-guards.js';
import { recordCreatedMemory, sessionOfMemory } from './memory-registry.js';
import { resolveOptions } from './options.js';
import { isSharedMemory, sharedHeapOf } from './shared-heaps.js';
import { Session } from './session.js';
import { loadShimModule, loadedShimModule } from './shim.js';
import { SiteTable } from './sites.js';
import { installViewConstructors } from './view-constructors.js';

const earlySessions = new WeakSet();  // started for a memory, not yet adopted by a module
let tracking = false;

/**
 * Records WebAssembly memories from their creation on, when views are patched (patchViews, the
 * default). WebAssembly.Memory becomes a Proxy of the engine's constructor whose construct trap
 * records what it made: `instanceof`, `WebAssembly.Memory.prototype`, subclasses and the memories
 * themselves (node:wasi takes them) are the engine's. Starts loading the shim: a view made before
 * it is compiled stays a plain typed array.
 */
export function guardMemoriesFromCreation(options = resolveOptions({}, environmentOptions())) {
  if (tracking || !options.patchViews) return;
  tracking = true;
  const start = (memory) => startEarlySession(memory, options);
  const Memory = WebAssembly.Memory;
  const Recorded = new Proxy(Memory, {
    construct(target, args, newTarget) {
      const memory = Reflect.construct(target, args, newTarget === Recorded ? target : newTarget);
      installViewConstructors();
      recordCreatedMemory(memory, start);
      return memory;
    },
  });
  // `memory.constructor === WebAssembly.Memory` keeps holding.
  Object.defineProperty(Memory.prototype, 'constructor', {
    value: Recorded, writable: true, configurable: true, enumerable: false,
  });
  WebAssembly.Memory = Recorded;
  // A shim that cannot load is reported by instantiate(), where it is needed.
  loadShimModule().catch(() => null);
}

function startEarlySession(memory, options) {
  const shimModule = loadedShimModule();
  if (!shimModule) return null;
  const heap = isSharedMemory(memory) ? sharedHeapOf(memory) : null;
  const session = new Session(shimModule, new SiteTable(), options, { early: true, heap });
  installGuards(session);
  session.attach(memory, 0);
  session.expectGlueRefresh();  // glue that makes its memory makes its views next
  earlySessions.add(session);
  return session;
}

/**
 * The early session of `memory`, adopted by the module being instantiated with it (`sites`,
 * `options`); null when the memory has none, or a module took it already.
 */
export function adoptEarlySession(memory, sites, options) {
  const session = sessionOfMemory(memory);
  if (!earlySessions.has(session)) return null;
  earlySessions.delete(session);
  session.adopt(sites, options);
  return session;
}
