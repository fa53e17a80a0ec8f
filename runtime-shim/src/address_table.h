// The live regions, under their start addresses: the table the hooks work on. A correct free
// takes one entry out; an allocation puts one in. It holds the live regions and nothing else (no
// freed addresses: generations are counted when read, region_registry.h), so that it stays a few
// times the live count.
//
// What makes it cheap is what a hook touches. Programs allocate in address order far more often
// than not (an allocator carving its top chunk: tiktoken builds 300,000 live allocations, 99% of
// them within 512 bytes above the one before), and free in any order. So:
//   - Entries are 16 bytes, four to a cache line: pointer, size, id and site, 32 bits each. A
//     region's rarely written facts (a generation counted, a resize in place) live in side maps,
//     flagged in its entry; regions past 32 bits (memory64 above 4 GiB, or 1 GiB and larger) go
//     to a second table of whole entries.
//   - Once the table outgrows the caches, addresses hash by window (windowed_table.h), so that
//     allocations in address order write the same cache lines.
// Measured on tiktoken's 1.34 million hooks replayed from JS into the wasm shim, medians of nine:
// 183 ms with 32-byte entries hashed by address, 138 ms this way.
#ifndef VIEWSAN_ADDRESS_TABLE_H
#define VIEWSAN_ADDRESS_TABLE_H

#include "flat_map.h"
#include "internal_defs.h"
#include "windowed_table.h"

namespace viewsan {

constexpr u32 kUncounted = 0xFFFFFFFF;  // a generation not counted yet

// A live region, as the table gives it out and takes it in.
struct LiveEntry {
  u64 ptr = 0;
  u64 size = 0;
  u32 live_id = 0;
  s32 alloc_site = 0;
  u32 generation = kUncounted;  // see Region; kUncounted until first read (region_registry.h)
  u64 resized_at = 0;           // the registry's stamp of its latest resize in place; 0: none
};

class AddressTable {
 public:
  bool Contains(u64 ptr) const { return FindNarrow(ptr) || FindWide(ptr); }

  // The live region starting at `ptr` into *out; false when none.
  bool Find(u64 ptr, LiveEntry* out) const {
    if (const NarrowSlot* slot = FindNarrow(ptr)) {
      *out = Widen(*slot);
      return true;
    }
    const WideSlot* slot = FindWide(ptr);
    if (slot)
      *out = slot->entry;
    return slot != nullptr;
  }

  // Adds `entry`, unless a live region starts at entry.ptr already: false then, and nothing
  // changes.
  VS_ALWAYS_INLINE bool Insert(const LiveEntry& entry) {
    if (FindWide(entry.ptr))
      return false;
    if (!NarrowSlot::Fits(entry.ptr, entry.size))
      return InsertWide(entry);
    bool added;
    NarrowSlot& slot = narrow_.FindOrInsert(entry.ptr, &added);
    if (added)
      Narrow(entry, &slot);
    return added;
  }

  // Removes the live region starting at `ptr` into *out; false when none.
  VS_ALWAYS_INLINE bool Take(u64 ptr, LiveEntry* out) {
    if (NarrowSlot* slot = FindNarrow(ptr)) {
      *out = Widen(*slot);
      Forget(*slot);
      narrow_.Erase(slot);
      return true;
    }
    return wide_.size() != 0 && TakeWide(ptr, out);
  }

  // The live region at `ptr`, resized in place to `size` at `resized_at` (0: its stamp stays as
  // it is); what it was into *before. False when none starts there.
  VS_NOINLINE bool Resize(u64 ptr, u64 size, u64 resized_at, LiveEntry* before) {
    if (NarrowSlot* slot = FindNarrow(ptr)) {
      *before = Widen(*slot);
      if (resized_at == 0 && NarrowSlot::Fits(ptr, size)) {  // the size alone changes
        slot->size_and_flags =
            (slot->size_and_flags & ~NarrowSlot::kSizeMask) | static_cast<u32>(size);
        return true;
      }
      LiveEntry entry = *before;
      entry.size = size;
      if (resized_at != 0)
        entry.resized_at = resized_at;
      if (NarrowSlot::Fits(ptr, size)) {
        Narrow(entry, slot);
      } else {  // outgrew its entry
        Forget(*slot);
        narrow_.Erase(slot);
        bool added;
        wide_.FindOrInsert(ptr, &added).entry = entry;
      }
      return true;
    }
    WideSlot* slot = FindWide(ptr);
    if (!slot)
      return false;
    *before = slot->entry;
    slot->entry.size = size;
    if (resized_at != 0)
      slot->entry.resized_at = resized_at;
    return true;
  }

