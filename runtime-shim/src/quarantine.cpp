#include "quarantine.h"

namespace viewsan {

Quarantine::Quarantine(u64 max_bytes, u64 max_regions)
    : max_bytes_(max_bytes), max_regions_(max_regions) {
  SetBounds();
}

void Quarantine::Grow() {
  const u64 capacity = capacity_ ? capacity_ * 2 : 64;
  std::unique_ptr<Record[]> records(new Record[capacity]);
  for (u64 position = popped_; position != pushed_; ++position)
    records[position & (capacity - 1)] = At(position);
  records_ = std::move(records);
  capacity_ = capacity;
}

}  // namespace viewsan
