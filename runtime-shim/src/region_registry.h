// The live and remembered allocations of one module instance, by id, by start address and by
// address range.
//
// The hooks do O(1) work on small structures and, once those have grown to the program's needs,
// no heap allocation:
//   - AddressTable: every live region under its start address (16 bytes for most, hashed by
//     address window), and nothing else: a correct free is one probe, and removes the entry;
//   - Quarantine: freed regions, whole records in a FIFO ring; forgetting one advances the ring;
//   - alloc_log_: (id, address) of each allocation, appended, for live_ids_ below, while ids are
//     being asked for.
// Everything else is kept up to date lazily, by whoever needs it, in O(1) or O(log n) per change
// since it last was:
//   - live_ids_: live region id -> start address, for Find(id) and Describe(id); fed from
//     alloc_log_, or rebuilt from the AddressTable when no id was asked for since the log would
//     have grown past twice the live regions (the log is then off until an id is asked for: a
//     program nobody asks ids of, tiktoken's, logs nothing).
//   - freed_by_ptr_, freed_by_id_: the latest quarantine record per address and per id, for
//     double-free diagnosis and for describing freed ids; fed from the quarantine ring.
//   - Generations. A region's generation is how many allocations started at its address before
//     it: one more than the generation of the latest region freed there that the quarantine still
//     remembers, else 0. It is counted when first read (by a query, a snapshot, an event), and
//     fixed from then on; a freed region's, when freed_by_ptr_ first indexes it. Programs hand
//     out far more distinct addresses than they keep live (dlmalloc, randomly churned, ~90,000
//     while 2,000 are live): a map counting allocations per address, updated by every
//     allocation, was the hooks' largest cost (a cache miss per allocation).
//   - AddressIndex: live regions ordered by address, for O(log n) range lookups; built at the first
//     range query, then the hooks append their changes to two logs applied at the next query. If
//     no query comes for long the index is dropped, and rebuilt in O(n) at the next one. Most
//     queries are of live bytes near a region's start: LiveHoldingUnresolved() answers those from
//     the table of live regions (whose runs hold an address window's regions side by side), without
//     the index, where no overlap awaits resolution.
//   - FreedRanges: which remembered freed region owns each freed byte, painted at lookup time.
//   - The first queries after many frees scan the quarantine instead of bringing freed_by_ptr_ or
//     FreedRanges up to date; an index is brought up to date once the scans have cost more than
//     it would (kScanRatio below).
//
// Regions freed where no hook saw. A live region that a newer allocation overlaps was freed through
// a path the hooks did not see (partial coverage); the registry retires it: it is freed at
// VS_SITE_UNKNOWN, and the retire listener is told. When the new allocation starts exactly where
// the live region starts (the allocator handed the same chunk out again), that happens at once.
// Any other overlap is found when the address index is brought up to date, before any range query
// or Describe() answers: in the order the allocations and in-place growths happened, with the same
// outcome as if each had been checked as it happened, for the regions still live then. (Until
// then, a free of the overlapped region is taken as its own: the free the hooks missed comes to
// light only if the index was up to date.) LiveHoldingUnresolved() answers without it, only about a
// region such an overlap cannot retire.
//
// Ids start at 1 and increase; an id is never reused while its region is remembered.
#ifndef VIEWSAN_REGION_REGISTRY_H
#define VIEWSAN_REGION_REGISTRY_H

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "address_index.h"
#include "address_table.h"
#include "flat_map.h"
#include "freed_ranges.h"
#include "internal_defs.h"
#include "quarantine.h"
#include "region.h"

namespace viewsan {

// What some bytes or some allocation id are now.
struct Description {
  vs_region_state state = VS_UNALLOCATED;
  std::optional<Region> region;  // the region `state` is about
  std::optional<Region> newer;   // VS_REUSED: a live region that now owns some of its bytes
};

class RegionRegistry {
 public:
  // Told about each live region the registry retires (see above), once it is freed.
  using RetireFn = void (*)(void* context, const Region& retired);

  RegionRegistry(u64 quarantine_bytes, u64 quarantine_regions);
  RegionRegistry(const RegionRegistry&) = delete;
  RegionRegistry& operator=(const RegionRegistry&) = delete;

  void SetRetireListener(RetireFn fn, void* context) {
    on_retire_ = fn;
    retire_context_ = context;
  }