  // Fixes the generation of the live region at `ptr`; false when none starts there.
  VS_NOINLINE bool SetGeneration(u64 ptr, u32 generation) {
    if (NarrowSlot* slot = FindNarrow(ptr)) {
      LiveEntry entry = Widen(*slot);
      entry.generation = generation;
      Narrow(entry, slot);
      return true;
    }
    WideSlot* slot = FindWide(ptr);
    if (slot)
      slot->entry.generation = generation;
    return slot != nullptr;
  }

  // The live region with the highest start at or below `ptr` into *out, searched for in at most
  // `max_runs` runs of the table downwards from ptr; false when none is found that way.
  bool FindNearestBelow(u64 ptr, u32 max_runs, LiveEntry* out) const {
    if (wide_.size() != 0 || ptr >= NarrowSlot::kEmpty)
      return false;  // rare enough for the callers' other way
    const u64 span = narrow_.run_span();
    const NarrowSlot* nearest = nullptr;
    for (u64 low = ptr & ~(span - 1); max_runs-- != 0; low -= span) {
      // Starts above ptr and below low belong to other runs; none lies above this run's (else
      // an earlier run would have held it).
      narrow_.ForEachInRunOf(low, [&](const NarrowSlot& slot) {
        if (slot.ptr >= low && slot.ptr <= ptr && (!nearest || slot.ptr > nearest->ptr))
          nearest = &slot;
      });
      if (nearest || low == 0)
        break;
    }
    if (nearest)
      *out = Widen(*nearest);
    return nearest != nullptr;
  }

  template <class Fn>
  void ForEach(Fn&& fn) const {  // fn(const LiveEntry&), in no particular order
    narrow_.ForEach([this, &fn](const NarrowSlot& slot) { fn(Widen(slot)); });
    wide_.ForEach([&fn](const WideSlot& slot) { fn(slot.entry); });
  }

  u64 size() const { return narrow_.size() + wide_.size(); }
  // Slots of the table most regions are in (the 32-bit one).
  u64 capacity() const { return narrow_.capacity(); }
  u64 memory_bytes() const {
    return narrow_.memory_bytes() + wide_.memory_bytes() +
           (generations_.map.capacity() + resizes_.map.capacity()) * 16;
  }

 private:
  struct NarrowSlot {
    static constexpr u32 kEmpty = 0xFFFFFFFF;  // also the bound on the pointers it holds
    static constexpr u32 kSizeMask = (u32{1} << 30) - 1;
    static constexpr u32 kGenerationKept = u32{1} << 31;  // in generations_
    static constexpr u32 kResized = u32{1} << 30;         // its resized_at is in resizes_

    static bool Fits(u64 ptr, u64 size) { return ptr < kEmpty && size <= kSizeMask; }
    u64 key() const { return ptr; }
    bool empty() const { return ptr == kEmpty; }
    void clear() { ptr = kEmpty; }

    u32 ptr;
    u32 size_and_flags;
    u32 live_id;
    s32 alloc_site;
  };
  static_assert(sizeof(NarrowSlot) == 16, "four entries to a cache line");

  struct WideSlot {
    u64 key() const { return entry.ptr; }
    bool empty() const { return entry.ptr == kEmpty; }
    void clear() { entry.ptr = kEmpty; }

    static constexpr u64 kEmpty = ~u64{0};  // no tracked address reaches kAddressLimit
    LiveEntry entry;
  };

  // A side map's entries for regions no longer flagged pile up: start over once they outnumber
  // the flagged ones.
  template <class Value>
  struct SideMap {
    FlatMap<Value> map;
    u64 flagged = 0;  // narrow entries flagged as having their value here
  };

  // Where a region starting at `ptr` would be, if live: null when not there.
  VS_ALWAYS_INLINE NarrowSlot* FindNarrow(u64 ptr) {
    return ptr < NarrowSlot::kEmpty ? narrow_.Find(ptr) : nullptr;
  }
  const NarrowSlot* FindNarrow(u64 ptr) const {
    return const_cast<AddressTable*>(this)->FindNarrow(ptr);
  }
  VS_ALWAYS_INLINE WideSlot* FindWide(u64 ptr) {
    return wide_.size() != 0 ? wide_.Find(ptr) : nullptr;
  }
  const WideSlot* FindWide(u64 ptr) const { return const_cast<AddressTable*>(this)->FindWide(ptr); }

  VS_NOINLINE bool InsertWide(const LiveEntry& entry) {
    if (FindNarrow(entry.ptr))
      return false;
    bool added;
    WideSlot& slot = wide_.FindOrInsert(entry.ptr, &added);
    if (added)
      slot.entry = entry;
    return added;
  }

