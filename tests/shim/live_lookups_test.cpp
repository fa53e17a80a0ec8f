// Lookups of live bytes, as the JS runtime makes one for each view it guards: answered from the
// table of live regions where no overlap awaits resolution, from the address index otherwise.
#include "abi_fixture.h"

namespace viewsan_test {
namespace {

class ShimLiveLookups : public AbiTest {};

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

}  // namespace
}  // namespace viewsan_test
