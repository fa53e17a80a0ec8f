// Open addressing with linear probing over a power-of-two array of slots, for the table of live
// regions (address_table.h). Removal moves later entries back, so that churn leaves no
// tombstones. How full a table may get depends on its size. While it fits the caches (2 MiB), a
// probe's cost is its branches: at most half full, probes stay short. Beyond, every probe that
// leaves the cache lines just used is a miss (often a TLB miss too) whatever its length, and how
// many there are depends on the table's size: three quarters full.
//
// Once it outgrows the caches, addresses hash by window: the regions that start in one window
// share a home slot and lie side by side from it, so that allocations in address order write the
// same cache lines, and growing the table moves runs, not scattered entries. A window is 256
// bytes, or 32 times the alignment all pointers share if that is less, so that it holds at most
// 32 regions; a lookup scans its window's run (with neighbours' entries that spilled into it).
// 128-byte windows ran tiktoken's replay 10% slower.
#ifndef VIEWSAN_WINDOWED_TABLE_H
#define VIEWSAN_WINDOWED_TABLE_H

#include <algorithm>
#include <memory>

#include "hash_slots.h"
#include "internal_defs.h"

namespace viewsan {

// Open addressing over Slot (key(), empty(), clear()), homes by address window, linear probing.
template <class Slot, u64 kInitialCapacity>
class WindowedTable {
 public:
  static constexpr u32 kWindowShift = 8;           // 256-byte windows at most
  static constexpr u32 kStartsPerWindowShift = 5;  // at most 32 aligned starts in a window

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

  // Calls fn(slot) for each entry of the run that holds every entry whose address shares the
  // window of `ptr` (with entries of other windows, which the caller tells apart by address).
  template <class Fn>
  void ForEachInRunOf(u64 ptr, Fn&& fn) const {
    for (u64 i = Home(ptr); !entries_[i].empty(); i = slots_.Next(i))
      fn(entries_[i]);
  }
  // The bytes one run covers: a window, or the alignment every address so far shares.
  u64 run_span() const {
    const u64 alignment = seen_bits_ & (~seen_bits_ + 1);
    return std::max(u64{1} << window_shift_, alignment == 0 ? 1 : alignment);
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
      const u32 alignment_shift =
          seen_bits_ == 0 ? 0 : static_cast<u32>(__builtin_ctzll(seen_bits_));
      window_shift_ = std::min(kWindowShift, kStartsPerWindowShift + alignment_shift);
    }
  }

  std::unique_ptr<Slot[]> entries_;
  HashSlots slots_;
  u64 size_ = 0;
  u64 seen_bits_ = 0;  // every pointer inserted, OR'ed: its lowest set bit is their alignment
  u32 window_shift_ = 0;
};

}  // namespace viewsan

#endif  // VIEWSAN_WINDOWED_TABLE_H