  VS_NOINLINE bool TakeWide(u64 ptr, LiveEntry* out) {
    WideSlot* slot = wide_.Find(ptr);
    if (!slot)
      return false;
    *out = slot->entry;
    wide_.Erase(slot);
    return true;
  }

  VS_ALWAYS_INLINE LiveEntry Widen(const NarrowSlot& slot) const {
    LiveEntry entry;
    entry.ptr = slot.ptr;
    entry.size = slot.size_and_flags & NarrowSlot::kSizeMask;
    entry.live_id = slot.live_id;
    entry.alloc_site = slot.alloc_site;
    if ((slot.size_and_flags & ~NarrowSlot::kSizeMask) != 0)
      ReadSideMaps(slot, &entry);
    return entry;
  }

  VS_NOINLINE void ReadSideMaps(const NarrowSlot& slot, LiveEntry* entry) const {
    if (slot.size_and_flags & NarrowSlot::kGenerationKept)
      entry->generation = *generations_.map.Find(slot.ptr);
    if (slot.size_and_flags & NarrowSlot::kResized)
      entry->resized_at = *resizes_.map.Find(slot.ptr);
  }

  // Writes `entry`, which fits, into `slot` (empty, or holding entry.ptr).
  VS_ALWAYS_INLINE void Narrow(const LiveEntry& entry, NarrowSlot* slot) {
    if (entry.generation == kUncounted && entry.resized_at == 0 && slot->empty()) {  // a new region
      *slot = NarrowSlot{static_cast<u32>(entry.ptr), static_cast<u32>(entry.size), entry.live_id,
                         entry.alloc_site};
      return;
    }
    NarrowWithFlags(entry, slot);
  }

  VS_NOINLINE void NarrowWithFlags(const LiveEntry& entry, NarrowSlot* slot) {
    const u32 had = slot->empty() ? 0 : slot->size_and_flags;
    u32 flags = 0;
    if (entry.generation != kUncounted) {
      flags |= NarrowSlot::kGenerationKept;
      Keep(&generations_, entry.ptr, entry.generation, had & NarrowSlot::kGenerationKept,
           NarrowSlot::kGenerationKept);
    }
    if (entry.resized_at != 0) {
      flags |= NarrowSlot::kResized;
      Keep(&resizes_, entry.ptr, entry.resized_at, had & NarrowSlot::kResized,
           NarrowSlot::kResized);
    }
    // A flag dropped (never, as the registry goes: generations and resizes stay once known).
    if ((had & ~flags & NarrowSlot::kGenerationKept) != 0)
      --generations_.flagged;
    if ((had & ~flags & NarrowSlot::kResized) != 0)
      --resizes_.flagged;
    // Keep() may have compacted a side map, which reads the flags of every slot but this one.
    *slot = NarrowSlot{static_cast<u32>(entry.ptr), static_cast<u32>(entry.size) | flags,
                       entry.live_id, entry.alloc_site};
  }

  VS_ALWAYS_INLINE void Forget(const NarrowSlot& slot) {
    if ((slot.size_and_flags & ~NarrowSlot::kSizeMask) != 0)
      ForgetFlags(slot);
  }

  VS_NOINLINE void ForgetFlags(const NarrowSlot& slot) {
    if (slot.size_and_flags & NarrowSlot::kGenerationKept)
      --generations_.flagged;
    if (slot.size_and_flags & NarrowSlot::kResized)
      --resizes_.flagged;
  }

  template <class Value>
  VS_NOINLINE void Keep(SideMap<Value>* side, u64 ptr, Value value, bool flagged, u32 flag) {
    if (!flagged) {
      ++side->flagged;
      if (side->map.size() > 2 * side->flagged + 1024)
        Compact(side, flag);
    }
    if (side->map.NeedsRoom())
      side->map.Grow();
    side->map.FindOrInsert(ptr) = value;
  }

  template <class Value>
  VS_NOINLINE void Compact(SideMap<Value>* side, u32 flag) {
    FlatMap<Value> kept;
    narrow_.ForEach([&](const NarrowSlot& slot) {
      if (slot.size_and_flags & flag) {
        if (kept.NeedsRoom())
          kept.Grow();
        kept.FindOrInsert(slot.ptr) = *side->map.Find(slot.ptr);
      }
    });
    side->map = std::move(kept);
  }

  WindowedTable<NarrowSlot, 1024> narrow_;
  WindowedTable<WideSlot, 16> wide_;
  SideMap<u32> generations_;
  SideMap<u64> resizes_;
};

}  // namespace viewsan

#endif  // VIEWSAN_ADDRESS_TABLE_H
