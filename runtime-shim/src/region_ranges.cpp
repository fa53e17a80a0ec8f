// The registry's address index (live regions in address order, kept up to date lazily) and the
// queries that need it, or answer without it: region_registry.h says how.
#include "region_registry.h"

#include <algorithm>

#include "radix_sort.h"

namespace viewsan {

// ---- the address index ------------------------------------------------------------------------

void RegionRegistry::ResolveOverlaps() {
  if (!index_built_)
    BuildIndex();
  else if (!pending_.empty() || !unindexed_.empty())
    ApplyLogs();
}

VS_NOINLINE void RegionRegistry::NoteUnindexed(u64 ptr, u32 id) {
  unindexed_.push_back({ptr, id, 0});
  NoteChange();
}

void RegionRegistry::NoteChange() {
  if (pending_.size() + unindexed_.size() > 2 * live_count_ + kLogSlack)
    DropIndex();
}

void RegionRegistry::DropIndex() {
  live_.Clear();
  pending_.clear();
  unindexed_.clear();
  index_built_ = false;
}

void RegionRegistry::BuildIndex() {
  std::vector<AddressIndex::Entry> entries;
  entries.reserve(live_count_);
  addresses_.ForEach([&entries](const LiveEntry& entry) {
    entries.push_back({entry.ptr, ExtentEnd(entry.ptr, entry.size), entry.live_id});
  });
  RadixSort(entries.data(), entries.size(), [](const AddressIndex::Entry& entry) { return entry.ptr; });
  index_built_ = true;
  pending_.clear();
  unindexed_.clear();
  // Sorted by start, a region overlaps another only within a run of regions each starting below
  // the furthest end before it. Regions alone in their run overlap nothing: no change retires them
  // or is retired by them, whatever the order, and they go into the index as they are. The runs'
  // regions (a few: one pair among onnxruntime-web's 80,000 live regions) are inserted in the order
  // of their changes, oldest first, each retiring what it overlaps, as the hooks would have.
  struct Ordered {
    AddressIndex::Entry entry;
    u64 order;  // ChangeOrder
  };
  std::vector<Ordered> overlapping;
  std::size_t alone = 0;  // kept at the front of `entries`
  for (std::size_t begin = 0, end; begin < entries.size(); begin = end) {
    u64 reach = entries[begin].extent_end;
    for (end = begin + 1; end < entries.size() && entries[end].ptr < reach; ++end)
      reach = std::max(reach, entries[end].extent_end);
    if (end - begin == 1) {
      entries[alone++] = entries[begin];
      continue;
    }
    for (std::size_t i = begin; i < end; ++i)
      overlapping.push_back({entries[i], ChangeOrder(IndexedEntry(entries[i]))});
  }
  entries.resize(alone);
  live_.Assign(entries);
  RadixSort(overlapping.data(), overlapping.size(),
            [](const Ordered& change) { return change.order; });
  for (const Ordered& change : overlapping) {
    const LiveIt next = RetireOverlapping(change.entry.ptr, change.entry.extent_end);
    live_.Insert(next, change.entry);  // only a newer change could have retired it
  }
}

void RegionRegistry::ApplyLogs() {
  for (const Unindexed& gone : unindexed_) {
    const LiveIt it = live_.Find(gone.ptr);
    if (it != live_.end() && it->id == gone.id)
      live_.Erase(it);
  }
  unindexed_.clear();
  // Retiring never appends to the logs: the regions it retires are unindexed on the spot.
  for (const Change& change : pending_) {
    LiveEntry live;
    if (!addresses_.Find(change.ptr, &live) || live.live_id != change.id)
      continue;  // freed since
    const u64 ptr = change.ptr;
    LiveIt it = live_.Find(ptr);
    if (it == live_.end()) {  // allocated since the index was last brought up to date
      live_.Insert(RetireOverlapping(ptr, change.extent_end), {ptr, change.extent_end, change.id});
      continue;
    }
    VS_CHECK(it->id == change.id);
    if (change.extent_end > it->extent_end) {  // grown in place
      RetireOverlapping(it->extent_end, change.extent_end);
      it = live_.Find(ptr);  // retiring moved entries
    }
    live_.SetExtentEnd(it, change.extent_end);
  }
  pending_.clear();
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

RegionRegistry::LiveIt RegionRegistry::RetireOverlapping(u64 begin, u64 end) {
  LiveIt next = live_.UpperBound(begin);
  for (LiveIt stale = Overlapping(next, begin, end); stale != live_.end();
       stale = Overlapping(next, begin, end)) {
    const u64 ptr = IndexedEntry(*stale).ptr;
    live_.Erase(stale);
    VS_CHECK(RetireAt(ptr, /*log=*/false));  // unindexed here
    next = live_.UpperBound(begin);
  }
  return next;
}

// ---- range queries ----------------------------------------------------------------------------

std::optional<Region> RegionRegistry::FindLiveContaining(u64 addr) {
  ResolveOverlaps();
  LiveIt it = live_.UpperBound(addr);
  if (it == live_.begin())
    return std::nullopt;
  --it;
  if (addr >= it->extent_end)
    return std::nullopt;
  return LiveRegion(IndexedEntry(*it));
}

std::optional<Region> RegionRegistry::FirstLiveOverlapping(u64 begin, u64 end) {
  ResolveOverlaps();
  const LiveIt it = Overlapping(live_.UpperBound(begin), begin, end);
  if (it == live_.end())
    return std::nullopt;
  return LiveRegion(IndexedEntry(*it));
}

Description RegionRegistry::Lookup(u64 ptr, u64 len) {
  ResolveOverlaps();
  const u64 end = ptr + len;
  LiveIt next = live_.UpperBound(ptr);
  if (next != live_.begin()) {
    LiveIt before = next;
    --before;
    const Region region = LiveRegion(IndexedEntry(*before));
    if (len == 0 && ptr <= region.end())
      return {VS_LIVE, region, std::nullopt};
    if (len != 0 && ptr < before->extent_end)
      return {end <= region.end() ? VS_LIVE : VS_STRADDLES, region, std::nullopt};
  }
  // The range starts outside every live region; it straddles the first one it runs into. A
  // zero-size region owns no bytes, so a range that merely covers its address does not.
  for (; len != 0 && next != live_.end() && next->ptr < end; ++next) {
    const LiveEntry entry = IndexedEntry(*next);
    if (entry.size != 0)
      return {VS_STRADDLES, LiveRegion(entry), std::nullopt};
  }
  std::optional<Region> freed = FindFreedContaining(ptr);
  if (!freed)
    freed = FindFreedAt(ptr);  // zero-size freed regions own no bytes to find
  if (freed)
    return DescribeFreed(*freed);
  return {};
}

bool RegionRegistry::NoNewerChangeOverlaps(const LiveEntry& entry) const {
  const u64 end = ExtentEnd(entry.ptr, entry.size);
  const u32 kept = std::min(recent_count_, kRecentChanges);  // the ring holds the latest `kept`
  for (u32 age = 1; age <= kept; ++age) {
    const Change& change = recent_[(recent_count_ - age) % kRecentChanges];
    if (change.ptr == entry.ptr && change.id == entry.live_id)
      return true;  // the region's latest change: the newer ones, all seen, spared it
    if (change.ptr < end && entry.ptr < change.extent_end)
      return false;
  }
  return false;  // changed before the ring's oldest: what came since is not known here
}

bool RegionRegistry::LiveEntryHoldingUnresolved(u64 ptr, u64 len, bool unseen_frees,
                                                LiveEntry* out) {
  // A view's range starts at its allocation's start or a little way in; beyond 64 runs (16 KiB
  // of a table past the caches) the index answers in O(log n) once built.
  constexpr u32 kMaxRuns = 64;
  if (!addresses_.Find(ptr, out) && !addresses_.FindNearestBelow(ptr, kMaxRuns, out))
    return false;
  // Live regions are disjoint: the nearest start at or below ptr is the only one that may hold it.
  return ptr + len <= out->ptr + out->size && (!unseen_frees || NoNewerChangeOverlaps(*out));
}

std::optional<Region> RegionRegistry::LiveHoldingUnresolved(u64 ptr, u64 len, bool unseen_frees) {
  LiveEntry entry;
  if (!LiveEntryHoldingUnresolved(ptr, len, unseen_frees, &entry))
    return std::nullopt;
  return LiveRegion(entry);
}

u32 RegionRegistry::LiveIdHolding(u64 ptr, u64 len, bool unseen_frees) {
  LiveEntry entry;
  if (LiveEntryHoldingUnresolved(ptr, len, unseen_frees, &entry))
    return entry.live_id;
  ResolveOverlaps();
  const LiveIt next = live_.UpperBound(ptr);
  if (next == live_.begin())
    return 0;
  LiveIt before = next;
  --before;
  entry = IndexedEntry(*before);
  // As Lookup() says LIVE: a zero-size region holds no bytes, only its address.
  const u64 end = entry.ptr + entry.size;
  const bool holds = len == 0 ? ptr <= end : ptr < before->extent_end && ptr + len <= end;
  return holds ? entry.live_id : 0;
}

Description RegionRegistry::Describe(u32 id) {
  ResolveOverlaps();  // may retire it
  const std::optional<Region> region = Find(id);
  if (!region)
    return {VS_UNKNOWN_ID, std::nullopt, std::nullopt};
  if (region->live())
    return {VS_LIVE, region, std::nullopt};
  return DescribeFreed(*region);
}

Description RegionRegistry::DescribeFreed(const Region& freed) {
  // Any live region that overlaps a freed one was allocated after that free.
  if (std::optional<Region> newer = FirstLiveOverlapping(freed.ptr, freed.extent_end()))
    return {VS_REUSED, freed, newer};
  return {VS_FREED, freed, std::nullopt};
}

std::optional<Region> RegionRegistry::FindFreedContaining(u64 addr) {
  if (quarantine_.size() == 0)
    return std::nullopt;
  // Stale pieces pile up as the quarantine forgets: start over once they outnumber the rest.
  if (freed_.pieces() > 2 * quarantine_.size() + 64) {
    freed_.Clear();
    painted_through_ = 0;
  }
  const u64 from = std::max(painted_through_, quarantine_.popped());  // the first not painted
  const u64 unpainted = quarantine_.pushed() - from;
  if (unpainted != 0 && MayScan(scanned_by_range_, unpainted, unpainted)) {
    // Newest first: the latest free of bytes holding addr is the owner painting would name.
    for (u64 position = quarantine_.pushed(); position-- > from;) {
      ++scanned_by_range_;
      const Quarantine::Record& record = quarantine_.At(position);
      if (record.ptr <= addr && addr - record.ptr < record.size)
        return FreedRegion(record, position);
    }
    if (from == quarantine_.popped())
      return std::nullopt;  // whatever was painted, its owners are all forgotten
    return FindFreed(freed_.Find(addr));  // freed before `from`
  }
  // Paint what was freed since the last lookup, oldest first, so that newer frees paint over.
  for (u64 position = from; position < quarantine_.pushed(); ++position) {
    const Quarantine::Record& record = quarantine_.At(position);
    freed_.Paint(record.ptr, record.ptr + record.size, record.id);
  }
  painted_through_ = quarantine_.pushed();
  scanned_by_range_ = 0;
  // A forgotten owner means that nothing older is remembered either. (Painted ids are freed
  // ones, never live again while remembered: no need to bring the live ids up to date.)
  return FindFreed(freed_.Find(addr));
}

}  // namespace viewsan
