// The live and remembered allocations of one module instance, by address and by id.
//
// Live regions are kept ordered by address (AddressIndex), so that any address or range is
// resolved in O(log n); their extents never overlap. A freed region stays known by id, by start
// address and by its bytes while the quarantine remembers it. Ids start at 1 and are never reused
// while a region is remembered.
#ifndef VIEWSAN_REGION_REGISTRY_H
#define VIEWSAN_REGION_REGISTRY_H

#include <unordered_map>

#include "address_index.h"
#include "freed_ranges.h"
#include "internal_defs.h"
#include "node_reuse.h"
#include "quarantine.h"
#include "region.h"

namespace viewsan {

// What some bytes or some allocation id are now.
struct Description {
  vs_region_state state = VS_UNALLOCATED;
  const Region* region = nullptr;  // the region `state` is about
  const Region* newer = nullptr;   // VS_REUSED: a live region that now owns some of its bytes
};

class RegionRegistry {
 public:
  RegionRegistry(u64 quarantine_bytes, u64 quarantine_regions);

  // Records a live allocation. A live region that it overlaps was freed through a path no hook
  // saw (partial coverage): that one is freed first, at VS_SITE_UNKNOWN, and passed to
  // `on_retire(const Region&)`, so that live regions stay disjoint.
  template <class OnRetire>
  const Region& Allocate(u64 ptr, u64 size, s32 alloc_site, OnRetire&& on_retire);
  // Frees the live region that starts at `ptr` into the quarantine, which may forget its oldest
  // regions. Returns false, changing nothing, when no live region starts at `ptr`.
  bool Release(u64 ptr, s32 free_site, Region* released);
  // Changes the size of the live region that starts at `ptr` (a realloc in place), retiring what
  // the grown region overlaps as Allocate does. Returns false when no live region starts at `ptr`.
  template <class OnRetire>
  bool Resize(u64 ptr, u64 size, OnRetire&& on_retire);
  void SetQuarantineBytes(u64 max_bytes);

  const Region* FindLive(u64 ptr) const;             // the live region starting at `ptr`
  const Region* FindLiveContaining(u64 addr) const;  // the live region whose extent holds `addr`
  // The lowest live region whose extent meets [begin, end), with begin < end.
  const Region* FirstLiveOverlapping(u64 begin, u64 end) const;
  const Region* FindFreedAt(u64 ptr) const;  // the latest remembered region freed at `ptr`
  const Region* Find(u32 id) const;          // live or remembered

  // Bytes [ptr, ptr + len): LIVE, STRADDLES (region: the live one crossed), FREED or REUSED
  // (region: the freed one), or UNALLOCATED. With len 0, the address alone; it may be one past
  // the end of a live region.
  Description Lookup(u64 ptr, u64 len);
  // Allocation `id`: LIVE, FREED, REUSED or UNKNOWN_ID.
  Description Describe(u32 id) const;
  u64 FreesAgo(const Region& freed) const { return frees_ - freed.free_seq; }

  template <class Fn>
  void ForEachLive(Fn&& fn) const {
    for (const AddressIndex::Entry& entry : live_)
      fn(*entry.region);
  }

  u64 live_bytes() const { return live_bytes_; }
  u64 peak_bytes() const { return peak_bytes_; }
  u64 live_count() const { return live_.size(); }
  u64 remembered_count() const { return regions_.size(); }  // live and quarantined
  u64 tracked_addresses() const { return addresses_.size(); }
  const Quarantine& quarantine() const { return quarantine_; }

  // Lets a test reach the wrap of the 32-bit id space.
  void SetLastIdForTesting(u32 id) { last_id_ = id; }

 private:
  using LiveIt = AddressIndex::Iterator;
  using RegionMap = std::unordered_map<u32, Region>;

  // The first live region whose extent meets [begin, end), or end(); `next` is
  // live_.UpperBound(begin). Live regions are disjoint: only the one before `next`, or `next`
  // itself, can be the first.
  LiveIt Overlapping(LiveIt next, u64 begin, u64 end) const;
  // Retires every live region whose extent meets [begin, end); returns live_.UpperBound(begin).
  template <class OnRetire>
  LiveIt RetireOverlapping(u64 begin, u64 end, OnRetire& on_retire);
  // `next` is where `ptr` goes in live_: live_.UpperBound(ptr).
  const Region& Insert(LiveIt next, u64 ptr, u64 size, s32 alloc_site);
  void ReleaseAt(LiveIt it, s32 free_site, Region* released);
  void SetSize(LiveIt it, u64 size);
  u32 NextId();
  Description DescribeFreed(const Region* freed) const;
  void Forget(const Region* freed);
  void DrainQuarantine();

  AddressIndex live_;
  RegionMap regions_;  // by id; owns every Region; element addresses are stable
  NodeReuse<RegionMap> region_nodes_;
  // Grows with the distinct start addresses ever seen, which an allocator's chunk reuse bounds.
  std::unordered_map<u64, AddressHistory> addresses_;
  Quarantine quarantine_;
  FreedRanges freed_;

  u32 last_id_ = 0;
  bool ids_wrapped_ = false;
  u64 frees_ = 0;
  u64 live_bytes_ = 0;
  u64 peak_bytes_ = 0;
};

template <class OnRetire>
const Region& RegionRegistry::Allocate(u64 ptr, u64 size, s32 alloc_site, OnRetire&& on_retire) {
  const LiveIt next = RetireOverlapping(ptr, ptr + (size ? size : 1), on_retire);
  return Insert(next, ptr, size, alloc_site);
}

template <class OnRetire>
bool RegionRegistry::Resize(u64 ptr, u64 size, OnRetire&& on_retire) {
  LiveIt it = live_.Find(ptr);
  if (it == live_.end())
    return false;
  const u64 new_extent_end = ptr + (size ? size : 1);
  if (new_extent_end > it->extent_end) {
    RetireOverlapping(it->extent_end, new_extent_end, on_retire);
    it = live_.Find(ptr);  // retiring moved entries
  }
  SetSize(it, size);
  return true;
}

template <class OnRetire>
RegionRegistry::LiveIt RegionRegistry::RetireOverlapping(u64 begin, u64 end, OnRetire& on_retire) {
  LiveIt next = live_.UpperBound(begin);
  for (LiveIt stale = Overlapping(next, begin, end); stale != live_.end();
       stale = Overlapping(next, begin, end)) {
    Region retired;
    ReleaseAt(stale, VS_SITE_UNKNOWN, &retired);
    on_retire(retired);
    next = live_.UpperBound(begin);
  }
  return next;
}

}  // namespace viewsan

#endif  // VIEWSAN_REGION_REGISTRY_H
