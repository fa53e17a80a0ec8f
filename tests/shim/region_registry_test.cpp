// RegionRegistry on its own: the states of bytes and of allocation ids.
#include "region_registry.h"

#include <gtest/gtest.h>

#include <vector>

namespace viewsan {
namespace {

constexpr u64 kLargeQuarantine = u64{1} << 30;
constexpr u64 kManyRegions = u64{1} << 20;

// Records the regions a registry retires, checking what it is told.
struct RetireLog {
  std::vector<u32> ids;
  static void Record(void* log, const Region& region) {
    EXPECT_FALSE(region.live());
    EXPECT_EQ(region.free_site, VS_SITE_UNKNOWN);
    static_cast<RetireLog*>(log)->ids.push_back(region.id);
  }
};

class ShimRegistry : public ::testing::Test {
 protected:
  ShimRegistry() { registry_.SetRetireListener(&RetireLog::Record, &retired_); }
  // Unless a test expects retirements, there are none.
  void TearDown() override {
    if (!expect_retirements_) {
      EXPECT_TRUE(retired_.ids.empty());
    }
  }

  RegionRegistry registry_{kLargeQuarantine, kManyRegions};
  RetireLog retired_;
  bool expect_retirements_ = false;

  u32 Allocate(u64 ptr, u64 size, s32 site = 7) { return registry_.Allocate(ptr, size, site); }
  void Release(u64 ptr, s32 site = 9) {
    Region released;
    ASSERT_TRUE(registry_.Release(ptr, site, &released));
  }
  vs_region_state StateOf(u64 ptr, u64 len) { return registry_.Lookup(ptr, len).state; }
};

TEST_F(ShimRegistry, LiveRegionOwnsItsBytesAndNothingElse) {
  const u32 id = Allocate(0x1000, 16);
  EXPECT_EQ(StateOf(0x1000, 16), VS_LIVE);
  EXPECT_EQ(StateOf(0x1004, 4), VS_LIVE);
  EXPECT_EQ(StateOf(0x100F, 1), VS_LIVE);
  EXPECT_EQ(StateOf(0x1000, 17), VS_STRADDLES);  // runs past the end
  EXPECT_EQ(StateOf(0x0FF0, 32), VS_STRADDLES);  // starts before and runs in
  EXPECT_EQ(StateOf(0x1010, 4), VS_UNALLOCATED);
  EXPECT_EQ(StateOf(0x0FF0, 16), VS_UNALLOCATED);  // ends exactly where it starts

  const Description d = registry_.Lookup(0x1008, 4);
  ASSERT_TRUE(d.region.has_value());
  EXPECT_EQ(d.region->id, id);
  EXPECT_EQ(d.region->ptr, 0x1000u);
  EXPECT_EQ(d.region->size, 16u);
  EXPECT_EQ(d.region->alloc_site, 7);
  EXPECT_EQ(d.region->free_site, VS_SITE_UNKNOWN);
  EXPECT_EQ(registry_.live_bytes(), 16u);
}

TEST_F(ShimRegistry, EmptyRangeMayEndALiveRegion) {
  Allocate(0x1000, 16);
  EXPECT_EQ(StateOf(0x1000, 0), VS_LIVE);
  EXPECT_EQ(StateOf(0x1010, 0), VS_LIVE);  // one past the end, as a C++ end pointer
  EXPECT_EQ(StateOf(0x1011, 0), VS_UNALLOCATED);
}

TEST_F(ShimRegistry, AdjacentRegionsAreToldApart) {
  const u32 a = Allocate(0x1000, 16);
  const u32 b = Allocate(0x1010, 16);
  EXPECT_EQ(registry_.Lookup(0x100C, 4).region->id, a);
  EXPECT_EQ(registry_.Lookup(0x1010, 4).region->id, b);
  EXPECT_EQ(registry_.Lookup(0x1010, 0).region->id, b);  // b's start, not a's end
  const Description across = registry_.Lookup(0x100C, 8);
  EXPECT_EQ(across.state, VS_STRADDLES);
  EXPECT_EQ(across.region->id, a);
}

TEST_F(ShimRegistry, RangeBeforeARegionStraddlesTheRegionItRunsInto) {
  const u32 id = Allocate(0x2000, 64);
  const Description d = registry_.Lookup(0x1000, 0x1001);
  EXPECT_EQ(d.state, VS_STRADDLES);
  EXPECT_EQ(d.region->id, id);
}

TEST_F(ShimRegistry, IdsStartAtOneAndAreNeverReused) {
  EXPECT_EQ(Allocate(0x1000, 8), 1u);
  Release(0x1000);
  EXPECT_EQ(Allocate(0x1000, 8), 2u);
  EXPECT_EQ(Allocate(0x2000, 8), 3u);
}

TEST_F(ShimRegistry, WrappedIdsSkipZeroAndRememberedIds) {
  EXPECT_EQ(Allocate(0x1000, 8), 1u);  // still live when the ids wrap
  registry_.SetLastIdForTesting(0xFFFFFFFE);
  EXPECT_EQ(Allocate(0x2000, 8), 0xFFFFFFFFu);
  EXPECT_EQ(Allocate(0x3000, 8), 2u);
  EXPECT_EQ(registry_.Find(1)->ptr, 0x1000u);
}

TEST_F(ShimRegistry, FreedRegionIsRememberedWithBothSites) {
  const u32 id = Allocate(0x1000, 32, 3);
  Release(0x1000, 4);
  const Description d = registry_.Lookup(0x1010, 8);
  EXPECT_EQ(d.state, VS_FREED);
  EXPECT_EQ(d.region->id, id);
  EXPECT_EQ(d.region->alloc_site, 3);
  EXPECT_EQ(d.region->free_site, 4);
  EXPECT_EQ(registry_.Describe(id).state, VS_FREED);
  EXPECT_EQ(registry_.FreesAgo(*d.region), 0u);
  EXPECT_EQ(registry_.live_bytes(), 0u);
  EXPECT_EQ(registry_.peak_bytes(), 32u);
  EXPECT_EQ(registry_.quarantine().bytes(), 32u);
}

TEST_F(ShimRegistry, FreesAgoCountsLaterFrees) {
  const u32 first = Allocate(0x1000, 8);
  Allocate(0x2000, 8);
  Allocate(0x3000, 8);
  Release(0x1000);
  Release(0x2000);
  Release(0x3000);
  EXPECT_EQ(registry_.FreesAgo(*registry_.Find(first)), 2u);
}

TEST_F(ShimRegistry, AllocationAtAFreedAddressIsTheNextGeneration) {
  const u32 a = Allocate(0x1000, 32);
  Release(0x1000);
  const u32 b = Allocate(0x1000, 16);
  EXPECT_EQ(registry_.Find(a)->generation, 0u);
  EXPECT_EQ(registry_.Find(b)->generation, 1u);

  const Description through_a = registry_.Describe(a);
  EXPECT_EQ(through_a.state, VS_REUSED);
  EXPECT_EQ(through_a.region->id, a);
  EXPECT_EQ(through_a.newer->id, b);
  EXPECT_EQ(registry_.Describe(b).state, VS_LIVE);

  EXPECT_EQ(registry_.Lookup(0x1004, 4).region->id, b);  // the bytes are b's now
  const Description tail = registry_.Lookup(0x1018, 4);   // a's bytes that b does not cover
  EXPECT_EQ(tail.state, VS_REUSED);
  EXPECT_EQ(tail.region->id, a);
  EXPECT_EQ(tail.newer->id, b);
}

TEST_F(ShimRegistry, GenerationCountsEveryEarlierAllocationAtTheAddress) {
  for (u32 i = 0; i < 5; ++i) {
    const u32 id = Allocate(0x1000, 8);
    EXPECT_EQ(registry_.Find(id)->generation, i);
    Release(0x1000);
  }
  EXPECT_EQ(registry_.Find(Allocate(0x1008, 8))->generation, 0u);
}

TEST_F(ShimRegistry, ReuseByAnOverlappingAllocationAtAnotherAddress) {
  const u32 a = Allocate(0x1000, 64);
  Release(0x1000);
  const u32 b = Allocate(0x1020, 16);
  const Description d = registry_.Describe(a);
  EXPECT_EQ(d.state, VS_REUSED);
  EXPECT_EQ(d.newer->id, b);
  EXPECT_EQ(registry_.Find(b)->generation, 0u);  // nothing started at 0x1020 before
}

TEST_F(ShimRegistry, NeverIssuedAndForgottenIdsAreUnknown) {
  EXPECT_EQ(registry_.Describe(0).state, VS_UNKNOWN_ID);
  EXPECT_EQ(registry_.Describe(42).state, VS_UNKNOWN_ID);

  RegionRegistry small(100, kManyRegions);
  Region released;
  const u32 old_id = small.Allocate(0x1000, 60, 0);
  small.Release(0x1000, 0, &released);
  small.Allocate(0x2000, 60, 0);
  small.Release(0x2000, 0, &released);  // 120 bytes > 100: the oldest goes
  EXPECT_EQ(small.Describe(old_id).state, VS_UNKNOWN_ID);
  EXPECT_FALSE(small.Find(old_id).has_value());
  EXPECT_EQ(small.Lookup(0x1000, 4).state, VS_UNALLOCATED);
  EXPECT_FALSE(small.FindFreedAt(0x1000).has_value());
  EXPECT_EQ(small.remembered_count(), 1u);
}

TEST_F(ShimRegistry, LatestFreeNamesTheBytes) {
  const u32 a = Allocate(0x1000, 64);
  Release(0x1000);
  const u32 b = Allocate(0x1000, 16);
  Release(0x1000);
  EXPECT_EQ(registry_.Lookup(0x1004, 4).region->id, b);
  EXPECT_EQ(registry_.Lookup(0x1020, 4).region->id, a);
  EXPECT_EQ(registry_.FindFreedAt(0x1000)->id, b);
  EXPECT_EQ(registry_.Describe(a).state, VS_FREED);
}

TEST_F(ShimRegistry, ZeroSizeRegionIsFoundByItsPointerOnly) {
  const u32 z = Allocate(0x1000, 0);
  EXPECT_EQ(registry_.Lookup(0x1000, 0).region->id, z);
  EXPECT_EQ(registry_.Lookup(0x1000, 0).state, VS_LIVE);
  const Description past = registry_.Lookup(0x1000, 4);  // any byte is out of its bounds
  EXPECT_EQ(past.state, VS_STRADDLES);
  EXPECT_EQ(past.region->id, z);
  EXPECT_EQ(StateOf(0x0FF8, 16), VS_UNALLOCATED);  // covers its address, owns none of its bytes
  EXPECT_EQ(StateOf(0x1001, 0), VS_UNALLOCATED);
  EXPECT_EQ(registry_.FindLive(0x1000)->id, z);
  EXPECT_FALSE(registry_.FindLiveContaining(0x1001).has_value());
}

TEST_F(ShimRegistry, ZeroSizeRegionNextToAnotherRegion) {
  const u32 a = Allocate(0x1000, 16);
  const u32 z = Allocate(0x1010, 0);
  const u32 b = Allocate(0x1011, 15);
  EXPECT_EQ(registry_.Lookup(0x1000, 16).state, VS_LIVE);
  EXPECT_EQ(registry_.Lookup(0x1000, 16).region->id, a);
  EXPECT_EQ(registry_.Lookup(0x1010, 0).region->id, z);
  EXPECT_EQ(registry_.Lookup(0x1011, 15).region->id, b);
  EXPECT_EQ(registry_.Lookup(0x100C, 8).region->id, a);  // crosses a's end: about a
}

TEST_F(ShimRegistry, FreedZeroSizeRegionIsRememberedAtItsPointer) {
  const u32 z = Allocate(0x1000, 0);
  Release(0x1000);
  const Description d = registry_.Lookup(0x1000, 0);
  EXPECT_EQ(d.state, VS_FREED);
  EXPECT_EQ(d.region->id, z);
  EXPECT_EQ(registry_.FindFreedAt(0x1000)->id, z);
  Allocate(0x1000, 8);
  EXPECT_EQ(registry_.Describe(z).state, VS_REUSED);
}

TEST_F(ShimRegistry, FirstLiveOverlappingUsesExtents) {
  Allocate(0x1000, 16);
  Allocate(0x2000, 0);
  EXPECT_EQ(registry_.FirstLiveOverlapping(0x0F00, 0x1001)->ptr, 0x1000u);
  EXPECT_EQ(registry_.FirstLiveOverlapping(0x100F, 0x1010)->ptr, 0x1000u);
  EXPECT_FALSE(registry_.FirstLiveOverlapping(0x1010, 0x2000).has_value());
  EXPECT_EQ(registry_.FirstLiveOverlapping(0x1FFF, 0x2001)->ptr, 0x2000u);
  EXPECT_FALSE(registry_.FirstLiveOverlapping(0x2001, 0x3000).has_value());
}

TEST_F(ShimRegistry, ResizeKeepsTheAllocation) {
  const u32 id = Allocate(0x1000, 16);
  ASSERT_TRUE(registry_.Resize(0x1000, 64));
  EXPECT_EQ(registry_.Lookup(0x1030, 16).region->id, id);
  EXPECT_EQ(registry_.peak_bytes(), 64u);
  ASSERT_TRUE(registry_.Resize(0x1000, 8));
  EXPECT_EQ(StateOf(0x1008, 4), VS_UNALLOCATED);
  EXPECT_EQ(registry_.live_bytes(), 8u);
  EXPECT_EQ(registry_.peak_bytes(), 64u);
  EXPECT_FALSE(registry_.Resize(0x2000, 8));
}

TEST_F(ShimRegistry, AllocationAtTheStartOfALiveRegionRetiresItAtOnce) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 16);
  const u32 b = Allocate(0x1000, 8);  // the allocator handed the chunk out again: freed unseen
  EXPECT_EQ(retired_.ids, (std::vector<u32>{a}));
  EXPECT_EQ(registry_.Find(a)->free_site, VS_SITE_UNKNOWN);
  EXPECT_EQ(registry_.FindLive(0x1000)->id, b);
  EXPECT_EQ(registry_.Find(b)->generation, 1u);
  EXPECT_EQ(registry_.live_bytes(), 8u);
  EXPECT_EQ(registry_.live_count(), 1u);
}

