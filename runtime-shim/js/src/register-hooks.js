// register's work (register.js): WebAssembly's entry points patched so that every instrumented
// module is guarded whichever API its loader uses. A function, run once per realm, so that the
// runtime can be one script (the Node bundle, loaded with a code cache) as well as ES modules.

import { readGlueScripts, scriptsOnStack, usesWasmBindgenAbi } from './cached-glue-views.js';
import { guardMemoriesFromCreation } from './early-sessions.js';
import { isNode, nodeBuiltins } from './environment.js';
import { unwrapImports } from './export-identity.js';
import { abandonOnFailure, attachInstance, importedMemory, prepareSession, resolveRuntimeOptions } from './instantiate.js';
import { sessionOfMemory } from './memory-registry.js';
import { propagateToChildProcesses } from './node-child-processes.js';
import { isShimModule, loadShimModule, loadedShimModule } from './shim.js';
import { moduleNotGuarded, noteSource, watchBase64Decoding, watchEarlyFetches } from './unguarded.js';
import { propagateToWorkers } from './worker-propagation.js';

let entryReady;

/**
 * Patches WebAssembly, once, and returns what the entry point that asked awaits before it
 * resolves. Node's --import waits for it, so even the first synchronous instantiation finds the
 * shim compiled. In a page, `await import('viewsan/register.js')` resolves once the shim has
 * arrived too, so that the views the app's glue makes next over the memories it creates are
 * guarded (until then they stay plain). A worker does not wait: one that imported register itself
 * would register its message listeners late and miss messages.
 */
export function installRegister() {
  if (entryReady === undefined) {
    const shimReady = install();
    entryReady = isNode ? shimReady : typeof document === 'object' ? shimReady.catch(() => null) : null;
  }
  return entryReady;
}

function install() {
  // The shim is compiled first. A page does not wait for one module script before running the
  // next, so there the asynchronous APIs await the shim, and only a synchronous
  // `new WebAssembly.Instance` issued before the shim arrived is refused (with a clear message).
  const shimReady = loadShimModule();
  const options = resolveRuntimeOptions({});
  // Memories the app makes from here on are recorded: views made over one before its module is
  // instantiated are guarded too (in a page, once the shim has arrived).
  guardMemoriesFromCreation(options);

  function shimForSyncInstantiation() {
    const shimModule = loadedShimModule();
    if (!shimModule) {
      throw new Error('viewsan: register.js is still loading viewsan-shim.wasm; this module was instantiated ' +
        'synchronously before it arrived: instantiate it asynchronously, or run the app after ' +
        "`await import('viewsan/register.js')`");
    }
    return shimModule;
  }

  const Wasm = WebAssembly;
  const original = {
    instantiate: Wasm.instantiate,
    instantiateStreaming: Wasm.instantiateStreaming,
    compile: Wasm.compile,
    compileStreaming: Wasm.compileStreaming,
    Module: Wasm.Module,
    Instance: Wasm.Instance,
  };

  // viewsan-instrument processed it: it imports the hooks, or (nothing in it to hook: no allocator
  // found, no memory.grow) it carries the sites section the tool always writes. Either way the
  // user asked for it to be guarded: its views are checked for growth and misalignment at least.
  const isInstrumented = (module) => Wasm.Module.imports(module).some((i) => i.module === 'viewsan')
    || Wasm.Module.customSections(module, 'viewsan.sites').length > 0;

  // A module instantiated unguarded is named on stderr (unguarded.js), unless it is viewsan's own
  // shim; one that imports the memory of an instrumented module (an Emscripten side module, loaded
  // by dlopen) is named as sharing it.
  function unguardedInstantiation(module, imports) {
    if (!(module instanceof Wasm.Module) || isShimModule(module)) return;
    const memory = importedMemory(module, imports);
    const sharesGuardedMemory = memory !== null && sessionOfMemory(memory)?.sites.instrumented === true;
    moduleNotGuarded(module, { warn: options.warnUnguarded, sharesGuardedMemory });
  }

  // Compilation is watched only to name modules that end up unguarded: where their bytes came from.
  async function compileNoting(compile, source) {
    const module = await compile.call(Wasm, source);
    noteSource(module, await source);  // compileStreaming takes a promise of a Response
    return module;
  }
  watchBase64Decoding();

  // A page's loader scripts, read while the module compiles: wasm-bindgen's glue among them, whose
  // cached views are then known for its own from the first (cached-glue-views.js). Node reads a
  // script when asked.
  const loaderScripts = () => (isNode ? [] : scriptsOnStack());

  async function instantiateGuarded(module, programImports, scripts = []) {
    // Allocator exports viewsan wrapped, passed on as imports (dynamic linking), arrive unwrapped.
    const imports = unwrapImports(programImports);
    if (!isInstrumented(module)) {
      unguardedInstantiation(module, imports);
      return original.instantiate.call(Wasm, module, imports);
    }
    if (scripts.length > 0 && usesWasmBindgenAbi(module)) await readGlueScripts(scripts);
    const { session, imports: guardedImports } = prepareSession(module, imports, options, await shimReady);
    const instance = await abandonOnFailure(session, () => original.instantiate.call(Wasm, module, guardedImports));
    return attachInstance(session, module, instance, imports);
  }

  Wasm.instantiate = async function instantiate(source, imports) {
    const scripts = loaderScripts();
    if (source instanceof Wasm.Module) return instantiateGuarded(source, imports, scripts);
    const module = await compileNoting(original.compile, source);
    return { module, instance: await instantiateGuarded(module, imports, scripts) };
  };

  Wasm.compile = async function compile(source) {
    return compileNoting(original.compile, source);
  };

  if (original.instantiateStreaming) {
    Wasm.instantiateStreaming = async function instantiateStreaming(source, imports) {
      const scripts = loaderScripts();
      const module = await compileNoting(original.compileStreaming, source);
      return { module, instance: await instantiateGuarded(module, imports, scripts) };
    };
    Wasm.compileStreaming = async function compileStreaming(source) {
      return compileNoting(original.compileStreaming, source);
    };
  }

  const PatchedModule = new Proxy(original.Module, {
    construct(target, args, newTarget) {
      const module = Reflect.construct(target, args, newTarget === PatchedModule ? target : newTarget);
      noteSource(module, args[0]);
      return module;
    },
  });
  Wasm.Module = PatchedModule;

  const PatchedInstance = new Proxy(original.Instance, {
    construct(target, args, newTarget) {
      const [module, programImports] = args;
      const imports = unwrapImports(programImports);
      const actualTarget = newTarget === PatchedInstance ? target : newTarget;
      if (!(module instanceof Wasm.Module) || !isInstrumented(module)) {
        unguardedInstantiation(module, imports);
        return Reflect.construct(target, imports === programImports ? args : [module, imports, ...args.slice(2)], actualTarget);
      }
      const { session, imports: guardedImports } = prepareSession(module, imports, options, shimForSyncInstantiation());
      const instance = abandonOnFailure(session, () => Reflect.construct(target, [module, guardedImports], actualTarget));
      return attachInstance(session, module, instance, imports);
    },
  });
  Wasm.Instance = PatchedInstance;

  propagateToWorkers(options);
  if (isNode && options.childProcesses) propagateToChildProcesses(nodeBuiltins.require);
  watchEarlyFetches({ warn: options.warnUnguarded });
  return shimReady;
}
