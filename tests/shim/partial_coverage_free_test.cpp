// Frees with partial coverage: the instrumenter could not verify that every allocation path
// reaches a hook, so allocations, frees and in-place changes may happen where no hook sees them.
// A free that such activity explains is counted (vs_state.unseen_frees), not reported; what it
// cannot explain still is. Each rule is tested both ways.
#include "abi_fixture.h"

namespace viewsan_test {
namespace {

class ShimPartialCoverage : public AbiTest {
 protected:
  void SetUp() override {
    AbiTest::SetUp();
    vs_configure(0, -1);
  }
  static void ExpectNoError() {
    EXPECT_TRUE(imports().errors.empty());
    EXPECT_EQ(state().errors, 0u);
  }
};

TEST_F(ShimPartialCoverage, ASecondFreeMayFreeWhatAnUnseenAllocationReturned) {
  Alloc(0x1000, 32, 1);
  Free(0x1000, 2);
  // An allocation path no hook watches returned 0x1000 again, and this frees it.
  Free(0x1000, 3);
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
  EXPECT_EQ(state().frees, 1u);
  EXPECT_EQ(vs_describe_alloc(1), VS_FREED);
  EXPECT_EQ(result().free_site, 2);  // the seen free stays the region's
}

TEST_F(ShimPartialCoverage, AFreeOfAPointerNoHookSawAllocatedIsUnseen) {
  Alloc(0x1000, 32);
  Free(0x5000, 7);
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);
}

// memalign over a hooked malloc: the hook saw malloc return the over-sized chunk at 0x1000,
// memalign handed out 0x1040 from it and gave the head back to the allocator where no hook saw.
TEST_F(ShimPartialCoverage, AnAlignedFreeInsideALiveRegionRetiresIt) {
  Alloc(0x1000, 0x80, 1);
  Free(0x1040, 4);
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
  EXPECT_EQ(vs_alloc_status(1), VS_FREED);  // freed where no hook saw
  EXPECT_EQ(vs_describe_alloc(1), VS_FREED);
  EXPECT_EQ(result().free_site, VS_SITE_UNKNOWN);
  EXPECT_EQ(state().free_epoch, 1u);  // views over it must look again
  EXPECT_EQ(vs_lookup(0x1000, 0x80), VS_FREED);
  // The head is handed out again, and freed, as seen allocations.
  Alloc(0x1000, 0x20, 5);
  Free(0x1000, 6);
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
}

TEST_F(ShimPartialCoverage, AMisalignedFreeInsideALiveRegionIsStillInvalid) {
  Alloc(0x1000, 0x40, 1);
  Alloc(0x1050, 0x40, 1);  // every pointer returned is a multiple of 16
  Free(0x1008, 6);         // no allocation of this allocator, seen or not, starts there
  ASSERT_EQ(imports().errors.size(), 1u);
  EXPECT_EQ(imports().errors[0].kind, static_cast<uint32_t>(VS_ERR_INVALID_FREE));
  EXPECT_EQ(imports().errors[0].ptr, 0x1008);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);  // not retired: the free was not done
  EXPECT_EQ(state().unseen_frees, 0u);
  // Aligned, the same free is explained by an allocation no hook saw.
  Free(0x1060, 7);
  EXPECT_EQ(imports().errors.size(), 1u);
  EXPECT_EQ(vs_alloc_status(2), VS_FREED);
  EXPECT_EQ(state().unseen_frees, 1u);
}

TEST_F(ShimPartialCoverage, AlignmentIsLearnedFromReallocsToo) {
  Alloc(0x1000, 0x40);
  Realloc(0x1000, 0x2004, 0x40);  // a 4-aligned pointer: 0x1008 could now start an allocation
  Alloc(0x3000, 0x40);
  Free(0x3008);
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
}

// A realloc shrank region 1 in place where no hook saw, and malloc handed out its old tail.
TEST_F(ShimPartialCoverage, AFreeOfARegionRetiredByAnOverlapIsUnseen) {
  Alloc(0x1000, 0x40, 1);
  Alloc(0x1020, 0x20, 2);                 // overlaps region 1: retired at the next query
  EXPECT_EQ(vs_lookup(0x1020, 0x20), VS_LIVE);
  EXPECT_EQ(vs_alloc_status(1), VS_REUSED);
  Free(0x1000, 3);                        // the shrunk block, freed at last
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
  EXPECT_EQ(vs_alloc_status(2), VS_LIVE);
}

TEST_F(ShimPartialCoverage, AReallocOfAnInteriorPointerRetiresTheRegionAndTracksTheNewBlock) {
  Alloc(0x1000, 0x80);
  Realloc(0x1040, 0x4000, 0x100, 4);
  ExpectNoError();
  EXPECT_EQ(state().unseen_frees, 1u);
  EXPECT_EQ(vs_alloc_status(1), VS_FREED);
  EXPECT_EQ(vs_lookup(0x4000, 0x100), VS_LIVE);
  EXPECT_EQ(state().reallocs, 1u);
}

TEST_F(ShimPartialCoverage, CompleteCoverageReportsWhatPartialExplains) {
  vs_configure(1, -1);
  Alloc(0x1000, 0x80, 1);
  Free(0x1040, 2);  // invalid-free
  Alloc(0x2000, 0x20, 1);
  Free(0x2000, 3);
  Free(0x2000, 4);  // double-free
  Free(0x5000, 5);  // invalid-free
  ASSERT_EQ(imports().errors.size(), 3u);
  EXPECT_EQ(imports().errors[0].kind, static_cast<uint32_t>(VS_ERR_INVALID_FREE));
  EXPECT_EQ(imports().errors[1].kind, static_cast<uint32_t>(VS_ERR_DOUBLE_FREE));
  EXPECT_EQ(imports().errors[2].kind, static_cast<uint32_t>(VS_ERR_INVALID_FREE));
  EXPECT_EQ(state().unseen_frees, 0u);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);
}

}  // namespace
}  // namespace viewsan_test