TEST_F(ShimRegistry, AllocationOverLiveRegionsRetiresThemBeforeAnyQueryAnswers) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 16);
  const u32 b = Allocate(0x1010, 16);
  const u32 c = Allocate(0x1020, 0);
  const u32 d = Allocate(0x1030, 16);
  const u32 e = Allocate(0x1008, 0x20);
  EXPECT_TRUE(retired_.ids.empty());  // not yet: the hooks do not look at address ranges
  EXPECT_EQ(registry_.Describe(a).state, VS_REUSED);
  EXPECT_EQ(retired_.ids, (std::vector<u32>{a, b, c}));  // d starts where e ends
  EXPECT_EQ(registry_.Describe(d).state, VS_LIVE);
  EXPECT_EQ(registry_.Lookup(0x1010, 4).region->id, e);
  EXPECT_EQ(registry_.live_bytes(), 0x20u + 16u);
}

TEST_F(ShimRegistry, OverlapsAreResolvedInAllocationOrder) {
  expect_retirements_ = true;
  // Built lazily: the first query sorts everything out at once.
  const u32 a = Allocate(0x1000, 0x100);
  const u32 b = Allocate(0x1080, 0x100);  // over a's tail
  const u32 c = Allocate(0x1100, 0x10);   // over b's tail; then b is live no more
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{a, b}));
  EXPECT_EQ(registry_.Describe(c).state, VS_LIVE);
  EXPECT_EQ(registry_.Describe(a).state, VS_FREED);  // b, which reused its tail, is gone too
  const Description through_b = registry_.Describe(b);
  EXPECT_EQ(through_b.state, VS_REUSED);
  EXPECT_EQ(through_b.newer->id, c);
}

