// A map from 64-bit keys (addresses, ids) to small values: open addressing with linear probing
// in one flat array of 16-byte entries, at most MaxLoadQuarters/4 full, so that a lookup is
// usually one cache line. Erase moves later entries back (HashSlots::CloseHole); it walks the rest
// of the entry's run, which stays short at a load of one half. Growing doubles the array; MakeRoom
// can drop entries instead.
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

  // Removes `key` if present.
  void Erase(u64 key) {
    u64 hole = slots_.Home(key);
    for (;; hole = slots_.Next(hole)) {
      if (entries_[hole].key == key)
        break;
      if (entries_[hole].key == kEmpty)
        return;
    }
    slots_.CloseHole(
        hole, [this](u64 i) { return entries_[i].key; },
        [this](u64 i) { return entries_[i].key == kEmpty; },
        [this](u64 from, u64 to) { entries_[to] = entries_[from]; },
        [this](u64 i) { entries_[i].key = kEmpty; });
    --size_;
  }

  bool NeedsRoom() const { return (size_ + 1) * 4 > capacity() * MaxLoadQuarters; }
  void Grow() { Rehash(capacity() * 2, [](const Entry&) { return true; }); }
  // Makes room for one more entry: keeps only the entries for which `keep(entry)` holds if they
  // fill at most half the map's load, else doubles it and keeps them all.
  template <class Keep>
  void MakeRoom(Keep&& keep) {
    u64 kept = 0;
    ForEach([&](const Entry& entry) { kept += keep(entry); });
    if ((kept + 1) * 8 <= capacity() * MaxLoadQuarters)
      Rehash(capacity(), keep);
    else
      Grow();
  }
  void Clear() { Reset(kInitialCapacity); }

  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (u64 i = 0; i < capacity(); ++i) {
      if (entries_[i].key != kEmpty)
        fn(entries_[i]);
    }
  }

  u64 size() const { return size_; }
  u64 capacity() const { return slots_.capacity(); }

 private:
  static constexpr u64 kEmpty = ~u64{0};  // neither an address below kAddressLimit nor an id
  static constexpr u64 kInitialCapacity = 256;

  template <class Keep>
  void Rehash(u64 capacity, Keep&& keep) {
    const u64 old_capacity = this->capacity();
    std::unique_ptr<Entry[]> old = std::move(entries_);
    Reset(capacity);
    for (u64 i = 0; i < old_capacity; ++i) {
      if (old[i].key != kEmpty && keep(old[i]))
        FindOrInsert(old[i].key) = old[i].value;
    }
  }

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
