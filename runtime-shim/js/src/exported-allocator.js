// JavaScript allocates and frees through the module's exported allocator. Wrapping those exports
// records the JS stack of each such call, so reports show where JavaScript allocated or freed.
// They are found by name, and in an instrumented module by its sites section, which names the
// exports of every hooked allocator: a minified build's `k` and `i` for malloc and free.
// For a module that was never instrumented the wrappers also report the calls to the shim: then
// viewsan knows the allocations JS made (views over them are tied to them) and checks the frees
// JS asks for. Frees made inside wasm stay invisible there, so coverage is partial: a free of an
// unknown pointer is never an error.

import { registerWrapper } from './export-identity.js';
import { VS_SITE_JS } from './shim-layout.js';
import { StackLookSampler } from './stack-look-sampler.js';
import { RawDataView } from './view-constructors.js';

// export name -> how to read the call: which argument is the pointer / size, and the role. `glue`:
// the binding's glue calls it for every string and slice it marshals (wasm-bindgen's ABI), and
// hands the memory to wasm at once: the stacks of the glue's own calls are recorded only with
// glue_allocator_stacks=1; an app's calls of it, as of any allocator export, always are.
const ALLOCATOR_EXPORTS = {
  malloc: { role: 'alloc', size: (a) => a[0] },
  calloc: { role: 'alloc', size: (a) => a[0] * a[1] },
  aligned_alloc: { role: 'alloc', size: (a) => a[1] },
  realloc: { role: 'realloc', ptr: (a) => a[0], size: (a) => a[1] },
  free: { role: 'free', ptr: (a) => a[0] },
  __wbindgen_malloc: { role: 'alloc', size: (a) => a[0], glue: true },
  __wbindgen_realloc: { role: 'realloc', ptr: (a) => a[0], size: (a) => a[2], glue: true },
  __wbindgen_free: { role: 'free', ptr: (a) => a[0], glue: true },
};

// How to read a call of an allocator export its site describes (viewsan-instrument writes the
// role and argument positions the allocator was hooked with). Such exports are a minified build's
// (Emscripten's `_malloc` bound to `Ia`, wasm-bindgen's numbered exports), whose glue calls them
// for its own marshalling, as wasm-bindgen's glue calls `__wbindgen_malloc`: `glue`.
function specOfSite(site, session) {
  const at = (position) => (args) => args[position];
  if (site.role === 'free') return { role: 'free', ptr: at(site.ptr ?? 0), glue: true };
  if (site.role === 'realloc') return { role: 'realloc', ptr: at(site.ptr ?? 0), size: at(site.size ?? 1), glue: true };
  const size = site.count >= 0 ? (args) => args[site.count] * args[site.size] : at(site.size ?? 0);
  // posix_memalign's kind returns 0 and stores the pointer at args[out].
  const allocated = site.out >= 0 ? (args, result) => (Number(result) === 0 ? storedPointer(session, args[site.out]) : 0) : undefined;
  return { role: 'alloc', size, allocated, glue: true };
}

function storedPointer(session, address) {
  const view = new RawDataView(session.memory.buffer);
  return typeof address === 'bigint' ? view.getBigUint64(Number(address), true) : view.getUint32(address, true);
}

// The allocator exports of `instance`: export name -> spec.
function allocatorExports(instance, session) {
  const found = new Map();
  const isFunction = (name) => typeof instance.exports[name] === 'function';
  for (const [name, spec] of Object.entries(ALLOCATOR_EXPORTS)) {
    if (isFunction(name)) found.set(name, spec);
  }
  for (const site of session.sites.exportedAllocators()) {
    for (const name of site.exports) {
      if (!found.has(name) && isFunction(name)) found.set(name, specOfSite(site, session));
    }
  }
  return found;
}

/**
 * Returns an Instance-like object (instanceof WebAssembly.Instance holds, `exports.memory` is the
 * real memory) whose allocator exports record JS stacks, and call the shim's hooks themselves
 * when `hooked` is false; or the instance itself when it exports no allocator.
 */
export function wrapExportedAllocator(instance, session, { hooked }) {
  const allocators = allocatorExports(instance, session);
  if (allocators.size === 0) return instance;
  const noHook = () => {};
  // The shim's own hooks, the 64-bit ones for a memory64 module's BigInt pointers.
  const shimHooks = session.shim.exports;
  const hooks = hooked
    ? { alloc: noHook, realloc: noHook, free: noHook }
    : {
      alloc: (ptr, size, site) => (typeof ptr === 'bigint'
        ? shimHooks.vs_hook_alloc64(ptr, BigInt(size), site) : shimHooks.vs_hook_alloc(ptr, size, site)),
      realloc: (old, ptr, size, site) => (typeof ptr === 'bigint'
        ? shimHooks.vs_hook_realloc64(BigInt(old), ptr, BigInt(size), site)
        : shimHooks.vs_hook_realloc(old, ptr, size, site)),
      free: (ptr, site) => (typeof ptr === 'bigint'
        ? shimHooks.vs_hook_free64(ptr, site) : shimHooks.vs_hook_free(ptr, site)),
    };
  // As the instance's own exports object: its prototype is null. Copied name by name, which costs
  // half what a spread does on a module of tens of thousands of exports.
  const exports = Object.create(null);
  const names = Object.keys(instance.exports);
  for (let i = 0; i < names.length; i++) exports[names[i]] = instance.exports[names[i]];
  for (const [name, spec] of allocators) {
    const original = instance.exports[name];
    const glueSkips = spec.glue && !session.options.glueAllocatorStacks;
    // The glue's: a plain call (its helpers take the allocator as an argument: `malloc(len, 1)`;
    // Emscripten's call `_malloc(len)`, or `func.apply(null, args)` in ccall) once its script is
    // known (by its cached views, or where it refreshes its views), or a call from its script
    // (older glue calls `wasm.__wbindgen_free(ptr, len)`), looked at as stack-look-sampler.js
    // says: a long run of the glue's calls is looked at less and less often. The app's calls of
    // the export through the exports object record their stacks.
    const methodCalls = new StackLookSampler();
    const calledByGlue = (wrapper) => {
      if (!methodCalls.shouldLook()) return true;
      const byGlue = session.calledFromGlue(wrapper);
      methodCalls.looked(!byGlue);
      return byGlue;
    };
    const rememberJsStack = (wrapper, receiver, role, ptr) => {
      if (glueSkips && (receiver == null ? session.knowsGlue() : calledByGlue(wrapper))) return;
      session.rememberJsStack(role, ptr);
    };
    const wrapper = {
      alloc: {
        [name](...args) {
          const result = original(...args);
          const ptr = spec.allocated ? spec.allocated(args, result) : result;
          hooks.alloc(ptr, spec.size(args), VS_SITE_JS);
          rememberJsStack(wrapper, this, 'alloc', ptr);
          return result;
        },
      }[name],
      realloc: {
        [name](...args) {
          const ptr = original(...args);
          hooks.realloc(spec.ptr(args), ptr, spec.size(args), VS_SITE_JS);
          rememberJsStack(wrapper, this, 'alloc', ptr);
          return ptr;
        },
      }[name],
      free: {
        [name](...args) {
          rememberJsStack(wrapper, this, 'free', spec.ptr(args));
          hooks.free(spec.ptr(args), VS_SITE_JS);
          return original(...args);
        },
      }[name],
    }[spec.role];
    exports[name] = wrapper;
    registerWrapper(exports[name], original);
  }
  return Object.create(WebAssembly.Instance.prototype, { exports: { value: Object.freeze(exports), enumerable: true } });
}
