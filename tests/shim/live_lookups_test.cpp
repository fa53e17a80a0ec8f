// Lookups of live bytes, as the JS runtime makes one for each view it guards: answered from the
// table of live regions where no overlap awaits resolution, from the address index otherwise.
#include <cmath>

#include "abi_fixture.h"
#include "xorshift.h"

namespace viewsan_test {
namespace {

class ShimLiveLookups : public AbiTest {
 protected:
  static uint32_t LiveIdAsLookupSays(uint32_t ptr, uint32_t len);
  static void ExpectHoldingAgreesWithLookup(bool coverage_complete, uint64_t seed);
};

TEST_F(ShimLiveLookups, LiveLookupsBuildNoIndexWhenCoverageIsComplete) {
  // The address index orders every live region: a program that allocates thousands of times
  // between two views would rebuild it at each. With every free seen, no overlap awaits, and the
  // table of live regions answers a view's range near its allocation's start.
  vs_configure(1, -1);
  for (uint32_t i = 0; i < 1000; ++i)
    Alloc(0x10000 + 64 * i, 48, 7);
  EXPECT_EQ(vs_lookup(0x10000 + 64 * 500 + 8, 40), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 501u);
  EXPECT_EQ(result().ptr, 0x10000 + 64 * 500);
  EXPECT_EQ(result().size, 48);
  EXPECT_EQ(result().alloc_site, 7);
  EXPECT_EQ(vs_lookup(0x10000, 0), VS_LIVE);
  EXPECT_FALSE(viewsan::TheShim().registry().index_built());
  // What is not live bytes of one region is the index's to say.
  EXPECT_EQ(vs_lookup(0x10000 + 40, 16), VS_STRADDLES);
  EXPECT_TRUE(viewsan::TheShim().registry().index_built());
}

TEST_F(ShimLiveLookups, LiveLookupsOfJustChangedRegionsBuildNoIndexWhenCoverageIsPartial) {
  // An unseen free may have left regions that a newer allocation overlaps, which only the index
  // resolves (retiring the older). A region among the latest changes, none after it meeting it,
  // is not one of those: a glue views the block it has just allocated.
  for (uint32_t i = 0; i < 1000; ++i)
    Alloc(0x10000 + 64 * i, 48, 7);
  Realloc(0x10000 + 64 * 10, 0x10000 + 64 * 10, 56);  // changed again, in place
  Alloc(0x80000, 8);
  EXPECT_EQ(vs_lookup(0x10000 + 64 * 10 + 8, 48), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 11u);
  EXPECT_EQ(vs_lookup(0x10000 + 64 * 999 + 8, 8), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 1000u);
  EXPECT_FALSE(viewsan::TheShim().registry().index_built());
  // Changed before the latest few: the index answers.
  EXPECT_EQ(vs_lookup(0x10000 + 64 * 500 + 8, 8), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 501u);
  EXPECT_TRUE(viewsan::TheShim().registry().index_built());
}

TEST_F(ShimLiveLookups, ALookupResolvesANewerOverlapFirstWhenCoverageIsPartial) {
  for (uint32_t i = 0; i < 4; ++i)
    Alloc(0x10000 + 64 * i, 48);
  Alloc(0x10000 + 64 * 3 + 16, 8);  // inside region 4, which was freed unseen
  EXPECT_EQ(vs_lookup(0x10000 + 64 * 3, 8), VS_REUSED);  // not region 4's live bytes
  EXPECT_EQ(result().alloc_id, 4u);
  EXPECT_EQ(result().newer_alloc_id, 5u);
  vs_configure(1, -1);  // every free seen: that overlap could not be, and is not looked for
  Alloc(0x20000, 48);
  Alloc(0x20000 + 16, 8);
  EXPECT_EQ(vs_lookup(0x20000, 8), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 6u);
}

// vs_live_id_holding: the id vs_lookup would give as LIVE, and 0 wherever it would say anything
// else, from either path (the table near ptr, or the index after resolving overlaps).
uint32_t ShimLiveLookups::LiveIdAsLookupSays(uint32_t ptr, uint32_t len) {
  return vs_lookup(ptr, len) == VS_LIVE ? result().alloc_id : 0;
}

void ShimLiveLookups::ExpectHoldingAgreesWithLookup(bool coverage_complete, uint64_t seed) {
  vs_configure(coverage_complete ? 1 : 0, -1);
  Xorshift64 random(seed);
  constexpr uint32_t kBase = 0x10000;
  constexpr uint32_t kSlots = 512;  // 64-byte slots
  // Every free seen, live regions are disjoint; else a region may run over the next slots', which
  // an allocation there overlaps: freed unseen.
  const uint32_t max_size = coverage_complete ? 64 : 200;
  bool live[kSlots] = {};
  for (int step = 0; step < 4000; ++step) {
    const uint32_t slot = random.Below(kSlots);
    const uint32_t ptr = kBase + 64 * slot;
    const uint32_t size = random.Below(8) == 0 ? 0 : 1 + random.Below(max_size);
    switch (random.Below(4)) {
      case 0:
      case 1:
        // With partial coverage, over a live region: its free went unseen.
        if (coverage_complete && live[slot])
          Free(ptr);
        Alloc(ptr, size);
        live[slot] = true;
        break;
      case 2:
        if (live[slot])
          Free(ptr);
        live[slot] = false;
        break;
      case 3:
        if (live[slot])
          Realloc(ptr, ptr, size);
        break;
    }
    // The first query after a change resolves what overlaps it may: each check goes first in
    // turn, so that both meet unresolved overlaps.
    const auto check_holding = [&] {
      for (int probe = 0; probe < 3; ++probe) {
        const uint32_t at = kBase + random.Below(64 * kSlots + 256);
        const uint32_t len = random.Below(4) == 0 ? 0 : 1 + random.Below(96);
        const uint32_t holding = vs_live_id_holding(at, len);
        ASSERT_EQ(holding, LiveIdAsLookupSays(at, len))
            << "step " << step << ", [" << at << ", +" << len << ")";
      }
    };
    // vs_alloc_status says what vs_describe_alloc would: of any allocation, and of those this
    // step's change may overlap (the regions starting in the slots just below).
    const auto check_status = [&] {
      uint32_t ids[4] = {};
      for (uint32_t below = 1; below < 4; ++below)
        ids[below - 1] = slot >= below ? vs_live_id_at(ptr - 64 * below) : 0;
      ids[3] = 1 + random.Below(state().last_alloc_id);  // last: it may resolve the others'

      for (const uint32_t id : ids) {
        if (id == 0)
          continue;
        const uint32_t status = vs_alloc_status(id);
        ASSERT_EQ(status, vs_describe_alloc(id)) << "step " << step << ", id " << id;
      }
    };
    if (state().last_alloc_id == 0)
      continue;
    if (step % 2 == 0) {
      check_holding();
      check_status();
    } else {
      check_status();
      check_holding();
    }
    if (HasFatalFailure())
      return;
  }
}

TEST_F(ShimLiveLookups, LiveIdHoldingAgreesWithLookupWhenCoverageIsComplete) {
  ExpectHoldingAgreesWithLookup(true, 0x5eed);
}

TEST_F(ShimLiveLookups, LiveIdHoldingAgreesWithLookupWhenCoverageIsPartial) {
  ExpectHoldingAgreesWithLookup(false, 0xfeed);
}

TEST_F(ShimLiveLookups, StatusOfALiveAllocationBuildsNoIndex) {
  // A view kept over an allocation asks for its status at its first use after any free: the live
  // ids answer, where no overlap awaits resolution.
  for (uint32_t i = 0; i < 1000; ++i)
    Alloc(0x10000 + 64 * i, 48);
  Free(0x10000);
  EXPECT_EQ(vs_alloc_status(1000), VS_LIVE);  // the latest change, none after it
  EXPECT_FALSE(viewsan::TheShim().registry().index_built());
  EXPECT_EQ(vs_alloc_status(500), VS_LIVE);  // changed long ago: the index resolves first
  EXPECT_TRUE(viewsan::TheShim().registry().index_built());
  viewsan::ResetShimForTesting();
  vs_configure(1, -1);  // every free seen
  for (uint32_t i = 0; i < 1000; ++i)
    Alloc(0x10000 + 64 * i, 48);
  Free(0x10000);
  EXPECT_EQ(vs_alloc_status(500), VS_LIVE);
  EXPECT_FALSE(viewsan::TheShim().registry().index_built());
  EXPECT_EQ(vs_alloc_status(1), VS_FREED);  // freed, or reused: the index tells
}

TEST_F(ShimLiveLookups, StatusResolvesAnOverlapFirstWhenCoverageIsPartial) {
  Alloc(0x10000, 200);
  Alloc(0x10040, 16);  // inside region 1, which was freed unseen
  EXPECT_EQ(vs_alloc_status(2), VS_LIVE);
  EXPECT_EQ(vs_alloc_status(1), VS_REUSED);
}

TEST_F(ShimLiveLookups, LiveIdHoldingResolvesAnOverlapBeforeAnsweringFromTheIndex) {
  for (uint32_t i = 0; i < 4; ++i)
    Alloc(0x10000 + 64 * i, 48);
  Alloc(0x10000 + 64 * 3 + 16, 8);  // inside region 4, which was freed unseen
  for (uint32_t i = 0; i < 32; ++i)  // region 5 is no longer among the latest changes
    Alloc(0x20000 + 64 * i, 48);
  EXPECT_EQ(vs_live_id_holding(0x10000 + 64 * 3, 8), 0u);  // region 4 is retired, not live
  EXPECT_EQ(vs_live_id_holding(0x10000 + 64 * 3 + 16, 8), 5u);
  EXPECT_EQ(vs_alloc_status(4), VS_REUSED);
}

TEST_F(ShimLiveLookups, LiveIdHoldingCountsNoGenerationAndLeavesTheResultAlone) {
  // A generation is counted when the shim is first asked for it, back through the regions freed
  // at that address that the quarantine still remembers. vs_lookup asks; vs_live_id_holding,
  // made for every view a glue makes, does not.
  vs_configure(1, 100);
  Alloc(0x1000, 60);
  Free(0x1000);
  Alloc(0x1000, 60);  // 2: the second at 0x1000
  EXPECT_EQ(vs_lookup(0x1008, 8), VS_LIVE);
  EXPECT_EQ(result().generation, 1u);
  Alloc(0x3000, 30);
  Free(0x3000);
  Alloc(0x3000, 30);  // 4: the second at 0x3000
  EXPECT_EQ(vs_live_id_holding(0x3008, 8), 4u);
  EXPECT_EQ(result().alloc_id, 2u);  // still the lookup's
  Alloc(0x5000, 95);
  Free(0x5000);  // over 100 bytes: the quarantine forgets every record
  EXPECT_EQ(state().quarantine_bytes, 0);
  EXPECT_EQ(vs_describe_alloc(2), VS_LIVE);
  EXPECT_EQ(result().generation, 1u);  // counted while its predecessor was remembered
  EXPECT_EQ(vs_describe_alloc(4), VS_LIVE);
  EXPECT_EQ(result().generation, 0u);  // first counted now, with nothing remembered before it
}

TEST_F(ShimLiveLookups, LiveIdHoldingDistrustsItsNumbers) {
  Alloc(0x1000, 16);
  EXPECT_EQ(vs_live_id_holding(-1, 4), 0u);
  EXPECT_EQ(vs_live_id_holding(NAN, 4), 0u);
  EXPECT_EQ(vs_live_id_holding(1e300, 4), 0u);
  EXPECT_EQ(vs_live_id_holding(0x1000, NAN), 1u);  // no length: the address alone
  EXPECT_EQ(vs_live_id_holding(0x1000, 1e300), 0u);
}

}  // namespace
}  // namespace viewsan_test
