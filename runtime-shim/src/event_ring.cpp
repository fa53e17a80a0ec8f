#include "event_ring.h"

#include <new>

namespace viewsan {

static_assert(sizeof(vs_event_ring) % alignof(vs_event) == 0, "records must follow aligned");

EventRing::EventRing(u32 capacity, OnFull on_full) : on_full_(on_full) {
  VS_CHECK(capacity != 0 && (capacity & (capacity - 1)) == 0);
  const u64 bytes = sizeof(vs_event_ring) + u64{capacity} * sizeof(vs_event);
  storage_.reset(new u64[(bytes + sizeof(u64) - 1) / sizeof(u64)]());
  header_ = new (storage_.get()) vs_event_ring{capacity, sizeof(vs_event), 0, 0, 0};
  records_ = reinterpret_cast<vs_event*>(header_ + 1);
  for (u32 i = 0; i < capacity; ++i)
    new (&records_[i]) vs_event{};
}

void EventRing::Push(const vs_event& event) {
  // The record about to be overwritten is written_ - capacity: lost unless JS read past it, which
  // it may do now if asked.
  if (written_ - ReadCursor() >= header_->capacity) {
    if (on_full_)
      on_full_();
    if (written_ - ReadCursor() >= header_->capacity)
      ++overflowed_;
  }
  records_[written_ & (header_->capacity - 1)] = event;
  ++written_;
  header_->written = static_cast<double>(written_);
  header_->overflowed = static_cast<double>(overflowed_);
}

u64 EventRing::ReadCursor() const {
  // JS owns this field: anything outside [0, written] (or NaN) is clamped, never trusted.
  const double read = header_->read;
  if (!(read > 0))
    return 0;
  if (read >= static_cast<double>(written_))
    return written_;
  return static_cast<u64>(read);
}

}  // namespace viewsan