// The regions that overlap nothing go into the index as they are; those that overlap are resolved
// among themselves in the order of their changes, across all the places they are.
TEST_F(ShimRegistry, OverlapsAmongManyDisjointRegionsRetireInTheOrderOfTheirChanges) {
  expect_retirements_ = true;
  const u32 x = Allocate(0x1000, 0x100);
  const u32 p = Allocate(0x8000, 0x100);
  std::vector<u32> alone;
  for (u64 i = 0; i < 1000; ++i)
    alone.push_back(Allocate(0x10000 + 0x20 * i, 0x10));
  const u32 q = Allocate(0x8080, 0x10);  // over p's tail: p goes first
  const u32 y = Allocate(0x1010, 0x10);  // then y over x: x goes
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{p, x}));
  EXPECT_EQ(registry_.live_count(), 1002u);
  EXPECT_EQ(registry_.FindLiveContaining(0x8084)->id, q);
  EXPECT_EQ(registry_.FindLiveContaining(0x1014)->id, y);
  EXPECT_FALSE(registry_.FindLiveContaining(0x1000).has_value());
  for (u64 i = 0; i < 1000; ++i) {
    EXPECT_EQ(registry_.FindLiveContaining(0x10000 + 0x20 * i + 0xF)->id, alone[i]);
    EXPECT_FALSE(registry_.FindLiveContaining(0x10000 + 0x20 * i + 0x10).has_value());
  }
}

