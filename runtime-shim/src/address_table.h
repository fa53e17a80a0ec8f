// The addresses the hooks work on: every live region, stored inline under its start address, and
// the addresses freed since the table was last swept, with how many allocations started at each
// (the next one's generation). A correct free reads and writes one entry; an allocation at an
// address freed recently (allocators hand the same chunks out again and again) finds its count in
// the entry it writes.
//
// Open addressing with linear probing, at most three quarters full. Entries are never removed one
// by one: when the table is full the registry sweeps it, keeping the live entries and those freed
// lately, and moving the counts of the others to a larger, colder map (region_registry.h).
#ifndef VIEWSAN_ADDRESS_TABLE_H
#define VIEWSAN_ADDRESS_TABLE_H

#include <memory>

#include "hash_slots.h"
#include "internal_defs.h"

namespace viewsan {

struct AddressEntry {  // 32 bytes, two to a cache line
  u64 ptr;
  u64 size;         // of the live region
  u32 live_id;      // the live region starting at ptr, 0 if none; its generation is allocations - 1
  s32 alloc_site;   // of the live region
  u32 allocations;  // allocations that started here, while the address is remembered
  u32 changed;      // live: the registry's change count when the region was allocated or
                    // resized; else the registry's free count when it was freed
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

  // The entry for `ptr`, added (all zero) if absent, which `*added` tells. NeedsRoom() must be
  // false.
  AddressEntry& FindOrInsert(u64 ptr, bool* added) {
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

  bool NeedsRoom() const { return (size_ + 1) * 4 > capacity() * 3; }

  // Rebuilds the table at `capacity` entries with the entries for which `keep(entry)` holds; the
  // others are passed to `drop(entry)`. Pointers from before are invalid.
  template <class Keep, class Drop>
  void Rebuild(u64 capacity, Keep&& keep, Drop&& drop) {
    const u64 old_capacity = this->capacity();
    std::unique_ptr<AddressEntry[]> old = std::move(entries_);
    Reset(capacity);
    bool added;
    for (u64 i = 0; i < old_capacity; ++i) {
      if (old[i].ptr == kEmpty)
        continue;
      if (keep(old[i]))
        FindOrInsert(old[i].ptr, &added) = old[i];
      else
        drop(old[i]);
    }
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