  // ---- hooks: O(1) ----
  // Records a live allocation and returns its id. A live region starting at `ptr` is retired
  // first.
  u32 Allocate(u64 ptr, u64 size, s32 alloc_site);
  // Frees the live region that starts at `ptr` into the quarantine, which may forget its oldest
  // regions, and describes it in `released` unless that is null. Returns false, changing nothing,
  // when no live region starts at `ptr`.
  bool Release(u64 ptr, s32 free_site, Region* released = nullptr);
  // The two above out of line, for callers off the hooks' common paths (a moving realloc, a free
  // whose events are on): the shim stays small enough to compile at once.
  VS_NOINLINE u32 AllocateOutOfLine(u64 ptr, u64 size, s32 alloc_site) {
    return Allocate(ptr, size, alloc_site);
  }
  VS_NOINLINE bool ReleaseOutOfLine(u64 ptr, s32 free_site, Region* released = nullptr) {
    return Release(ptr, free_site, released);
  }
  // Changes the size of the live region that starts at `ptr` (a realloc in place). Returns false
  // when no live region starts at `ptr`.
  bool Resize(u64 ptr, u64 size);
  // Retires the live region that starts at `ptr`, which something the hooks did not see freed or
  // reshaped: freed at VS_SITE_UNKNOWN, the retire listener told. False when none starts there.
  bool Retire(u64 ptr) { return RetireAt(ptr, index_built_); }
  void SetQuarantineBytes(u64 max_bytes);

  // ---- exact queries: O(1), amortised ----
  std::optional<Region> FindLive(u64 ptr);     // the live region starting at `ptr`
  std::optional<Region> FindFreedAt(u64 ptr);  // the latest remembered region freed at `ptr`
  std::optional<Region> Find(u32 id);          // live or remembered
  bool IsLiveStart(u64 ptr) const { return addresses_.Contains(ptr); }
  struct LiveInfo {
    u32 id;
    u64 size;
  };
  std::optional<LiveInfo> LiveAt(u64 ptr) const {  // FindLive, for what the hooks need
    LiveEntry entry;
    if (!addresses_.Find(ptr, &entry))
      return std::nullopt;
    return LiveInfo{entry.live_id, entry.size};
  }

  // ---- range queries: O(log n) once the index is up to date ----
  // Brings the address index up to date, retiring the live regions newer allocations overlap.
  void ResolveOverlaps();
  std::optional<Region> FindLiveContaining(u64 addr);  // the live region whose extent holds addr
  // The lowest live region whose extent meets [begin, end), with begin < end.
  std::optional<Region> FirstLiveOverlapping(u64 begin, u64 end);
  // Bytes [ptr, ptr + len): LIVE, STRADDLES (region: the live one crossed), FREED or REUSED
  // (region: the freed one), or UNALLOCATED. With len 0, the address alone; it may be one past
  // the end of a live region.
  Description Lookup(u64 ptr, u64 len);
  // The live region that holds [ptr, ptr + len), as Lookup() would say LIVE, found from the table
  // of live regions near ptr, without the address index or resolving overlaps; nullopt when not
  // found that way (ask Lookup()). With `unseen_frees` (partial coverage), a region qualifies only
  // if no change since its own may have overlapped it: it is among the latest changes, and none
  // after it meets its extent (a glue views the block it has just allocated). Resolving would
  // retire only regions older than their overlapper, never that one.
  std::optional<Region> LiveHoldingUnresolved(u64 ptr, u64 len, bool unseen_frees);
  // The id of the live region holding [ptr, ptr + len), as Lookup() would say LIVE, 0 when none;
  // from the table of live regions where LiveHoldingUnresolved() would answer, else from the
  // index. Counts no generation: a view's owner is asked for at every view a glue makes, and a
  // generation is counted from the freed regions' index, whose upkeep is then paid by every free.
  u32 LiveIdHolding(u64 ptr, u64 len, bool unseen_frees);
  // Whether region `id` is live, found by id without the index, and no overlap awaiting
  // resolution can retire it (as LiveHoldingUnresolved() judges): Describe(id) would say LIVE. A
  // view kept over an allocation asks at its first use after any free.
  bool LiveUnresolved(u32 id, bool unseen_frees) {
    LiveEntry entry;
    return LiveById(id, &entry) && (!unseen_frees || NoNewerChangeOverlaps(entry));
  }
  // Allocation `id`: LIVE, FREED, REUSED or UNKNOWN_ID.
  Description Describe(u32 id);
  template <class Fn>
  void ForEachLive(Fn&& fn) {  // in address order
    ResolveOverlaps();
    for (const AddressIndex::Entry& entry : live_)
      fn(LiveRegion(IndexedEntry(entry)));
  }

