// The event ring JS drains for the DevTools stream (DESIGN.md contract 4): a vs_event_ring header
// followed by `capacity` vs_event records in one block of the shim's memory. JS drains it between
// calls, and, when a record would overwrite one JS has not read, when the ring asks (`on_full`:
// vs_on_events_full) from inside the hook. Writing never blocks: whatever is still unread then is
// overwritten, the oldest first, and counted in header->overflowed (JS stores its cursor in
// header->read).
#ifndef VIEWSAN_EVENT_RING_H
#define VIEWSAN_EVENT_RING_H

#include <memory>

#include "internal_defs.h"
#include "viewsan/shim_abi.h"

namespace viewsan {

class EventRing {
 public:
  using OnFull = void (*)();  // may advance header()->read; must not push

  explicit EventRing(u32 capacity, OnFull on_full = nullptr);  // capacity: a power of two

  vs_event_ring* header() { return header_; }
  const vs_event& record(u64 index) const { return records_[index & (header_->capacity - 1)]; }

  void Push(const vs_event& event);

 private:
  u64 ReadCursor() const;

  std::unique_ptr<u64[]> storage_;  // 8-byte aligned, as the doubles in both structs need
  vs_event_ring* header_;
  vs_event* records_;
  OnFull on_full_;
  u64 written_ = 0;
  u64 overflowed_ = 0;
};

}  // namespace viewsan

#endif  // VIEWSAN_EVENT_RING_H
