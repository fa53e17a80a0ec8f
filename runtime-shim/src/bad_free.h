// Recognises a free the allocator must not be asked to do (DESIGN.md contract 3: double-free,
// invalid-free). It is judged before the registry changes, so that the report describes the state
// the program freed into.
#ifndef VIEWSAN_BAD_FREE_H
#define VIEWSAN_BAD_FREE_H

#include "internal_defs.h"
#include "region_registry.h"

namespace viewsan {

// What the judge knows besides the registry.
struct FreeContext {
  // Every allocation path reaches a hook (the instrumenter verified it): nothing is allocated,
  // freed or reshaped out of the hooks' sight.
  bool coverage_complete = false;
  // A power of two dividing every pointer the hooked allocator has returned (the largest, at most
  // 16): no allocation of that allocator, seen or not, starts at an address it does not divide.
  u64 alignment = 1;
};

struct FreeVerdict {
  u32 kind = 0;      // vs_error_kind; 0 when the free is not reported
  u32 alloc_id = 0;  // the region involved; 0 if none
  // Not reported because an allocation, free or in-place change the hooks did not see explains it
  // (partial coverage only). `retire` is the start of the live region that must have been freed
  // or reshaped out of sight, 0 if none.
  bool unseen = false;
  u64 retire = 0;
  explicit operator bool() const { return kind != 0; }
};

// Judges free(ptr):
//   - fine: ptr is 0, or the start of a live region;
//   - ptr inside a live region R but not at its start: invalid-free with complete coverage, or
//     when ptr is not aligned as every allocation of this allocator is (no allocation, seen or
//     not, can start there). Otherwise, with partial coverage, R was freed, shrunk or carved up
//     where no hook saw (memalign trimming the chunk the hooked malloc returned, a realloc in
//     place, an unhooked allocation path) and ptr is an allocation the hooks missed: unseen, and
//     R is retired;
//   - ptr the start of a region freed and still remembered in quarantine: double-free with
//     complete coverage. With partial coverage an allocation the hooks did not see may have
//     returned ptr since: unseen;
//   - anything else: invalid-free with complete coverage (no allocation returned ptr); with
//     partial coverage an allocation the hooks did not see: unseen.
FreeVerdict CheckFree(RegionRegistry& registry, u64 ptr, const FreeContext& context);

}  // namespace viewsan

#endif  // VIEWSAN_BAD_FREE_H
