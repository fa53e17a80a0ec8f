// Calls the shim's alloc and free hooks directly, as an instrumented module does (wasm to wasm),
// replaying an allocator's pattern: `slots` chunks at fixed addresses, each step allocating into a
// random empty chunk or freeing a random live one, so that about slots/2 allocations are live.
// bench/shim/run.mjs binds the imports once to viewsan-shim.wasm and once to noop_alloc and
// noop_free below, which do nothing: the difference, per call, is what a hook costs.
#include <stdint.h>

#define VS_HOOK(name) __attribute__((import_module("viewsan"), import_name(#name)))
VS_HOOK(alloc) void hook_alloc(uint32_t ptr, uint32_t size, int32_t site);
VS_HOOK(free) void hook_free(uint32_t ptr, int32_t site);

#define EXPORT(name) __attribute__((export_name(#name)))

EXPORT(noop_alloc) void noop_alloc(uint32_t ptr, uint32_t size, int32_t site) {
  (void)ptr, (void)size, (void)site;
}
EXPORT(noop_free) void noop_free(uint32_t ptr, int32_t site) { (void)ptr, (void)site; }

#include "xorshift.h"

#define MAX_SLOTS (1u << 19)
#define CHUNK 256u          // chunk stride: sizes up to 256 bytes
#define HEAP_BASE 0x100000u

static uint8_t live[MAX_SLOTS];

// Returns the number of hook calls made (every step is one), after freeing what is left.
EXPORT(replay) uint32_t replay(uint32_t steps, uint32_t slots, uint32_t seed) {
  if (slots == 0 || slots > MAX_SLOTS)
    return 0;
  random_state = 0x9E3779B97F4A7C15ULL ^ seed;
  uint32_t calls = 0;
  for (uint32_t step = 0; step < steps; ++step) {
    const uint32_t r = next_random();
    const uint32_t i = r % slots;
    const uint32_t ptr = HEAP_BASE + i * CHUNK;
    if (live[i]) {
      hook_free(ptr, 1);
      live[i] = 0;
    } else {
      hook_alloc(ptr, 1 + (r >> 20) % CHUNK, 0);
      live[i] = 1;
    }
    ++calls;
  }
  for (uint32_t i = 0; i < slots; ++i) {
    if (live[i]) {
      hook_free(HEAP_BASE + i * CHUNK, 1);
      live[i] = 0;
      ++calls;
    }
  }
  return calls;
}
