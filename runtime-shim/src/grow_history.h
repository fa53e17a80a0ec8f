// Completed grows of the module's memory, by index (0 = the first), for reports that say which
// grow detached a view. Only the latest `capacity` are kept; an index stays the same grow forever.
#ifndef VIEWSAN_GROW_HISTORY_H
#define VIEWSAN_GROW_HISTORY_H

#include <vector>

#include "internal_defs.h"

namespace viewsan {

struct GrowRecord {
  u64 from_pages = 0;
  u64 to_pages = 0;
  s32 site = 0;
};

class GrowHistory {
 public:
  explicit GrowHistory(u32 capacity) : capacity_(capacity) { VS_CHECK(capacity != 0); }

  // Returns the index of the new record.
  u32 Add(u64 from_pages, u64 to_pages, s32 site);
  // Null when `index` was never recorded or was evicted.
  const GrowRecord* Get(u32 index) const;
  u32 count() const { return count_; }

 private:
  u32 capacity_;
  u32 count_ = 0;
  std::vector<GrowRecord> records_;  // record i at i % capacity_
};

}  // namespace viewsan

#endif  // VIEWSAN_GROW_HISTORY_H
