// JavaScript allocates and frees through the module's exported allocator. Wrapping those exports
// records the JS stack of each such call, so reports show where JavaScript allocated or freed.
// For a module that was never instrumented the wrappers also report the calls to the shim: then
// viewsan knows the allocations JS made (views over them are tied to them) and checks the frees
// JS asks for. Frees made inside wasm stay invisible there, so coverage is partial: a free of an
// unknown pointer is never an error.

import { registerWrapper } from './export-identity.js';
import { VS_SITE_JS } from './shim-layout.js';
import { StackLookSampler } from './stack-look-sampler.js';

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

/**
 * Returns an Instance-like object (instanceof WebAssembly.Instance holds, `exports.memory` is the
 * real memory) whose allocator exports record JS stacks, and call the shim's hooks themselves
 * when `hooked` is false; or the instance itself when it exports no allocator.
 */
export function wrapExportedAllocator(instance, session, { hooked }) {
  const names = Object.keys(ALLOCATOR_EXPORTS).filter((name) => typeof instance.exports[name] === 'function');
  if (names.length === 0) return instance;
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
  const exports = { ...instance.exports };
  for (const name of names) {
    const original = instance.exports[name];
    const spec = ALLOCATOR_EXPORTS[name];
    const glueSkips = spec.glue && !session.options.glueAllocatorStacks;
    // The glue's: a plain call (its helpers take the allocator as an argument: `malloc(len, 1)`)
    // once its cached views are known, or a call from its script (older glue calls
    // `wasm.__wbindgen_free(ptr, len)`), looked at as stack-look-sampler.js says: a long run of
    // the glue's calls is looked at less and less often. The app's calls of the export through
    // the exports object record their stacks.
    const methodCalls = new StackLookSampler();
    const calledByGlue = (wrapper) => {
      if (!methodCalls.shouldLook()) return true;
      const byGlue = session.calledFromGlue(wrapper);
      methodCalls.looked(!byGlue);
      return byGlue;
    };
    const rememberJsStack = (wrapper, receiver, role, ptr) => {
      if (glueSkips && (receiver === undefined ? session.knowsGlue() : calledByGlue(wrapper))) return;
      session.rememberJsStack(role, ptr);
    };
    const wrapper = {
      alloc: {
        [name](...args) {
          const ptr = original(...args);
          hooks.alloc(ptr, spec.size(args), VS_SITE_JS);
          rememberJsStack(wrapper, this, 'alloc', ptr);
          return ptr;
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
