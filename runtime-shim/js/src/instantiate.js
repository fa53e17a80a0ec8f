// instantiate(): contract 2's entry point for plain modules, and the synchronous core that the
// other integrations (emscripten(), register) share.

import { usesWasmBindgenAbi } from './cached-glue-views.js';
import { adoptEarlySession } from './early-sessions.js';
import { environmentOptions, printError } from './environment.js';
import { installGuards } from './install-guards.js';
import { helpText, resolveOptions } from './options.js';
import { Session } from './session.js';
import { isSharedMemory, sharedHeapOf } from './shared-heaps.js';
import { loadShimModule } from './shim.js';
import { SiteTable } from './sites.js';
import { wrapExportedAllocator } from './exported-allocator.js';
import { isSharedArrayBuffer } from './view-constructors.js';

/**
 * @param {BufferSource|WebAssembly.Module|Response|Promise<Response>} source
 * @param {object} [imports] the module's own imports; viewsan adds the `viewsan` hooks
 * @param {object} [options] see options.js
 * @returns {Promise<{instance: WebAssembly.Instance, module: WebAssembly.Module, session: Session}>}
 */
export async function instantiate(source, imports = {}, options = {}) {
  const resolved = resolveRuntimeOptions(options);
  const [module, shimModule] = await Promise.all([compileSource(source), loadShimModule()]);
  const { session, imports: guardedImports } = prepareSession(module, imports, resolved, shimModule);
  const raw = await abandonOnFailure(session, () => WebAssembly.instantiate(module, guardedImports));
  const instance = attachInstance(session, module, raw, imports);
  return { instance, module, session };
}

export function resolveRuntimeOptions(options) {
  const resolved = resolveOptions(options, environmentOptions());
  if (resolved.help) printError(helpText(resolved));
  return resolved;
}

/**
 * Creates the session for `module` and the import object that wires its hooks to the shim. A
 * memory the module imports is guarded from here on: views JavaScript makes over it while the
 * module instantiates (its start function calling back into JavaScript) are guarded too. When
 * views were made over it before, the memory has an early session (early-sessions.js): that is
 * the module's session. An imported shared memory is a heap threads share: its session works on
 * the heap's one registry.
 */
export function prepareSession(module, imports, resolved, shimModule) {
  const sites = SiteTable.fromModule(module);
  const imported = importedMemory(module, imports);
  const heap = imported && isSharedMemory(imported) ? sharedHeapOf(imported) : null;
  const session = (imported && adoptEarlySession(imported, sites, resolved))
    || new Session(shimModule, sites, resolved, { heap });
  if (usesWasmBindgenAbi(module)) session.useCachedGlueViews();
  const guardedImports = sites.instrumented ? { ...imports, viewsan: session.hookImports() } : imports;
  if (imported) {
    installGuards(session);
    if (sites.instrumented) session.trackAllocations();
    session.attach(imported, 0);
  }
  return { session, imports: guardedImports };
}

/**
 * Runs the instantiation `work` for `session`; if it fails, the session lets go of the memory it
 * took in prepareSession, so that the program may instantiate again with the same imports (as
 * Emscripten does when streaming compilation fails).
 */
export function abandonOnFailure(session, work) {
  const settle = (error) => {
    session.dispose();
    throw error;
  };
  let result;
  try {
    result = work();
  } catch (error) {
    settle(error);
  }
  return result instanceof Promise ? result.catch(settle) : result;
}

/**
 * Starts guarding the instance's memory. Returns the instance to hand to the app: the instance
 * itself, or for a module that was never instrumented one whose exported allocator reports to
 * the session.
 */
export function attachInstance(session, module, instance, imports) {
  const memory = findMemory(module, instance, imports);
  installGuards(session);
  const guarded = wrapExportedAllocator(instance, session, { hooked: session.sites.instrumented });
  if (guarded !== instance || session.sites.instrumented) session.trackAllocations();
  if (!memory) return guarded;
  // Shared memories are used by several threads. Their registry is one (shared-heaps.js) only
  // where the memory reached the thread with it; a thread viewsan does not run in allocates out
  // of sight: a free of an allocation no hook saw is not an invalid free, so never claim full coverage.
  if (isSharedArrayBuffer(memory.buffer)) {
    session.shim.configure({ coverageComplete: false, quarantineBytes: session.options.quarantineMb * 1024 * 1024 });
  }
  const heapBase = instance.exports.__heap_base instanceof WebAssembly.Global
    ? Number(instance.exports.__heap_base.value) : 0;
  session.attach(memory, heapBase);
  session.expectGlueRefresh();
  return guarded;
}

async function compileSource(source) {
  const resolved = await source;
  if (resolved instanceof WebAssembly.Module) return resolved;
  // Bytes are not a Response: reading `Response` costs Node its fetch implementation's load.
  if (resolved instanceof ArrayBuffer || ArrayBuffer.isView(resolved)) return WebAssembly.compile(resolved);
  if (typeof Response === 'function' && resolved instanceof Response) {
    if (!resolved.ok) throw new Error(`viewsan: cannot load ${resolved.url}: HTTP ${resolved.status}`);
    return WebAssembly.compile(await resolved.arrayBuffer());
  }
  return WebAssembly.compile(resolved);
}

// The memory a guarded module uses: its exported memory, else the one it imports.
// The memory the instance exports, else the one it imports. Most toolchains export it as `memory`;
// others are looked for in the order of the exports, without listing them: a module can export
// tens of thousands of functions (duckdb-wasm: 75,000), and a list of them costs 80 ms.
function findMemory(module, instance, imports) {
  const { exports } = instance;
  if (exports.memory instanceof WebAssembly.Memory) return exports.memory;
  for (const name in exports) {
    if (exports[name] instanceof WebAssembly.Memory) return exports[name];
  }
  return importedMemory(module, imports);
}

/** The memory `module` imports from `imports`, if any. */
export function importedMemory(module, imports) {
  for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'memory') continue;
    const memory = imports?.[mod]?.[name];
    return memory instanceof WebAssembly.Memory ? memory : null;
  }
  return null;
}
