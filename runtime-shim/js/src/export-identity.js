// viewsan wraps a module's allocator exports in JavaScript functions that record where JavaScript
// allocated and freed (exported-allocator.js). A program may put those exports where only wasm
// functions go: Emscripten's dynamic linking stores every export in the module's
// WebAssembly.Table (`Table.set` throws a TypeError for a JavaScript function), and passes them
// as imports to the side modules it loads. There the exports must behave exactly as without
// viewsan: a table receives the wasm function itself and hands back the wrapper (so identity with
// `instance.exports` holds), and a module importing a wrapper imports the wasm function, which
// its calls reach directly (the instrumented allocator reports them from wasm).

const originalOf = new WeakMap();  // wrapper -> the wasm function it wraps
const wrapperOf = new WeakMap();   // wasm function -> its wrapper

/** Records that `wrapper` stands for the wasm function `original`. */
export function registerWrapper(wrapper, original) {
  originalOf.set(wrapper, original);
  wrapperOf.set(original, wrapper);
  installTablePatch();
}

const unwrap = (value) => (typeof value === 'function' && originalOf.get(value)) || value;

let tablePatched = false;

function installTablePatch() {
  if (tablePatched) return;
  tablePatched = true;
  const proto = WebAssembly.Table.prototype;
  const { get, set, grow } = proto;
  // Methods keep their names and lengths: glue code sometimes inspects them.
  Object.defineProperties(proto, {
    get: {
      value: { get(index) {
        const value = get.call(this, index);
        return (typeof value === 'function' && wrapperOf.get(value)) || value;
      } }.get,
    },
    set: {
      value: { set(index, ...value) {
        return set.call(this, index, ...value.map(unwrap));
      } }.set,
    },
    grow: {
      value: { grow(delta, ...init) {
        return grow.call(this, delta, ...init.map(unwrap));
      } }.grow,
    },
  });
}

/**
 * The import object to instantiate with: `imports` itself when no wrapper was ever made, else a
 * view of it whose values are the wasm functions in place of their wrappers. A view, not a copy:
 * glue code passes Proxies that resolve symbols as the engine asks for them (Emscripten's GOT).
 */
export function unwrapImports(imports) {
  if (!tablePatched || imports === null || typeof imports !== 'object') return imports;
  const namespaces = new Map();
  return new Proxy(imports, {
    get(target, key, receiver) {
      const namespace = Reflect.get(target, key, receiver);
      if (namespace === null || typeof namespace !== 'object') return namespace;
      if (!namespaces.has(namespace)) {
        namespaces.set(namespace, new Proxy(namespace, {
          get: (inner, name, innerReceiver) => unwrap(Reflect.get(inner, name, innerReceiver)),
        }));
      }
      return namespaces.get(namespace);
    },
  });
}
