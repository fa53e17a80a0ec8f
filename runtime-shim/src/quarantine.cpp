#include "quarantine.h"

namespace viewsan {

Quarantine::Quarantine(u64 max_bytes, u64 max_regions)
    : max_bytes_(max_bytes), max_regions_(max_regions) {}

void Quarantine::Push(const Region* region) {
  fifo_.push_back(region);
  bytes_ += region->size;
}

const Region* Quarantine::PopExcess() {
  if (!draining_) {
    if (!OverBounds())
      return nullptr;
    draining_ = true;
  }
  if (fifo_.empty() || WithinDrainTarget()) {
    draining_ = false;
    return nullptr;
  }
  const Region* oldest = fifo_.front();
  fifo_.pop_front();
  bytes_ -= oldest->size;
  return oldest;
}

bool Quarantine::OverBounds() const {
  if (max_bytes_ == 0)
    return !fifo_.empty();  // off: zero-size regions go too
  return bytes_ > max_bytes_ || fifo_.size() > max_regions_;
}

bool Quarantine::WithinDrainTarget() const {
  if (max_bytes_ == 0)
    return fifo_.empty();
  return bytes_ <= max_bytes_ / 10 * 9 && fifo_.size() <= max_regions_ / 10 * 9;
}

}  // namespace viewsan