  u64 FreesAgo(const Region& freed) const { return frees_ - freed.free_seq; }
  u64 live_bytes() const { return live_bytes_; }
  u64 peak_bytes() const { return peak_bytes_; }
  u64 live_count() const { return live_count_; }
  u64 remembered_count() const { return live_count_ + quarantine_.size(); }
  u64 memory_bytes() const;  // what the registry's own structures take, roughly
  const Quarantine& quarantine() const { return quarantine_; }
  bool index_built() const { return index_built_; }

  // Lets a test reach the wrap of the 32-bit id space.
  void SetLastIdForTesting(u32 id) { last_id_ = id; }

 private:
  using LiveIt = AddressIndex::Iterator;
  struct Change {  // a region allocated or resized in place: its extent end then
    u64 ptr;
    u64 extent_end;
    u32 id;
    u32 reserved;
  };
  // The latest changes are kept in a ring (what may overlap a region changed among them), and
  // while the index is built, all of them in pending_.
  static constexpr u32 kRecentChanges = 16;
  void RecordChange(u64 ptr, u64 size, u32 id) {
    recent_[recent_count_++ % kRecentChanges] = {ptr, ExtentEnd(ptr, size), id, 0};
    if (index_built_)
      NotePending(ptr, size, id);
  }
  bool NoNewerChangeOverlaps(const LiveEntry& entry) const;
  // LiveHoldingUnresolved()'s region, uncounted, into *out.
  bool LiveEntryHoldingUnresolved(u64 ptr, u64 len, bool unseen_frees, LiveEntry* out);
  static u64 ExtentEnd(u64 ptr, u64 size) { return ptr + (size ? size : 1); }

  // The index logs, and the log of allocations for live_ids_, may hold this many changes beyond
  // twice the live regions before they are dropped.
  static constexpr u64 kLogSlack = 4096;

  struct Logged {  // an allocation
    u64 ptr;
    u32 id;
    u32 reserved;
  };
  struct Unindexed {  // a live region freed or retired
    u64 ptr;
    u32 id;
    u32 reserved;
  };

