// EventRing: wraparound, overflow against the reader's cursor, the header JS reads, and the
// reader asked to read before a record it has not read is overwritten.
#include "event_ring.h"

#include <gtest/gtest.h>

#include <limits>

namespace viewsan {
namespace {

vs_event Numbered(u32 n) {
  vs_event event{};
  event.kind = VS_EV_ALLOC;
  event.alloc_id = n;
  return event;
}

TEST(ShimEventRing, HeaderDescribesTheRecordsThatFollowIt) {
  EventRing ring(8);
  const vs_event_ring* header = ring.header();
  EXPECT_EQ(header->capacity, 8u);
  EXPECT_EQ(header->record_size, sizeof(vs_event));
  EXPECT_EQ(header->written, 0);
  EXPECT_EQ(header->overflowed, 0);
  ring.Push(Numbered(1));
  const vs_event* first = reinterpret_cast<const vs_event*>(header + 1);
  EXPECT_EQ(first->alloc_id, 1u);
  EXPECT_EQ(header->written, 1);
}

TEST(ShimEventRing, WrapsAroundOverTheOldest) {
  EventRing ring(4);
  for (u32 n = 0; n < 6; ++n)
    ring.Push(Numbered(n));
  EXPECT_EQ(ring.header()->written, 6);
  for (u64 i = 2; i < 6; ++i)
    EXPECT_EQ(ring.record(i).alloc_id, i);
}

TEST(ShimEventRing, CountsRecordsOverwrittenBeforeTheyWereRead) {
  EventRing ring(4);
  for (u32 n = 0; n < 4; ++n)
    ring.Push(Numbered(n));
  EXPECT_EQ(ring.header()->overflowed, 0);  // full, nothing lost yet
  ring.Push(Numbered(4));
  ring.Push(Numbered(5));
  EXPECT_EQ(ring.header()->overflowed, 2);  // records 0 and 1, never read
}

TEST(ShimEventRing, ReadRecordsMayBeOverwrittenFreely) {
  EventRing ring(4);
  for (u32 n = 0; n < 4; ++n)
    ring.Push(Numbered(n));
  ring.header()->read = 3;  // JS consumed records 0..2
  ring.Push(Numbered(4));
  ring.Push(Numbered(5));
  ring.Push(Numbered(6));
  EXPECT_EQ(ring.header()->overflowed, 0);
  ring.Push(Numbered(7));  // overwrites record 3, unread
  EXPECT_EQ(ring.header()->overflowed, 1);
}

TEST(ShimEventRing, DistrustsTheReaderCursor) {
  EventRing ring(2);
  ring.header()->read = 1e300;  // past `written`: taken as `written`
  ring.Push(Numbered(0));
  ring.Push(Numbered(1));
  ring.Push(Numbered(2));
  EXPECT_EQ(ring.header()->overflowed, 0);
  ring.header()->read = std::numeric_limits<double>::quiet_NaN();  // taken as 0
  ring.Push(Numbered(3));
  EXPECT_EQ(ring.header()->overflowed, 1);
  ring.header()->read = -5;
  ring.Push(Numbered(4));
  EXPECT_EQ(ring.header()->overflowed, 2);
}

// The reader the ring asks when full: here it reads everything written so far, as JS does.
u64 g_read_when_full = 0;
EventRing* g_full_ring = nullptr;
void ReadEverything() {
  ++g_read_when_full;
  g_full_ring->header()->read = g_full_ring->header()->written;
}

TEST(ShimEventRing, AsksTheReaderBeforeOverwritingWhatItHasNotRead) {
  EventRing ring(4, &ReadEverything);
  g_full_ring = &ring;
  g_read_when_full = 0;
  for (u32 n = 0; n < 4; ++n)
    ring.Push(Numbered(n));
  EXPECT_EQ(g_read_when_full, 0u);  // full, not asked until a record would be overwritten
  for (u32 n = 4; n < 14; ++n)
    ring.Push(Numbered(n));
  EXPECT_EQ(g_read_when_full, 3u);  // at records 4, 8 and 12
  EXPECT_EQ(ring.header()->overflowed, 0);
  EXPECT_EQ(ring.header()->written, 14);
}

void ReadNothing() { ++g_read_when_full; }

TEST(ShimEventRing, CountsWhatTheAskedReaderLeftUnread) {
  EventRing ring(4, &ReadNothing);
  g_read_when_full = 0;
  for (u32 n = 0; n < 6; ++n)
    ring.Push(Numbered(n));
  EXPECT_EQ(g_read_when_full, 2u);
  EXPECT_EQ(ring.header()->overflowed, 2);
}

}  // namespace
}  // namespace viewsan
