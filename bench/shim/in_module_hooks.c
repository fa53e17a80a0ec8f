// The shim's registry linked into the program itself, as bench/shim/run.mjs's shim-in-module row
// builds it: churn.c is compiled with malloc and free renamed to the two functions below, which
// call the real allocator and the shim's hook exports (runtime-shim/src/shim_exports.cpp, linked
// in) directly, wasm to wasm in one module. It measures what the hook ABI's call into another
// instance costs, and what the registry's own work costs wherever it runs.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

void vs_hook_alloc(int32_t ptr, int32_t size, int32_t site);
void vs_hook_free(int32_t ptr, int32_t site);

enum { kAllocSite = 0, kFreeSite = 1 };

void* in_module_malloc(size_t size) {
  void* ptr = malloc(size);
  vs_hook_alloc((int32_t)(uintptr_t)ptr, (int32_t)size, kAllocSite);
  return ptr;
}

void in_module_free(void* ptr) {
  vs_hook_free((int32_t)(uintptr_t)ptr, kFreeSite);
  free(ptr);
}