  Region LiveRegion(LiveEntry entry) {
    if (entry.generation == kUncounted)
      CountGeneration(&entry);
    return Region{entry.ptr,        entry.size, 0, entry.live_id, entry.generation,
                  entry.alloc_site, VS_SITE_UNKNOWN};
  }
  Region FreedRegion(const Quarantine::Record& record, u64 position) {
    if (record.generation == kUncounted)
      CountFreedGeneration(position);
    // Still uncounted: already forgotten (a quarantine that keeps nothing), and so is every region
    // freed before it.
    const u32 generation = record.generation == kUncounted ? 0 : record.generation;
    return Region{record.ptr, record.size, position + 1,          record.id,
                  generation, record.alloc_site, record.free_site};
  }
  static u32 NextGeneration(u32 generation) {
    return generation + 1 < kUncounted ? generation + 1 : kUncounted - 1;
  }
  bool LiveById(u32 id, LiveEntry* out);  // the live region `id`; false when none
  LiveEntry IndexedEntry(const AddressIndex::Entry& indexed) const {
    LiveEntry entry;
    // The index holds live regions only.
    VS_CHECK(addresses_.Find(indexed.ptr, &entry) && entry.live_id == indexed.id);
    return entry;
  }
  // Where a change (an allocation or a resize in place) falls in their order, as a key that
  // sorts the oldest first. The ids are the clock: allocation k happened at (k, 0), and a resize
  // at (the newest id then, how many resizes since that allocation).
  u64 ChangeOrder(const LiveEntry& entry) const {
    const bool resized = entry.resized_at != 0;
    const u32 clock = resized ? static_cast<u32>(entry.resized_at >> 32) : entry.live_id;
    const u32 since = resized ? static_cast<u32>(entry.resized_at) : 0;
    const u32 age = last_id_ - clock;  // wraps with the ids
    return (static_cast<u64>(~age) << 32) | since;
  }
  u64 NextResizeStamp() {
    if (++resizes_since_alloc_ == 0)  // 2^32 resizes in place in a row: order them as one
      resizes_since_alloc_ = 0xFFFFFFFF;
    return (static_cast<u64>(last_id_) << 32) | resizes_since_alloc_;
  }
  void SyncLiveIds();  // brings live_ids_ up to date
  u32 NextId() {
    const u32 id = ++last_id_;
    return id != 0 && !ids_wrapped_ ? id : NextIdAfterWrap(id);
  }
  u32 NextIdAfterWrap(u32 id);
  void LogFull(u64 ptr, u32 id);  // alloc_log_ at capacity: grow it, or drop it and stop
  // Retire(), with `log` when the index may hold the region (a new allocation reuses its start,
  // or a newer change overlaps it).
  bool RetireAt(u64 ptr, bool log);
  void NotePending(u64 ptr, u64 size, u32 id);
  void NoteUnindexed(u64 ptr, u32 id);
  // Frees `taken`, a live region just taken out of addresses_, and returns its quarantine
  // position; `log` when the index may hold it.
  u64 ReleaseTaken(const LiveEntry& taken, s32 free_site, bool log);
  // Frees `taken` at VS_SITE_UNKNOWN and tells the retire listener.
  VS_NOINLINE void RetireTaken(const LiveEntry& taken, bool log) {
    const u64 position = ReleaseTaken(taken, VS_SITE_UNKNOWN, log);
    if (on_retire_)
      on_retire_(retire_context_, FreedRegion(quarantine_.At(position), position));
  }
  void DrainQuarantine() {
    if (quarantine_.OverBounds())
      DrainQuarantineNow();
  }
  VS_NOINLINE void DrainQuarantineNow() {
    while (quarantine_.PopExcess() != 0) {
    }
  }

  void CountGeneration(LiveEntry* live);  // see "Generations" above
  void CountFreedGeneration(u64 position);  // of the record at `position`, if remembered
  // The latest remembered record of a region freed at `ptr` into *position; null when none.
  const Quarantine::Record* LatestFreedAt(u64 ptr, u64* position);
  // Freed regions found without the lazy indexes. The first query after many frees would index
  // (or paint) every remembered record, where a scan of the quarantine, newest first, answers a
  // few queries for far less: onnxruntime-web's first lookups, of bytes freed among 65,000
  // remembered regions. Scans may look at kScanRatio records for each record an index lacks
  // (indexing one costs tens of times what looking at one does); past that, the index is brought
  // up to date, which starts the count again.
  static constexpr u64 kScanRatio = 16;
  static bool MayScan(u64 scanned, u64 records, u64 unindexed) {
    return scanned + records <= kScanRatio * unindexed;
  }
  // Bring freed_by_ptr_ (counting the freed regions' generations) and freed_by_id_ up to date.
  void IndexFreedByPtr();
  void IndexFreedById();
  // Brings `map`, which holds the quarantine positions below `through`, up to the newest record:
  // add(record, position) for each record since; the map has room for one more entry each time.
  template <class Add>
  void IndexRecords(FlatMap<u64>& map, u64& through, Add&& add);
  const Quarantine::Record* RememberedRecord(const u64* position, u64* out_position) const;
  std::optional<Region> FindFreed(u32 id);

  void NoteChange();  // after a log grew: drops the index when the logs outgrow it
  void BuildIndex();
  void ApplyLogs();
  void DropIndex();
  // The first live region whose extent meets [begin, end), or end(); `next` is
  // live_.UpperBound(begin). Live regions are disjoint: only the one before `next`, or `next`
  // itself, can be the first.
  LiveIt Overlapping(LiveIt next, u64 begin, u64 end) const;
  // Retires every indexed region whose extent meets [begin, end); returns live_.UpperBound(begin).
  LiveIt RetireOverlapping(u64 begin, u64 end);

  std::optional<Region> FindFreedContaining(u64 addr);
  Description DescribeFreed(const Region& freed);

