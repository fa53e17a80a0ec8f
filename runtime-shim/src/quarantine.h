// Freed regions, remembered first-in first-out so that a report about freed bytes can still name
// their allocation, both sites and how many frees ago it was freed, and so that freeing them again
// is recognised as a double free. Bounded in bytes and in regions: once a bound is passed the
// oldest regions are forgotten until both are back to 90% of their bound, as ASan's quarantine
// drains (compiler-rt/lib/sanitizer_common/sanitizer_quarantine.h).
#ifndef VIEWSAN_QUARANTINE_H
#define VIEWSAN_QUARANTINE_H

#include <deque>

#include "internal_defs.h"
#include "region.h"

namespace viewsan {

class Quarantine {
 public:
  Quarantine(u64 max_bytes, u64 max_regions);

  // 0 turns the quarantine off: every region is forgotten as soon as it is freed.
  void set_max_bytes(u64 max_bytes) { max_bytes_ = max_bytes; }

  void Push(const Region* region);
  // The oldest region to forget now, or null when the quarantine is within its bounds.
  const Region* PopExcess();

  u64 bytes() const { return bytes_; }
  u64 size() const { return fifo_.size(); }
  u64 max_bytes() const { return max_bytes_; }
  u64 max_regions() const { return max_regions_; }

 private:
  bool OverBounds() const;
  bool WithinDrainTarget() const;

  std::deque<const Region*> fifo_;  // oldest free first
  u64 bytes_ = 0;
  u64 max_bytes_;
  u64 max_regions_;
  bool draining_ = false;
};

}  // namespace viewsan

#endif  // VIEWSAN_QUARANTINE_H
