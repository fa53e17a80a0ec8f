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
//   - Once the table outgrows the caches, addresses hash by window: the regions that start in one
//     window share a home slot and lie side by side from it, so that allocations in address order
//     write the same cache lines, and growing the table moves runs, not scattered entries. A
//     window is 256 bytes, or 32 times the alignment all pointers share if that is less, so that
//     it holds at most 32 regions; a lookup scans its window's run (with neighbours' entries that
//     spilled into it). 128-byte windows ran tiktoken's replay 10% slower.
// Measured on tiktoken's 1.34 million hooks replayed from JS into the wasm shim, medians of nine:
// 183 ms with 32-byte entries hashed by address, 138 ms this way.
//
// Open addressing with linear probing; removal moves later entries back, so that churn leaves no
// tombstones. How full a table may get depends on its size. While it fits the caches (2 MiB), a
// probe's cost is its branches: at most half full, probes stay short. Beyond, every probe that
// leaves the cache lines just used is a miss (often a TLB miss too) whatever its length, and how
// many there are depends on the table's size: three quarters full.
#ifndef VIEWSAN_ADDRESS_TABLE_H
#define VIEWSAN_ADDRESS_TABLE_H

#include <memory>

#include "flat_map.h"
#include "hash_slots.h"
#include "internal_defs.h"

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

// Open addressing over Slot (key(), empty(), clear()), homes by address window, linear probing.
template <class Slot, u64 kInitialCapacity>
class WindowedTable {
 public:
  static constexpr u32 kWindowShift = 8;

  WindowedTable() { Reset(kInitialCapacity); }

  Slot* Find(u64 ptr) {
    for (u64 i = Home(ptr);; i = slots_.Next(i)) {
      Slot& slot = entries_[i];
      if (slot.key() == ptr)
        return &slot;
      if (slot.empty())
        return nullptr;
    }
  }
  const Slot* Find(u64 ptr) const { return const_cast<WindowedTable*>(this)->Find(ptr); }

  // The slot for `ptr`; if absent (`*added`), an empty one, which the caller must fill with
  // ptr's key. Pointers from before are invalid.
  VS_ALWAYS_INLINE Slot& FindOrInsert(u64 ptr, bool* added) {
    if (NeedsRoom())
      Grow();
    for (u64 i = Home(ptr);; i = slots_.Next(i)) {
      Slot& slot = entries_[i];
      if (slot.key() == ptr) {
        *added = false;
        return slot;
      }
      if (slot.empty()) {
        ++size_;
        seen_bits_ |= ptr;
        *added = true;
        return slot;
      }
    }
  }

  // Removes `slot`, found by Find(). Pointers from before are invalid.
  VS_ALWAYS_INLINE void Erase(Slot* slot) {
    // No tombstones, so that churn never degrades the table: move back every later entry of the
    // run that may not stay behind the hole.
    u64 hole = static_cast<u64>(slot - entries_.get());
    for (u64 next = slots_.Next(hole); !entries_[next].empty(); next = slots_.Next(next)) {
      const u64 home = Home(entries_[next].key());
      // `next` may move to `hole` unless its home lies in (hole, next], cyclically.
      const bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (!stays) {
        entries_[hole] = entries_[next];
        hole = next;
      }
    }
    entries_[hole].clear();
    --size_;
  }

  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (u64 i = 0; i < capacity(); ++i) {
      if (!entries_[i].empty())
        fn(entries_[i]);
    }
  }

  u64 size() const { return size_; }
  u64 capacity() const { return slots_.capacity(); }
  u64 memory_bytes() const { return capacity() * sizeof(Slot); }

 private:
  static constexpr u64 kFillsCachesAt = (u64{2} << 20) / sizeof(Slot);  // slots in 2 MiB

  u64 Home(u64 ptr) const { return slots_.Home(ptr >> window_shift_); }

  bool NeedsRoom() const {  // before an insertion (see the top of the file)
    const u64 after = size_ + 1;
    return capacity() < kFillsCachesAt ? after * 2 > capacity() : after * 4 > capacity() * 3;
  }

  VS_NOINLINE void Grow() {
    const u64 old_capacity = capacity();
    std::unique_ptr<Slot[]> old = std::move(entries_);
    Reset(old_capacity * 2);
    bool added;
    for (u64 i = 0; i < old_capacity; ++i) {
      if (!old[i].empty())
        FindOrInsert(old[i].key(), &added) = old[i];
    }
  }

  void Reset(u64 capacity) {
    VS_CHECK(capacity <= (u64{1} << 31));
    entries_.reset(new Slot[capacity]);
    for (u64 i = 0; i < capacity; ++i)
      entries_[i].clear();
    slots_.Resize(capacity);
    size_ = 0;
    // Windows pay where probes miss the caches anyway; in a table that fits them, the longer runs
    // cost more than the locality saves (a random churn over 2,000 live allocations ran 10%
    // slower hashed by window). A window holds at most 32 starts of the alignment every pointer
    // so far shares: an allocator that aligns nothing gets 32-byte windows (with 256-byte ones,
    // 300,000 one-byte regions packed ran twice as slow as hashed by address).
    window_shift_ = 0;
    if (capacity >= kFillsCachesAt) {
      window_shift_ = 5;
      for (u64 alignment = seen_bits_ & (~seen_bits_ + 1); alignment > 1 && window_shift_ < kWindowShift;
           alignment >>= 1)
        ++window_shift_;
    }
  }

  std::unique_ptr<Slot[]> entries_;
  HashSlots slots_;
  u64 size_ = 0;
  u64 seen_bits_ = 0;  // every pointer inserted, OR'ed: its lowest set bit is their alignment
  u32 window_shift_ = 0;
};