TEST_F(ShimRegistry, OverlapsAreResolvedIncrementallyOnceTheIndexIsBuilt) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 0x100);
  registry_.ResolveOverlaps();
  ASSERT_TRUE(registry_.index_built());
  const u32 b = Allocate(0x2000, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1000, 0x1008));  // in place, over b
  const u32 c = Allocate(0x3000, 0x10);
  Release(0x3000);
  EXPECT_EQ(registry_.Lookup(0x2000, 4).region->id, a);
  EXPECT_EQ(retired_.ids, (std::vector<u32>{b}));
  EXPECT_EQ(registry_.Describe(b).newer->id, a);
  EXPECT_EQ(registry_.Describe(c).state, VS_FREED);
  EXPECT_EQ(registry_.Lookup(0x1004, 0x1000).region->id, a);
}

TEST_F(ShimRegistry, AGrowthThenAnAllocationRetireInTheOrderTheyHappened) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 0x10);
  registry_.ResolveOverlaps();
  const u32 b = Allocate(0x1100, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1000, 0x200));  // a grows over b: b goes
  const u32 c = Allocate(0x1180, 0x10);          // then c over a: a goes
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{b, a}));
  EXPECT_EQ(registry_.FindLiveContaining(0x1184)->id, c);
  EXPECT_EQ(registry_.live_count(), 1u);
}

