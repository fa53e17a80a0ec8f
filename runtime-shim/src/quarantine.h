// Freed regions, remembered first-in first-out so that a report about freed bytes can still name
// their allocation, both sites and how many frees ago it was freed, and so that freeing them again
// is recognised as a double free. Bounded in bytes and in regions: once a bound is passed the
// oldest regions are forgotten until both are back to 90% of their bound, as ASan's quarantine
// drains (compiler-rt/lib/sanitizer_common/sanitizer_quarantine.h).
//
// A ring of records, counted by absolute position: the region pushed n-th (from 0) is at position
// n until it is popped. A record holds all that is known about its freed region, so that freeing
// writes at the back of the ring and forgetting advances its front, and neither touches anything
// else.
#ifndef VIEWSAN_QUARANTINE_H
#define VIEWSAN_QUARANTINE_H

#include <memory>

#include "internal_defs.h"

namespace viewsan {

class Quarantine {
 public:
  struct Record {  // a freed region
    u64 ptr;
    u64 size;
    u32 id;
    u32 generation;
    s32 alloc_site;
    s32 free_site;
  };

  Quarantine(u64 max_bytes, u64 max_regions);

  // 0 turns the quarantine off: every region is forgotten as soon as it is freed.
  void set_max_bytes(u64 max_bytes) {
    max_bytes_ = max_bytes;
    SetBounds();
  }

  // Returns the record's position.
  u64 Push(const Record& record) {
    const u64 position = pushed_;
    if (position - popped_ == capacity_)
      Grow();
    records_[position & (capacity_ - 1)] = record;
    bytes_ += record.size;
    pushed_ = position + 1;
    return position;
  }
  bool OverBounds() const { return bytes_ > bound_bytes_ || size() > bound_regions_; }
  // Forgets the oldest region if the quarantine is over its bounds (or draining back to 90% of
  // them) and returns its id; returns 0 when the quarantine is within its bounds.
  u32 PopExcess() {
    if (!draining_) {
      if (!OverBounds())
        return 0;
      draining_ = true;
    }
    if (pushed_ == popped_ || (bytes_ <= drain_bytes_ && size() <= drain_regions_)) {
      draining_ = false;
      return 0;
    }
    const Record& oldest = records_[popped_ & (capacity_ - 1)];
    ++popped_;
    bytes_ -= oldest.size;
    return oldest.id;
  }

  // The record at absolute position `position`, popped() <= position < pushed().
  const Record& At(u64 position) const { return records_[position & (capacity_ - 1)]; }
  Record& At(u64 position) { return records_[position & (capacity_ - 1)]; }
  u64 pushed() const { return pushed_; }  // regions ever pushed
  u64 popped() const { return popped_; }  // regions ever forgotten: always the oldest ones

  u64 bytes() const { return bytes_; }
  u64 capacity() const { return capacity_; }
  u64 size() const { return pushed_ - popped_; }
  u64 max_bytes() const { return max_bytes_; }
  u64 max_regions() const { return max_regions_; }

 private:
  void SetBounds() {
    // Off, no region is kept, zero-size ones included.
    bound_bytes_ = max_bytes_;
    bound_regions_ = max_bytes_ == 0 ? 0 : max_regions_;
    drain_bytes_ = bound_bytes_ / 10 * 9;
    drain_regions_ = bound_regions_ / 10 * 9;
  }
  void Grow();

  std::unique_ptr<Record[]> records_;
  u64 capacity_ = 0;  // a power of two; grows up to just above max_regions
  u64 pushed_ = 0;
  u64 popped_ = 0;
  u64 bytes_ = 0;
  u64 max_bytes_;
  u64 max_regions_;
  u64 bound_bytes_;  // over either bound, the quarantine drains...
  u64 bound_regions_;
  u64 drain_bytes_;  // ... down to both of these, 90% of the bounds
  u64 drain_regions_;
  bool draining_ = false;
};

}  // namespace viewsan

#endif  // VIEWSAN_QUARANTINE_H
