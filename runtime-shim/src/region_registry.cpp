#include "region_registry.h"

#include <algorithm>

namespace viewsan {

RegionRegistry::RegionRegistry(u64 quarantine_bytes, u64 quarantine_regions)
    : quarantine_(quarantine_bytes, quarantine_regions) {}

bool RegionRegistry::Release(u64 ptr, s32 free_site, Region* released) {
  const LiveIt it = live_.Find(ptr);
  if (it == live_.end())
    return false;
  ReleaseAt(it, free_site, released);
  return true;
}

const Region& RegionRegistry::Insert(LiveIt next, u64 ptr, u64 size, s32 alloc_site) {
  Region region;
  region.ptr = ptr;
  region.size = size;
  region.id = NextId();
  region.history = &addresses_[ptr];
  region.generation = region.history->allocations++;
  region.alloc_site = alloc_site;
  Region* stored = &region_nodes_.Insert(regions_, regions_.end(), region.id, region)->second;
  live_.Insert(next, {ptr, stored->extent_end(), stored});
  live_bytes_ += size;
  peak_bytes_ = std::max(peak_bytes_, live_bytes_);
  return *stored;
}

void RegionRegistry::ReleaseAt(LiveIt it, s32 free_site, Region* released) {
  Region* region = it->region;
  live_.Erase(it);
  live_bytes_ -= region->size;
  region->free_site = free_site;
  region->free_seq = ++frees_;
  region->history->last_freed = region;
  *released = *region;  // copied first: a zero budget forgets it at once
  quarantine_.Push(region);
  freed_.Add(region);
  DrainQuarantine();
}

void RegionRegistry::SetSize(LiveIt it, u64 size) {
  Region* region = it->region;
  live_bytes_ = live_bytes_ - region->size + size;
  peak_bytes_ = std::max(peak_bytes_, live_bytes_);
  region->size = size;
  live_.SetExtentEnd(it, region->extent_end());
}

void RegionRegistry::SetQuarantineBytes(u64 max_bytes) {
  quarantine_.set_max_bytes(max_bytes);
  DrainQuarantine();
}

const Region* RegionRegistry::FindLive(u64 ptr) const {
  const LiveIt it = live_.Find(ptr);
  return it == live_.end() ? nullptr : it->region;
}

const Region* RegionRegistry::FindLiveContaining(u64 addr) const {
  LiveIt it = live_.UpperBound(addr);
  if (it == live_.begin())
    return nullptr;
  --it;
  return addr < it->extent_end ? it->region : nullptr;
}

const Region* RegionRegistry::FirstLiveOverlapping(u64 begin, u64 end) const {
  const LiveIt it = Overlapping(live_.UpperBound(begin), begin, end);
  return it == live_.end() ? nullptr : it->region;
}

const Region* RegionRegistry::FindFreedAt(u64 ptr) const {
  auto it = addresses_.find(ptr);
  return it == addresses_.end() ? nullptr : it->second.last_freed;
}

const Region* RegionRegistry::Find(u32 id) const {
  auto it = regions_.find(id);
  return it == regions_.end() ? nullptr : &it->second;
}

Description RegionRegistry::Lookup(u64 ptr, u64 len) {
  const u64 end = ptr + len;
  LiveIt next = live_.UpperBound(ptr);
  if (next != live_.begin()) {
    LiveIt before = next;
    const Region* region = (--before)->region;
    if (len == 0 && ptr <= region->end())
      return {VS_LIVE, region, nullptr};
    if (len != 0 && ptr < region->extent_end())
      return {end <= region->end() ? VS_LIVE : VS_STRADDLES, region, nullptr};
  }
  // The range starts outside every live region; it straddles the first one it runs into. A
  // zero-size region owns no bytes, so a range that merely covers its address does not.
  for (; len != 0 && next != live_.end() && next->ptr < end; ++next) {
    if (next->region->size != 0)
      return {VS_STRADDLES, next->region, nullptr};
  }
  const Region* freed = freed_.Find(ptr);
  if (!freed)
    freed = FindFreedAt(ptr);  // zero-size freed regions own no bytes to find
  if (freed)
    return DescribeFreed(freed);
  return {};
}

Description RegionRegistry::Describe(u32 id) const {
  const Region* region = Find(id);
  if (!region)
    return {VS_UNKNOWN_ID, nullptr, nullptr};
  if (region->live())
    return {VS_LIVE, region, nullptr};
  return DescribeFreed(region);
}

RegionRegistry::LiveIt RegionRegistry::Overlapping(LiveIt next, u64 begin, u64 end) const {
  if (next != live_.begin()) {
    LiveIt before = next;
    if ((--before)->extent_end > begin)
      return before;
  }
  if (next != live_.end() && next->ptr < end)
    return next;
  return live_.end();
}

Description RegionRegistry::DescribeFreed(const Region* freed) const {
  // Any live region that overlaps a freed one was allocated after that free.
  if (const Region* newer = FirstLiveOverlapping(freed->ptr, freed->extent_end()))
    return {VS_REUSED, freed, newer};
  return {VS_FREED, freed, nullptr};
}

u32 RegionRegistry::NextId() {
  // Ids are 32-bit in the ABI. Past 2^32 - 1 allocations they wrap, skipping 0 and every id still
  // remembered, so that an id names one region at a time.
  for (;;) {
    if (++last_id_ == 0) {
      ids_wrapped_ = true;
      continue;
    }
    if (!ids_wrapped_ || regions_.find(last_id_) == regions_.end())
      return last_id_;
  }
}

void RegionRegistry::Forget(const Region* freed) {
  freed_.Forget(freed);
  if (freed->history->last_freed == freed)
    freed->history->last_freed = nullptr;
  region_nodes_.Erase(regions_, regions_.find(freed->id));
}

void RegionRegistry::DrainQuarantine() {
  while (const Region* oldest = quarantine_.PopExcess())
    Forget(oldest);
}

}  // namespace viewsan
