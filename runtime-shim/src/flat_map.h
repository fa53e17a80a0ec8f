// A map from 64-bit keys (addresses, ids) to small values: open addressing with linear probing
// in one flat array of 16-byte entries, at most MaxLoadQuarters/4 full, so that a lookup is
// usually one cache line. Entries are never removed one by one: the registry's lazy indexes
// start over instead (Clear). Growing doubles the array.
#ifndef VIEWSAN_FLAT_MAP_H
#define VIEWSAN_FLAT_MAP_H

#include <memory>

#include "hash_slots.h"
#include "internal_defs.h"

namespace viewsan {

template <class Value, u32 MaxLoadQuarters = 3>
class FlatMap {
 public:
  static_assert(sizeof(Value) <= 8, "entries are 16 bytes");
  struct Entry {
    u64 key;
    Value value;
  };

  FlatMap() { Reset(kInitialCapacity); }

  Value* Find(u64 key) {
    for (u64 i = slots_.Home(key);; i = slots_.Next(i)) {
      Entry& entry = entries_[i];
      if (entry.key == key)
        return &entry.value;
      if (entry.key == kEmpty)
        return nullptr;
    }
  }
  const Value* Find(u64 key) const { return const_cast<FlatMap*>(this)->Find(key); }

  // The value for `key`, value-initialised if absent. NeedsRoom() must be false.
  Value& FindOrInsert(u64 key) {
    for (u64 i = slots_.Home(key);; i = slots_.Next(i)) {
      Entry& entry = entries_[i];
      if (entry.key == key)
        return entry.value;
      if (entry.key == kEmpty) {
        entry.key = key;
        entry.value = Value();
        ++size_;
        return entry.value;
      }
    }
  }

  bool NeedsRoom() const { return !Holds(size_ + 1, capacity()); }
  void Grow() {
    const u64 old_capacity = capacity();
    std::unique_ptr<Entry[]> old = std::move(entries_);
    Reset(old_capacity * 2);
    for (u64 i = 0; i < old_capacity; ++i) {
      if (old[i].key != kEmpty)
        FindOrInsert(old[i].key) = old[i].value;
    }
  }
  // Empties the map, sized to take `expected` entries without growing: a lazy index that starts
  // over refills at once, and growing back from the smallest size rehashed it at every doubling
  // (the live ids, rebuilt between frees for a view kept among 50,000 live allocations).
  void Clear(u64 expected = 0) {
    u64 capacity = kInitialCapacity;
    while (!Holds(expected, capacity))
      capacity *= 2;
    Reset(capacity);
  }

  u64 size() const { return size_; }
  u64 capacity() const { return slots_.capacity(); }

 private:
  static constexpr u64 kEmpty = ~u64{0};  // neither an address below kAddressLimit nor an id
  static constexpr u64 kInitialCapacity = 256;

  // Whether `entries` stay within the load bound in `capacity` slots.
  static bool Holds(u64 entries, u64 capacity) { return entries * 4 <= capacity * MaxLoadQuarters; }

  void Reset(u64 capacity) {
    entries_.reset(new Entry[capacity]);
    for (u64 i = 0; i < capacity; ++i)
      entries_[i].key = kEmpty;
    slots_.Resize(capacity);
    size_ = 0;
  }

  std::unique_ptr<Entry[]> entries_;
  HashSlots slots_;
  u64 size_ = 0;
};

}  // namespace viewsan

#endif  // VIEWSAN_FLAT_MAP_H
