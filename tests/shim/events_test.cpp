// The event ring and grow records as the hooks fill them.
#include "abi_fixture.h"

#include <vector>

namespace viewsan_test {
namespace {

class ShimEvents : public AbiTest {
 protected:
  static uint64_t written() { return static_cast<uint64_t>(ring().written); }
};

TEST_F(ShimEvents, NothingIsWrittenAndNoClockReadWhileDisabled) {
  Alloc(0x1000, 8);
  Free(0x1000);
  vs_hook_grow_end(1, 1, 0);
  EXPECT_EQ(ring().written, 0);
  EXPECT_EQ(imports().now_calls, 0);
}

TEST_F(ShimEvents, EachHookWritesOneRecord) {
  EnableEvents();
  imports().now = 12.5;
  Alloc(0x1000, 16, 1);
  Free(0x1000, 2);
  Alloc(0x1000, 8, 3);
  Realloc(0x1000, 0x2000, 32, 4);
  vs_hook_grow_begin(2, 5);
  vs_hook_grow_end(16, 2, 5);
  ASSERT_EQ(written(), 5u);
  EXPECT_EQ(imports().now_calls, 5);

  const vs_event& alloc = event(0);
  EXPECT_EQ(alloc.kind, static_cast<uint32_t>(VS_EV_ALLOC));
  EXPECT_EQ(alloc.site, 1);
  EXPECT_EQ(alloc.alloc_id, 1u);
  EXPECT_EQ(alloc.aux, 0u);  // generation
  EXPECT_EQ(alloc.ptr, 0x1000);
  EXPECT_EQ(alloc.size, 16);
  EXPECT_EQ(alloc.old_ptr, 0);
  EXPECT_EQ(alloc.t, 12.5);

  const vs_event& free = event(1);
  EXPECT_EQ(free.kind, static_cast<uint32_t>(VS_EV_FREE));
  EXPECT_EQ(free.site, 2);
  EXPECT_EQ(free.alloc_id, 1u);
  EXPECT_EQ(free.ptr, 0x1000);
  EXPECT_EQ(free.size, 16);

  EXPECT_EQ(event(2).aux, 1u);  // the second allocation at 0x1000

  const vs_event& realloc = event(3);
  EXPECT_EQ(realloc.kind, static_cast<uint32_t>(VS_EV_REALLOC));
  EXPECT_EQ(realloc.site, 4);
  EXPECT_EQ(realloc.alloc_id, 3u);
  EXPECT_EQ(realloc.aux, 2u);
  EXPECT_EQ(realloc.ptr, 0x2000);
  EXPECT_EQ(realloc.size, 32);
  EXPECT_EQ(realloc.old_ptr, 0x1000);

  const vs_event& grow = event(4);
  EXPECT_EQ(grow.kind, static_cast<uint32_t>(VS_EV_GROW));
  EXPECT_EQ(grow.site, 5);
  EXPECT_EQ(grow.alloc_id, 0u);
  EXPECT_EQ(grow.aux, 0u);  // grow index
  EXPECT_EQ(grow.ptr, 16);
  EXPECT_EQ(grow.size, 2);
}

TEST_F(ShimEvents, RetiredRegionsAreFreesAtAnUnknownSite) {
  EnableEvents();
  Alloc(0x1000, 16);
  Alloc(0x1000, 16);  // the first was freed where no hook saw
  ASSERT_EQ(written(), 3u);
  EXPECT_EQ(event(1).kind, static_cast<uint32_t>(VS_EV_FREE));
  EXPECT_EQ(event(1).site, VS_SITE_UNKNOWN);
  EXPECT_EQ(event(1).alloc_id, 1u);
  EXPECT_EQ(event(2).alloc_id, 2u);
}

TEST_F(ShimEvents, OverlapsElsewhereAreRetiredWhenTheShimIsNextAsked) {
  EnableEvents();
  Alloc(0x1000, 32);
  Alloc(0x1010, 32);  // overlaps the first, at another address: the hook does not look
  ASSERT_EQ(written(), 2u);
  EXPECT_EQ(vs_alloc_status(1), VS_REUSED);  // the query resolves it first
  ASSERT_EQ(written(), 3u);
  EXPECT_EQ(event(2).kind, static_cast<uint32_t>(VS_EV_FREE));
  EXPECT_EQ(event(2).site, VS_SITE_UNKNOWN);
  EXPECT_EQ(event(2).alloc_id, 1u);
  EXPECT_EQ(event(2).size, 32);
}

TEST_F(ShimEvents, RingWrapsAndCountsWhatJsMissed) {
  EnableEvents();
  const uint32_t capacity = ring().capacity;
  ASSERT_EQ(capacity & (capacity - 1), 0u);
  ASSERT_EQ(ring().record_size, sizeof(vs_event));
  for (uint32_t i = 0; i < capacity; ++i)
    Alloc(0x1000 + 16 * i, 8);
  EXPECT_EQ(ring().overflowed, 0);
  ring().read = capacity / 2;  // JS caught up half way
  for (uint32_t i = 0; i < capacity; ++i)
    Free(0x1000 + 16 * i);
  EXPECT_EQ(written(), 2u * capacity);
  EXPECT_EQ(ring().overflowed, capacity / 2);
  // The newest `capacity` records are intact, in order.
  for (uint64_t i = capacity; i < 2u * capacity; ++i) {
    EXPECT_EQ(event(i).kind, static_cast<uint32_t>(VS_EV_FREE));
    EXPECT_EQ(event(i).ptr, 0x1000 + 16 * (i - capacity));
  }
}

TEST_F(ShimEvents, AFullRingAsksJsToReadFromInsideTheHook) {
  EnableEvents();
  const uint32_t capacity = ring().capacity;
  // JS reads what was written and moves its cursor, calling nothing in the shim.
  std::vector<uint32_t> seen;
  imports().on_events_full = [&seen] {
    for (double i = ring().read; i < ring().written; ++i)
      seen.push_back(event(static_cast<uint64_t>(i)).alloc_id);
    ring().read = ring().written;
  };
  const uint32_t allocs = 3 * capacity + 5;
  for (uint32_t i = 0; i < allocs; ++i)
    Alloc(0x1000 + 16 * i, 8);
  EXPECT_EQ(imports().events_full_calls, 3);
  EXPECT_EQ(ring().overflowed, 0);
  ASSERT_EQ(seen.size(), 3u * capacity);
  for (uint32_t i = 0; i < seen.size(); ++i)
    EXPECT_EQ(seen[i], i + 1);  // every allocation, in order, none lost
  EXPECT_EQ(written() - ring().read, 5u);  // the rest wait for the next drain
}

TEST_F(ShimEvents, GrowRecords) {
  vs_hook_grow_begin(3, 7);
  vs_hook_grow_end(17, 3, 7);
  vs_hook_grow_end(-1, 100000, 8);  // failed: no record, no count
  vs_hook_grow_end(20, 1, VS_SITE_JS);
  EXPECT_EQ(state().grows, 2u);
  EXPECT_EQ(state().grow_count, 2u);

  ASSERT_EQ(vs_grow_record(0), 1u);
  EXPECT_EQ(result().from_pages, 17);
  EXPECT_EQ(result().to_pages, 20);
  EXPECT_EQ(result().grow_site, 7);
  EXPECT_EQ(result().state, VS_UNALLOCATED);
  EXPECT_EQ(result().alloc_id, 0u);
  ASSERT_EQ(vs_grow_record(1), 1u);
  EXPECT_EQ(result().from_pages, 20);
  EXPECT_EQ(result().grow_site, VS_SITE_JS);
  EXPECT_EQ(vs_grow_record(2), 0u);
  EXPECT_EQ(result().grow_site, VS_SITE_UNKNOWN);
}

TEST_F(ShimEvents, FailedGrowIsAnEventWithoutAnIndex) {
  EnableEvents();
  vs_hook_grow_end(-1, 5, 2);
  ASSERT_EQ(written(), 1u);
  EXPECT_EQ(event(0).ptr, -1);
  EXPECT_EQ(event(0).size, 5);
  EXPECT_EQ(event(0).aux, 0xFFFFFFFFu);
}

TEST_F(ShimEvents, OldGrowRecordsAreEvictedButIndicesHold) {
  for (int32_t i = 0; i < 5000; ++i)
    vs_hook_grow_end(i, 1, i);
  EXPECT_EQ(state().grow_count, 5000u);
  EXPECT_EQ(vs_grow_record(0), 0u);
  ASSERT_EQ(vs_grow_record(4999), 1u);
  EXPECT_EQ(result().from_pages, 4999);
  EXPECT_EQ(result().grow_site, 4999);
}

}  // namespace
}  // namespace viewsan_test
