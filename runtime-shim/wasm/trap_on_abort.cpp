// Linked into viewsan-shim.wasm only, which is linked with -Wl,--wrap=abort. libc++ and malloc
// call abort() when the shim's memory cannot grow any more, and Emscripten's standalone abort()
// exits through WASI proc_exit, an import the shim would otherwise need. A library should not end
// its embedder's process: a trap surfaces in JS as a WebAssembly.RuntimeError instead.
extern "C" [[noreturn]] void __wrap_abort() { __builtin_trap(); }
