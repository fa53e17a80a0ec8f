// One allocation, as the registry describes it: live, or freed and remembered in quarantine.
#ifndef VIEWSAN_REGION_H
#define VIEWSAN_REGION_H

#include "internal_defs.h"
#include "viewsan/shim_abi.h"

namespace viewsan {

struct Region {
  u64 ptr = 0;
  u64 size = 0;
  u64 free_seq = 0;    // 0 while live; once freed, the registry's free count including this free
  u32 id = 0;
  // Allocations that started at `ptr` before this one: one more than the generation of the latest
  // region freed at `ptr` that the quarantine remembers, else 0. Counted when first read, then
  // fixed (region_registry.h).
  u32 generation = 0;
  s32 alloc_site = VS_SITE_UNKNOWN;
  s32 free_site = VS_SITE_UNKNOWN;

  bool live() const { return free_seq == 0; }
  u64 end() const { return ptr + size; }
  // A zero-size region owns no bytes, but its pointer is unique among live allocations: for
  // overlap it occupies [ptr, ptr + 1), so no other live region can start at or straddle it.
  u64 extent_end() const { return ptr + (size ? size : 1); }
};

}  // namespace viewsan

#endif  // VIEWSAN_REGION_H
