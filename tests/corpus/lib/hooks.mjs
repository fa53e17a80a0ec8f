// No-op viewsan hooks that only count what they are told, and a patch of WebAssembly's entry
// points that gives them to every module importing from "viewsan", so that a package's own
// loader (wasm-bindgen's, Emscripten's) instantiates an instrumented module unchanged.

const PAGE = 65536;

// Hooks that do nothing the module could notice. They count each hook, and keep the live
// allocations to tell frees of pointers they saw allocated from frees of pointers they did not.
export function createHooks() {
  const counts = { alloc: 0, free: 0, realloc: 0, grow: 0, unseenFrees: 0, failedGrows: 0 };
  const live = new Map();
  const forget = (ptr) => {
    if (ptr === 0 || ptr === 0n) return;
    if (!live.delete(ptr)) counts.unseenFrees++;
  };
  const imports = {
    alloc(ptr, size) {
      counts.alloc++;
      if (ptr !== 0 && ptr !== 0n) live.set(ptr, size);
    },
    free(ptr) {
      counts.free++;
      forget(ptr);
    },
    realloc(old, ptr, size) {
      counts.realloc++;
      if (ptr === 0 || ptr === 0n) return; // failed: the old block stays
      forget(old);
      live.set(ptr, size);
    },
    grow_begin() {},
    grow_end(prev) {
      counts.grow++;
      if (prev === -1 || prev === -1n) counts.failedGrows++;
    },
  };
  for (const name of Object.keys(imports)) imports[`${name}64`] = imports[name];
  return { imports, counts, live, PAGE };
}

function importsViewsan(module) {
  return WebAssembly.Module.imports(module).some((entry) => entry.module === 'viewsan');
}

function withHooks(module, imports, hooks) {
  return importsViewsan(module) ? { ...imports, viewsan: hooks.imports } : imports;
}

// Patches WebAssembly.instantiate, instantiateStreaming and Instance until the returned function
// is called. Modules that import nothing from "viewsan" are instantiated exactly as before.
export function provideHooks(hooks) {
  const original = {
    instantiate: WebAssembly.instantiate,
    instantiateStreaming: WebAssembly.instantiateStreaming,
    Instance: WebAssembly.Instance,
  };
  WebAssembly.instantiate = async (source, imports) => {
    const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
    const instance = await original.instantiate.call(
      WebAssembly, module, withHooks(module, imports, hooks));
    return source instanceof WebAssembly.Module ? instance : { module, instance };
  };
  WebAssembly.instantiateStreaming = async (response, imports) =>
    WebAssembly.instantiate(await (await response).arrayBuffer(), imports);
  const Instance = function Instance(module, imports) {
    return new original.Instance(module, withHooks(module, imports, hooks));
  };
  Instance.prototype = original.Instance.prototype;
  WebAssembly.Instance = Instance;
  return () => Object.assign(WebAssembly, original);
}
