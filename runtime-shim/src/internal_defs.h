// Integer names used throughout the shim, as in compiler-rt, and the limits of what it tracks.
#ifndef VIEWSAN_INTERNAL_DEFS_H
#define VIEWSAN_INTERNAL_DEFS_H

#include <stdint.h>

namespace viewsan {

using u32 = uint32_t;
using u64 = uint64_t;
using s32 = int32_t;
using s64 = int64_t;

// Addresses and sizes the shim tracks stay below 2^53, where the doubles it shares with JS are
// exact (memory64 engines cap a memory far below that). Keeping `ptr + size` below this limit also
// keeps every end-of-region computation free of overflow.
constexpr u64 kAddressLimit = u64{1} << 53;

// The size of a region at `ptr` < kAddressLimit, cut so that its end stays below the limit too.
inline u64 ClampSize(u64 ptr, u64 size) {
  return size < kAddressLimit - ptr ? size : kAddressLimit - ptr;
}

}  // namespace viewsan

// For the rare paths of a hook (growing a table, an event, an error): kept out of the hook's own
// function, so that in wasm the common path needs no stack frame.
#define VS_NOINLINE __attribute__((noinline))
// For a hook's common path, defined in a header: in wasm every call costs a frame and a stack
// check, so that each export runs its common path as one function.
#define VS_ALWAYS_INLINE inline __attribute__((always_inline))

// Internal invariants that, if broken, would corrupt the registry: stop rather than go on.
#define VS_CHECK(cond)  \
  do {                  \
    if (!(cond))        \
      __builtin_trap(); \
  } while (0)

#endif  // VIEWSAN_INTERNAL_DEFS_H
