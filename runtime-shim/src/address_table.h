// The live regions, inline under their start addresses: the table the hooks work on. A correct
// free reads one entry and removes it; an allocation adds one. It holds the live regions and
// nothing else (no freed addresses: generations are counted when read, region_registry.h), so
// that it stays a few times the live count.
//
// Open addressing with linear probing; removal moves later entries back, so that churn leaves no
// tombstones. How full the table may get depends on its size. While it fits the caches (below
// kFillsCachesAt slots, 2 MiB), a probe's cost is its branches: at most half full, probes stay
// short. Beyond, every probe is a cache miss (and often a TLB miss) whatever its length, and how
// many there are depends on the table's size: three quarters full. A program with 300,000 live
// allocations (tiktoken's BPE ranks) then has a 16 MiB table instead of 32 MiB, and growing it
// costs about half as much; a churn over 2,000 live allocations ran 15% slower when small tables
// too filled to three quarters.
#ifndef VIEWSAN_ADDRESS_TABLE_H
#define VIEWSAN_ADDRESS_TABLE_H

#include <memory>

#include "hash_slots.h"
#include "internal_defs.h"

namespace viewsan {

constexpr u32 kUncounted = 0xFFFFFFFF;  // a generation not counted yet

struct AddressEntry {  // 32 bytes, two to a cache line
  u64 ptr;
  u64 size;
  u32 live_id;
  s32 alloc_site;
  u32 generation;  // see Region; kUncounted until first read (region_registry.h)
  u32 changed;     // the registry's change count when the region was allocated or resized
};

class AddressTable {
 public:
  AddressTable() { Reset(kInitialCapacity); }

  AddressEntry* Find(u64 ptr) {
    for (u64 i = slots_.Home(ptr);; i = slots_.Next(i)) {
      AddressEntry& entry = entries_[i];
      if (entry.ptr == ptr)
        return &entry;
      if (entry.ptr == kEmpty)
        return nullptr;
    }
  }
  const AddressEntry* Find(u64 ptr) const { return const_cast<AddressTable*>(this)->Find(ptr); }

  // The entry for `ptr`, added (ptr set, the rest zero) if absent, which `*added` tells.
  // Pointers from before are invalid.
  AddressEntry& FindOrInsert(u64 ptr, bool* added) {
    if (NeedsRoom())
      Grow();
    for (u64 i = slots_.Home(ptr);; i = slots_.Next(i)) {
      AddressEntry& entry = entries_[i];
      if (entry.ptr == ptr) {
        *added = false;
        return entry;
      }
      if (entry.ptr == kEmpty) {
        entry = AddressEntry{ptr, 0, 0, 0, 0, 0};
        ++size_;
        *added = true;
        return entry;
      }
    }
  }

  // Removes `entry`, found by Find(). Pointers from before are invalid.
  void Erase(AddressEntry* entry) {
    // No tombstones, so that churn never degrades the table: move back every later entry of the
    // run that may not stay behind the hole.
    u64 hole = static_cast<u64>(entry - entries_.get());
    for (u64 next = slots_.Next(hole); entries_[next].ptr != kEmpty; next = slots_.Next(next)) {
      const u64 home = slots_.Home(entries_[next].ptr);
      // `next` may move to `hole` unless its home lies in (hole, next], cyclically.
      const bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (!stays) {
        entries_[hole] = entries_[next];
        hole = next;
      }
    }
    entries_[hole].ptr = kEmpty;
    --size_;
  }

  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (u64 i = 0; i < capacity(); ++i) {
      if (entries_[i].ptr != kEmpty)
        fn(entries_[i]);
    }
  }

  u64 size() const { return size_; }
  u64 capacity() const { return slots_.capacity(); }

 private:
  static constexpr u64 kEmpty = ~u64{0};  // no tracked address reaches kAddressLimit
  static constexpr u64 kInitialCapacity = 1024;
  static constexpr u64 kFillsCachesAt = u64{1} << 16;

  bool NeedsRoom() const {  // before an insertion (see the top of the file)
    const u64 after = size_ + 1;
    return capacity() < kFillsCachesAt ? after * 2 > capacity() : after * 4 > capacity() * 3;
  }

  VS_NOINLINE void Grow() {
    const u64 old_capacity = capacity();
    std::unique_ptr<AddressEntry[]> old = std::move(entries_);
    Reset(old_capacity * 2);
    bool added;
    for (u64 i = 0; i < old_capacity; ++i) {
      if (old[i].ptr != kEmpty)
        FindOrInsert(old[i].ptr, &added) = old[i];
    }
  }

  void Reset(u64 capacity) {
    VS_CHECK(capacity <= (u64{1} << 31));
    entries_.reset(new AddressEntry[capacity]);
    for (u64 i = 0; i < capacity; ++i)
      entries_[i].ptr = kEmpty;
    slots_.Resize(capacity);
    size_ = 0;
  }

  std::unique_ptr<AddressEntry[]> entries_;
  HashSlots slots_;
  u64 size_ = 0;
};

}  // namespace viewsan

#endif  // VIEWSAN_ADDRESS_TABLE_H
