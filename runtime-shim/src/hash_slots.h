// The slot arithmetic the shim's open-addressing tables share (windowed_table.h, flat_map.h): a
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

  u64 capacity() const { return mask_ + 1; }

 private:
  u64 mask_ = 0;
  u32 shift_ = 64;
};

}  // namespace viewsan

#endif  // VIEWSAN_HASH_SLOTS_H
