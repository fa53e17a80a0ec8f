#include "grow_history.h"

namespace viewsan {

u32 GrowHistory::Add(u64 from_pages, u64 to_pages, s32 site) {
  const GrowRecord record{from_pages, to_pages, site};
  if (records_.size() < capacity_)
    records_.push_back(record);
  else
    records_[count_ % capacity_] = record;
  return count_++;
}

const GrowRecord* GrowHistory::Get(u32 index) const {
  if (index >= count_ || count_ - index > capacity_)
    return nullptr;
  return &records_[index % capacity_];
}

}  // namespace viewsan
