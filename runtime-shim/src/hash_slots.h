// The slot arithmetic the shim's open-addressing tables share (address_table.h, flat_map.h): a
// power-of-two array of slots, Fibonacci hashing of 64-bit keys into it, linear probing.
#ifndef VIEWSAN_HASH_SLOTS_H
#define VIEWSAN_HASH_SLOTS_H

#include "internal_defs.h"

namespace viewsan {

class HashSlots {
 public:
  // `capacity` is a power of two.
  void Resize(u64 capacity) {
    mask_ = capacity - 1;
    shift_ = 64;
    for (u64 c = capacity; c > 1; c >>= 1)
      --shift_;
  }

  u64 Home(u64 key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }  // first slot tried
  u64 Next(u64 slot) const { return (slot + 1) & mask_; }

  // Deletion without tombstones, so that heavy churn never degrades a table: empties the slot
  // `hole` by moving back every later entry of its run that may not stay behind it. key(i) is
  // slot i's key, empty(i) whether it is empty; move(from, to) moves an entry; clear(i) empties.
  template <class Key, class Empty, class Move, class Clear>
  void CloseHole(u64 hole, Key&& key, Empty&& empty, Move&& move, Clear&& clear) const {
    for (u64 next = Next(hole); !empty(next); next = Next(next)) {
      const u64 home = Home(key(next));
      // `next` may move to `hole` unless its home lies in (hole, next], cyclically.
      const bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (!stays) {
        move(next, hole);
        hole = next;
      }
    }
    clear(hole);
  }
  u64 capacity() const { return mask_ + 1; }

 private:
  u64 mask_ = 0;
  u32 shift_ = 64;
};

}  // namespace viewsan

#endif  // VIEWSAN_HASH_SLOTS_H