class AddressTable {
 public:
  bool Contains(u64 ptr) const {
    if (ptr < NarrowSlot::kEmpty && narrow_.Find(ptr))
      return true;
    return wide_.size() != 0 && wide_.Find(ptr);
  }

  // The live region starting at `ptr` into *out; false when none.
  bool Find(u64 ptr, LiveEntry* out) const {
    if (ptr < NarrowSlot::kEmpty) {
      if (const NarrowSlot* slot = narrow_.Find(ptr)) {
        *out = Widen(*slot);
        return true;
      }
    }
    if (wide_.size() == 0)
      return false;
    const WideSlot* slot = wide_.Find(ptr);
    if (slot)
      *out = slot->entry;
    return slot != nullptr;
  }

  // Adds `entry`, unless a live region starts at entry.ptr already: false then, and nothing
  // changes.
  VS_ALWAYS_INLINE bool Insert(const LiveEntry& entry) {
    if (wide_.size() != 0 && wide_.Find(entry.ptr))
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
    if (ptr < NarrowSlot::kEmpty) {
      if (NarrowSlot* slot = narrow_.Find(ptr)) {
        *out = Widen(*slot);
        Forget(*slot);
        narrow_.Erase(slot);
        return true;
      }
    }
    return wide_.size() != 0 && TakeWide(ptr, out);
  }

  // The live region at `ptr`, resized in place to `size` at `resized_at`; what it was into
  // *before. False when none starts there.
  VS_NOINLINE bool Resize(u64 ptr, u64 size, u64 resized_at, LiveEntry* before) {
    if (ptr < NarrowSlot::kEmpty) {
      if (NarrowSlot* slot = narrow_.Find(ptr)) {
        *before = Widen(*slot);
        LiveEntry entry = *before;
        entry.size = size;
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
    }
    WideSlot* slot = wide_.size() != 0 ? wide_.Find(ptr) : nullptr;
    if (!slot)
      return false;
    *before = slot->entry;
    slot->entry.size = size;
    slot->entry.resized_at = resized_at;
    return true;
  }

  // Fixes the generation of the live region at `ptr`; false when none starts there.
  VS_NOINLINE bool SetGeneration(u64 ptr, u32 generation) {
    if (ptr < NarrowSlot::kEmpty) {
      if (NarrowSlot* slot = narrow_.Find(ptr)) {
        LiveEntry entry = Widen(*slot);
        entry.generation = generation;
        Narrow(entry, slot);
        return true;
      }
    }
    WideSlot* slot = wide_.size() != 0 ? wide_.Find(ptr) : nullptr;
    if (slot)
      slot->entry.generation = generation;
    return slot != nullptr;
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

  VS_NOINLINE bool InsertWide(const LiveEntry& entry) {
    if (entry.ptr < NarrowSlot::kEmpty && narrow_.Find(entry.ptr))
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
      Keep(&resizes_, entry.ptr, entry.resized_at, had & NarrowSlot::kResized, NarrowSlot::kResized);
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
