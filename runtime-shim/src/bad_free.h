// Recognises a free the allocator must not be asked to do (DESIGN.md contract 3: double-free,
// invalid-free). It is judged before the registry changes, so that the report describes the state
// the program freed into.
#ifndef VIEWSAN_BAD_FREE_H
#define VIEWSAN_BAD_FREE_H

#include "internal_defs.h"
#include "region_registry.h"

namespace viewsan {

struct BadFree {
  u32 kind = 0;      // vs_error_kind; 0 when the free is fine
  u32 alloc_id = 0;  // the region involved; 0 if none
  explicit operator bool() const { return kind != 0; }
};

// Judges free(ptr):
//   - fine: ptr is 0, or the start of a live region;
//   - invalid-free: ptr is inside a live region but not at its start;
//   - double-free: ptr is the start of a region freed and still remembered in quarantine;
//   - invalid-free: ptr is anything else, when coverage is complete (every allocation path is
//     hooked, so no allocation returned ptr). With partial coverage such a free is fine: the
//     allocation may have come through a path the instrumenter could not see.
BadFree CheckFree(RegionRegistry& registry, u64 ptr, bool coverage_complete);

}  // namespace viewsan

#endif  // VIEWSAN_BAD_FREE_H