  // Hot.
  AddressTable addresses_;
  Quarantine quarantine_;
  Change recent_[kRecentChanges] = {};
  u32 recent_count_ = 0;  // changes ever noted (wraps harmlessly: kRecentChanges divides 2^32)
  std::unique_ptr<Logged[]> alloc_log_;  // alloc_log_size_ of alloc_log_capacity_ used
  u64 alloc_log_size_ = 0;
  u64 alloc_log_capacity_ = 0;
  // Cold, or lazy.
  FlatMap<u64> live_ids_;
  bool live_ids_stale_ = true;  // the log is off: rebuild from addresses_ (nothing asked yet)
  // Where the regions asked for by id lately start, each in its id's cell: a view kept over an
  // allocation asks for it at its first use after every free, and one probe of addresses_ answers
  // again, with no live_ids_ to keep up to date (the log turns itself off while none is needed).
  struct AskedId {
    u32 id;
    u64 ptr;
  };
  static constexpr u32 kAskedIds = 64;
  AskedId asked_ids_[kAskedIds] = {};
  FlatMap<u64> freed_by_ptr_;  // quarantine positions
  FlatMap<u64> freed_by_id_;
  u64 freed_by_ptr_through_ = 0;  // quarantine positions below this are in freed_by_ptr_
  u64 freed_by_id_through_ = 0;   // ... and in freed_by_id_
  u64 scanned_by_ptr_ = 0;        // records scanned instead of indexing freed_by_ptr_

  AddressIndex live_;  // valid while index_built_
  bool index_built_ = false;
  std::vector<Change> pending_;  // the changes the index has not seen yet, in their order
  std::vector<Unindexed> unindexed_;

  FreedRanges freed_;
  u64 painted_through_ = 0;    // quarantine positions below this are painted in freed_
  u64 scanned_by_range_ = 0;   // records scanned instead of painting

  RetireFn on_retire_ = nullptr;
  void* retire_context_ = nullptr;
  u32 last_id_ = 0;
  bool ids_wrapped_ = false;
  u32 resizes_since_alloc_ = 0;  // see ChangeOrder()
  u64 frees_ = 0;
  u64 live_count_ = 0;
  u64 live_bytes_ = 0;
  u64 peak_bytes_ = 0;
};

// ---- hooks ------------------------------------------------------------------------------------

VS_ALWAYS_INLINE u32 RegionRegistry::Allocate(u64 ptr, u64 size, s32 alloc_site) {
  const u32 id = NextId();
  resizes_since_alloc_ = 0;
  const LiveEntry entry{ptr, size, id, alloc_site, kUncounted, 0};
  if (!addresses_.Insert(entry)) {  // the allocator handed out a live chunk again: freed unseen
    VS_CHECK(RetireAt(ptr, index_built_));
    addresses_.Insert(entry);
  }
  ++live_count_;
  live_bytes_ += size;
  peak_bytes_ = std::max(peak_bytes_, live_bytes_);
  RecordChange(ptr, size, id);
  if (!live_ids_stale_) {
    if (alloc_log_size_ < alloc_log_capacity_)
      alloc_log_[alloc_log_size_++] = {ptr, id, 0};
    else
      LogFull(ptr, id);
  }
  return id;
}

VS_ALWAYS_INLINE bool RegionRegistry::Release(u64 ptr, s32 free_site, Region* released) {
  LiveEntry taken;
  if (!addresses_.Take(ptr, &taken))
    return false;
  const u64 position = ReleaseTaken(taken, free_site, index_built_);
  if (released)
    *released = FreedRegion(quarantine_.At(position), position);
  return true;
}

VS_ALWAYS_INLINE u64 RegionRegistry::ReleaseTaken(const LiveEntry& taken, s32 free_site,
                                                   bool log) {
  const u64 ptr = taken.ptr;
  const u32 id = taken.live_id;
  const u64 position =
      quarantine_.Push({ptr, taken.size, id, taken.generation, taken.alloc_site, free_site});
  ++frees_;  // == position + 1, the region's free_seq: see FreedRegion()
  --live_count_;
  live_bytes_ -= taken.size;
  if (log)
    NoteUnindexed(ptr, id);
  // Draining forgets records, but leaves them in the ring until it wraps: the caller may still
  // read the one at `position`.
  DrainQuarantine();
  return position;
}

}  // namespace viewsan

#endif  // VIEWSAN_REGION_REGISTRY_H