// Without an index, the first query orders the changes since by when they happened: allocations
// by id, a growth in place after the allocation before it and after the growths before it.
TEST_F(ShimRegistry, WithoutAnIndexAGrowthThenAnAllocationRetireInOrder) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 0x10);
  const u32 b = Allocate(0x1100, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1000, 0x200));  // a grows over b: b goes
  const u32 c = Allocate(0x1180, 0x10);          // then c over a: a goes
  ASSERT_FALSE(registry_.index_built());
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{b, a}));
  EXPECT_EQ(registry_.FindLiveContaining(0x1184)->id, c);
}

TEST_F(ShimRegistry, WithoutAnIndexAGrowthRetiresAnOlderAllocation) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 0x10);
  const u32 c = Allocate(0x1180, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1000, 0x200));  // a grows over c, allocated before: c goes
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{c}));
  EXPECT_EQ(registry_.FindLiveContaining(0x1184)->id, a);
}

TEST_F(ShimRegistry, WithoutAnIndexTwoGrowthsAfterOneAllocationRetireInOrder) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 0x10);
  const u32 b = Allocate(0x1020, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1020, 0x100));  // b grows first
  ASSERT_TRUE(registry_.Resize(0x1000, 0x40));   // then a, over b's start: b goes
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{b}));
  EXPECT_EQ(registry_.FindLiveContaining(0x1030)->id, a);
}

