// One allocation, from the hook that reported it until the quarantine forgets it.
#ifndef VIEWSAN_REGION_H
#define VIEWSAN_REGION_H

#include "internal_defs.h"
#include "viewsan/shim_abi.h"

namespace viewsan {

struct AddressHistory;

struct Region {
  u64 ptr = 0;
  u64 size = 0;
  u32 id = 0;
  u32 generation = 0;  // allocations that started at `ptr` before this one
  s32 alloc_site = VS_SITE_UNKNOWN;
  s32 free_site = VS_SITE_UNKNOWN;
  u64 free_seq = 0;    // 0 while live; once freed, the registry's free count including this free
  AddressHistory* history = nullptr;  // of `ptr`; saves a hash lookup on free and on forget

  bool live() const { return free_seq == 0; }
  u64 end() const { return ptr + size; }
  // A zero-size region owns no bytes, but its pointer is unique among live allocations: for
  // overlap it occupies [ptr, ptr + 1), so no other live region can start at or straddle it.
  u64 extent_end() const { return ptr + (size ? size : 1); }
};

// What the registry remembers about one start address for as long as it runs.
struct AddressHistory {
  u32 allocations = 0;              // allocations that ever started here: the next generation
  const Region* last_freed = nullptr;  // most recent region freed here, while in quarantine
};

}  // namespace viewsan

#endif  // VIEWSAN_REGION_H
