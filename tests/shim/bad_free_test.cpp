// Double and invalid frees with complete coverage: judged before the registry changes, recorded,
// and only then reported through vs_on_error, which may throw. What partial coverage changes is in
// partial_coverage_free_test.cpp.
#include "abi_fixture.h"

namespace viewsan_test {
namespace {

class ShimBadFree : public AbiTest {
 protected:
  void SetUp() override {
    AbiTest::SetUp();
    vs_configure(1, -1);
  }

  static void ExpectOneError(uint32_t kind, uint32_t ptr, int32_t site) {
    ASSERT_EQ(imports().errors.size(), 1u);
    EXPECT_EQ(imports().errors[0].kind, kind);
    EXPECT_EQ(imports().errors[0].ptr, ptr);
    EXPECT_EQ(imports().errors[0].site, site);
  }
};

TEST_F(ShimBadFree, FreeOfNullIsFine) {
  Free(0);
  EXPECT_TRUE(imports().errors.empty());
  EXPECT_EQ(state().frees, 0u);
}

TEST_F(ShimBadFree, DoubleFree) {
  Alloc(0x1000, 32, 1);
  Free(0x1000, 2);
  Free(0x1000, 3);
  ExpectOneError(VS_ERR_DOUBLE_FREE, 0x1000, 3);
  EXPECT_EQ(imports().errors[0].alloc_id, 1u);  // the verdict names the region freed first
  EXPECT_EQ(state().errors, 1u);
  EXPECT_EQ(state().frees, 1u);
  // The report's details are ready when vs_on_error runs: the region freed the first time.
  EXPECT_EQ(result().state, VS_FREED);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(result().alloc_site, 1);
  EXPECT_EQ(result().free_site, 2);
  EXPECT_EQ(result().frees_ago, 0u);
  EXPECT_EQ(vs_describe_alloc(1), VS_FREED);
  EXPECT_EQ(result().free_site, 2);  // the second free changed nothing
}

TEST_F(ShimBadFree, DoubleFreeOfAZeroSizeAllocation) {
  Alloc(0x1000, 0);
  Free(0x1000);
  Free(0x1000, 4);
  ExpectOneError(VS_ERR_DOUBLE_FREE, 0x1000, 4);
}

TEST_F(ShimBadFree, FreeOfAReusedAddressFreesTheNewAllocation) {
  Alloc(0x1000, 32);
  Free(0x1000);
  Alloc(0x1000, 32);
  Free(0x1000);
  EXPECT_TRUE(imports().errors.empty());
  EXPECT_EQ(state().frees, 2u);
}

TEST_F(ShimBadFree, FreeOfAFreedStartNowInsideANewerAllocationIsInvalid) {
  Alloc(0x1010, 16);
  Free(0x1010);
  Alloc(0x1000, 64);  // covers the freed region's start
  Free(0x1010, 5);
  ExpectOneError(VS_ERR_INVALID_FREE, 0x1010, 5);
  EXPECT_EQ(result().state, VS_LIVE);
  EXPECT_EQ(result().alloc_id, 2u);
}

TEST_F(ShimBadFree, InteriorPointerIsInvalid) {
  Alloc(0x1000, 64, 1);
  Free(0x1020, 6);  // aligned as the allocator's pointers are: complete coverage needs no more
  ExpectOneError(VS_ERR_INVALID_FREE, 0x1020, 6);
  EXPECT_EQ(imports().errors[0].alloc_id, 1u);  // the live allocation the pointer is inside
  EXPECT_EQ(result().state, VS_LIVE);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);  // still live: the free was not done
  EXPECT_EQ(state().live_bytes, 64);
  EXPECT_EQ(state().free_epoch, 0u);
  EXPECT_EQ(state().unseen_frees, 0u);
}

TEST_F(ShimBadFree, UnknownPointerIsInvalid) {
  Alloc(0x1000, 32);
  Free(0x5000, 8);
  ExpectOneError(VS_ERR_INVALID_FREE, 0x5000, 8);
  EXPECT_EQ(imports().errors[0].alloc_id, 0u);
  EXPECT_EQ(result().state, VS_UNALLOCATED);
  EXPECT_EQ(result().alloc_id, 0u);
}

TEST_F(ShimBadFree, ForgottenRegionsAreNoLongerDoubleFrees) {
  vs_configure(1, 0);
  Alloc(0x1000, 32);
  Free(0x1000);
  Free(0x1000, 9);  // the quarantine is off: nothing remembers 0x1000 was freed
  ExpectOneError(VS_ERR_INVALID_FREE, 0x1000, 9);
}

TEST_F(ShimBadFree, ReallocOfAFreedPointerIsADoubleFree) {
  Alloc(0x1000, 32);
  Free(0x1000);
  Realloc(0x1000, 0x2000, 64, 3);
  ExpectOneError(VS_ERR_DOUBLE_FREE, 0x1000, 3);
  EXPECT_EQ(vs_lookup(0x2000, 64), VS_LIVE);  // the new block is tracked all the same
  EXPECT_EQ(state().reallocs, 1u);
  EXPECT_EQ(state().errors, 1u);
}

TEST_F(ShimBadFree, ReallocOfAnInteriorPointerIsInvalid) {
  Alloc(0x1000, 32);
  Realloc(0x1010, 0x2000, 64, 4);
  ExpectOneError(VS_ERR_INVALID_FREE, 0x1010, 4);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);
}

TEST_F(ShimBadFree, OnErrorRunsAfterRecording) {
  EnableEvents();
  Alloc(0x1000, 32);
  Free(0x1000);
  Free(0x1000, 3);
  ASSERT_EQ(imports().errors.size(), 1u);
  EXPECT_EQ(imports().errors[0].errors_seen, 1u);
  const vs_event& last = event(static_cast<uint64_t>(ring().written) - 1);
  EXPECT_EQ(last.kind, static_cast<uint32_t>(VS_EV_BAD_FREE));
  EXPECT_EQ(last.aux, static_cast<uint32_t>(VS_ERR_DOUBLE_FREE));
  EXPECT_EQ(last.alloc_id, 1u);
  EXPECT_EQ(last.ptr, 0x1000);
  EXPECT_EQ(last.site, 3);
}

TEST_F(ShimBadFree, AThrowingOnErrorLeavesTheShimConsistent) {
  imports().throw_on_error = true;  // as JS does with halt_on_error
  Alloc(0x1000, 32);
  Free(0x1000);
  EXPECT_THROW(Free(0x1000), OnErrorThrew);
  EXPECT_THROW(Realloc(0x1000, 0x2000, 16), OnErrorThrew);
  EXPECT_EQ(state().errors, 2u);
  EXPECT_EQ(vs_lookup(0x2000, 16), VS_LIVE);  // recorded before the throw
  Free(0x2000);
  Alloc(0x1000, 8);
  EXPECT_EQ(IdAt(0x1000), 3u);
  EXPECT_EQ(result().generation, 1u);
}

}  // namespace
}  // namespace viewsan_test