// A region resized in place while it is the latest change keeps its place in the order of changes
// without a stamp of its own; one resized after another change is stamped after it.
TEST_F(ShimRegistry, WithoutAnIndexGrowthsOfTheLatestChangeKeepTheirOrder) {
  expect_retirements_ = true;
  const u32 a = Allocate(0x1000, 0x10);
  const u32 b = Allocate(0x1100, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1100, 0x20));   // b, the latest change, grows
  ASSERT_TRUE(registry_.Resize(0x1100, 0x30));   // and again
  ASSERT_TRUE(registry_.Resize(0x1000, 0x200));  // then a, over b: b goes
  const u32 c = Allocate(0x1180, 0x10);          // then c over a: a goes
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{b, a}));
  EXPECT_EQ(registry_.FindLiveContaining(0x1184)->id, c);
}

TEST_F(ShimRegistry, WithoutAnIndexAnAllocationAfterGrowthsOfTheLatestChangeRetiresIt) {
  expect_retirements_ = true;
  const u32 older = Allocate(0x1300, 0x10);
  const u32 a = Allocate(0x1000, 0x10);
  ASSERT_TRUE(registry_.Resize(0x1000, 0x100));  // a, the latest change, grows
  ASSERT_TRUE(registry_.Resize(0x1000, 0x400));  // over older, allocated before: older goes
  const u32 b = Allocate(0x1080, 0x10);          // then b over a: a goes
  registry_.ResolveOverlaps();
  EXPECT_EQ(retired_.ids, (std::vector<u32>{older, a}));
  EXPECT_EQ(registry_.FindLiveContaining(0x1084)->id, b);
}

TEST_F(ShimRegistry, GrowingInPlaceRetiresWhatItNowCovers) {
  expect_retirements_ = true;
  Allocate(0x1000, 0);
  const u32 next = Allocate(0x1001, 16);
  ASSERT_TRUE(registry_.Resize(0x1000, 4));
  EXPECT_EQ(registry_.Lookup(0x1000, 4).state, VS_LIVE);
  EXPECT_EQ(retired_.ids, (std::vector<u32>{next}));
}

TEST_F(ShimRegistry, IndexIsDroppedWhenNoQueryComesAndRebuiltWhenOneDoes) {
  Allocate(0x100, 8);
  registry_.ResolveOverlaps();
  ASSERT_TRUE(registry_.index_built());
  for (u32 i = 0; i < 10000; ++i) {
    Allocate(0x1000 + 16 * (i % 64), 8);
    Release(0x1000 + 16 * (i % 64));
  }
  EXPECT_FALSE(registry_.index_built());  // the logs would have outgrown the live regions
  EXPECT_EQ(StateOf(0x100, 8), VS_LIVE);
  EXPECT_TRUE(registry_.index_built());
  EXPECT_EQ(StateOf(0x1000, 8), VS_FREED);
}

TEST_F(ShimRegistry, ReleaseOfANonStartChangesNothing) {
  Allocate(0x1000, 16);
  Region released;
  EXPECT_FALSE(registry_.Release(0x1008, 0, &released));
  EXPECT_FALSE(registry_.Release(0x3000, 0, &released));
  EXPECT_EQ(registry_.live_count(), 1u);
  EXPECT_EQ(registry_.quarantine().size(), 0u);
}

TEST_F(ShimRegistry, SnapshotIsInAddressOrder) {
  Allocate(0x3000, 1);
  Allocate(0x1000, 2);
  Allocate(0x2000, 3);
  std::vector<u64> order;
  registry_.ForEachLive([&](const Region& region) { order.push_back(region.ptr); });
  EXPECT_EQ(order, (std::vector<u64>{0x1000, 0x2000, 0x3000}));
}

}  // namespace
}  // namespace viewsan
