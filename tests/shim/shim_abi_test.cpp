// The hooks and queries of shim_abi.h, called as the instrumented module and the JS runtime call
// them: allocation, free, realloc and their effect on lookups, ids and stats.
#include <cmath>
#include <cstddef>

#include "abi_fixture.h"

namespace viewsan_test {
namespace {

// The offsets shim_abi.h documents and runtime-shim/js/shim-layout.js mirrors.
static_assert(sizeof(vs_state) == 80, "");
static_assert(offsetof(vs_state, events_enabled) == 28, "");
static_assert(offsetof(vs_state, live_bytes) == 32, "");
static_assert(offsetof(vs_state, heap_low) == 56, "");
static_assert(offsetof(vs_state, check_epoch) == 64, "");
static_assert(offsetof(vs_state, last_alloc_id) == 68, "");
static_assert(offsetof(vs_state, unseen_frees) == 72, "");
static_assert(sizeof(vs_event) == 48, "");
static_assert(offsetof(vs_event, ptr) == 16, "");
static_assert(offsetof(vs_event, t) == 40, "");
static_assert(sizeof(vs_event_ring) == 32, "");
static_assert(offsetof(vs_event_ring, read) == 24, "");
static_assert(sizeof(vs_result) == 88, "");
static_assert(offsetof(vs_result, ptr) == 24, "");
static_assert(offsetof(vs_result, newer_alloc_id) == 40, "");
static_assert(offsetof(vs_result, from_pages) == 64, "");
static_assert(offsetof(vs_result, grow_site) == 80, "");
static_assert(sizeof(vs_region_record) == 32, "");

class ShimAbi : public AbiTest {};

TEST_F(ShimAbi, FreshShimHasNothing) {
  EXPECT_EQ(state().allocs, 0u);
  EXPECT_EQ(state().live_bytes, 0);
  EXPECT_TRUE(std::isinf(state().heap_low));
  EXPECT_EQ(vs_lookup(0x1000, 4), VS_UNALLOCATED);
  EXPECT_EQ(vs_alloc_status(1), VS_UNKNOWN_ID);
  EXPECT_EQ(vs_regions_snapshot(), 0u);
}

TEST_F(ShimAbi, AllocFreeLookup) {
  Alloc(0x1000, 32, 5);
  EXPECT_EQ(vs_lookup(0x1008, 8), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(result().ptr, 0x1000);
  EXPECT_EQ(result().size, 32);
  EXPECT_EQ(result().alloc_site, 5);
  EXPECT_EQ(result().free_site, VS_SITE_UNKNOWN);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);

  Free(0x1000, 6);
  EXPECT_EQ(vs_lookup(0x1008, 8), VS_FREED);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(result().free_site, 6);
  EXPECT_EQ(result().frees_ago, 0u);
  EXPECT_EQ(vs_alloc_status(1), VS_FREED);
  EXPECT_EQ(vs_describe_alloc(1), VS_FREED);
  EXPECT_EQ(result().alloc_site, 5);
  EXPECT_TRUE(imports().errors.empty());
}

TEST_F(ShimAbi, ReuseAtTheSameAddress) {
  Alloc(0x1000, 32, 1);
  const uint32_t a = IdAt(0x1000);
  Free(0x1000, 2);
  Alloc(0x1000, 16, 3);
  const uint32_t b = IdAt(0x1000);
  EXPECT_NE(a, b);
  EXPECT_EQ(result().generation, 1u);

  EXPECT_EQ(vs_alloc_status(a), VS_REUSED);
  EXPECT_EQ(vs_describe_alloc(a), VS_REUSED);
  EXPECT_EQ(result().alloc_id, a);
  EXPECT_EQ(result().generation, 0u);
  EXPECT_EQ(result().free_site, 2);
  EXPECT_EQ(result().newer_alloc_id, b);
  EXPECT_EQ(result().newer_alloc_site, 3);
  EXPECT_EQ(result().newer_ptr, 0x1000);
  EXPECT_EQ(result().newer_size, 16);
  EXPECT_EQ(vs_alloc_status(b), VS_LIVE);
}

TEST_F(ShimAbi, StaleAndUnknownIds) {
  vs_configure(0, 0);  // no quarantine: a freed id is forgotten at once
  Alloc(0x1000, 8);
  Free(0x1000);
  EXPECT_EQ(vs_alloc_status(1), VS_UNKNOWN_ID);
  EXPECT_EQ(vs_describe_alloc(1), VS_UNKNOWN_ID);
  EXPECT_EQ(result().alloc_id, 0u);
  EXPECT_EQ(vs_alloc_status(0), VS_UNKNOWN_ID);
  EXPECT_EQ(vs_alloc_status(77), VS_UNKNOWN_ID);
}

TEST_F(ShimAbi, StraddlingRanges) {
  Alloc(0x1000, 16);
  Alloc(0x1010, 16);
  EXPECT_EQ(vs_lookup(0x100C, 8), VS_STRADDLES);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(vs_lookup(0x0FFC, 8), VS_STRADDLES);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(vs_lookup(0x1018, 16), VS_STRADDLES);
  EXPECT_EQ(result().alloc_id, 2u);
  EXPECT_EQ(vs_lookup(0x1020, 16), VS_UNALLOCATED);
}

TEST_F(ShimAbi, ReallocThatMovesFreesTheOldAllocation) {
  Alloc(0x1000, 16, 1);
  const uint32_t epoch = state().free_epoch;
  Realloc(0x1000, 0x2000, 64, 2);
  EXPECT_EQ(vs_lookup(0x2000, 64), VS_LIVE);
  const uint32_t moved = result().alloc_id;
  EXPECT_EQ(moved, 2u);
  EXPECT_EQ(result().alloc_site, 2);
  EXPECT_EQ(vs_alloc_status(1), VS_FREED);
  EXPECT_EQ(vs_describe_alloc(1), VS_FREED);
  EXPECT_EQ(result().free_site, 2);
  EXPECT_EQ(state().free_epoch, epoch + 1);
  EXPECT_EQ(state().reallocs, 1u);
  EXPECT_EQ(state().allocs, 1u);
  EXPECT_EQ(state().frees, 0u);
  EXPECT_EQ(state().live_bytes, 64);
}

TEST_F(ShimAbi, ReallocInPlaceResizes) {
  Alloc(0x1000, 16);
  const uint32_t epoch = state().free_epoch;
  Realloc(0x1000, 0x1000, 64);
  EXPECT_EQ(vs_lookup(0x1000, 64), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(result().generation, 0u);
  EXPECT_EQ(state().free_epoch, epoch);  // nothing stopped being owned
  EXPECT_EQ(state().live_bytes, 64);

  Realloc(0x1000, 0x1000, 8);
  EXPECT_EQ(vs_lookup(0x1000, 16), VS_STRADDLES);
  EXPECT_EQ(state().free_epoch, epoch + 1);  // the tail did
  EXPECT_EQ(state().live_bytes, 8);
  EXPECT_EQ(state().peak_bytes, 64);
  EXPECT_EQ(state().reallocs, 2u);
}

TEST_F(ShimAbi, ReallocOfNullIsMalloc) {
  Realloc(0, 0x1000, 16, 4);
  EXPECT_EQ(vs_lookup(0x1000, 16), VS_LIVE);
  EXPECT_EQ(result().alloc_site, 4);
  EXPECT_EQ(state().allocs, 1u);
  EXPECT_EQ(state().reallocs, 0u);
}

TEST_F(ShimAbi, FailedReallocLeavesTheOldBlock) {
  Alloc(0x1000, 16);
  Realloc(0x1000, 0, 1 << 30);
  EXPECT_EQ(vs_alloc_status(1), VS_LIVE);
  EXPECT_EQ(state().live_bytes, 16);
  EXPECT_EQ(state().reallocs, 0u);
}

TEST_F(ShimAbi, ReallocToZeroReturningNullFrees) {
  Alloc(0x1000, 16);
  Realloc(0x1000, 0, 0, 8);
  EXPECT_EQ(vs_describe_alloc(1), VS_FREED);
  EXPECT_EQ(result().free_site, 8);
  EXPECT_EQ(state().frees, 1u);
}

TEST_F(ShimAbi, ReallocToZeroReturningAPointerKeepsAZeroSizeRegion) {
  Alloc(0x1000, 16);
  Realloc(0x1000, 0x1000, 0);
  EXPECT_EQ(vs_lookup(0x1000, 0), VS_LIVE);
  EXPECT_EQ(result().size, 0);
  EXPECT_EQ(vs_lookup(0x1000, 1), VS_STRADDLES);
}

TEST_F(ShimAbi, ZeroSizeAllocationIsALiveRegion) {
  Alloc(0x1000, 0);  // malloc(0) or calloc(0, n) returning a unique pointer
  Alloc(0x1010, 8);
  EXPECT_EQ(state().allocs, 2u);
  EXPECT_EQ(vs_lookup(0x1000, 0), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(vs_lookup(0x0FF0, 0x24), VS_STRADDLES);  // about 0x1010, not the empty one
  EXPECT_EQ(result().alloc_id, 2u);
  Free(0x1000);
  EXPECT_TRUE(imports().errors.empty());
  EXPECT_EQ(vs_alloc_status(1), VS_FREED);
}

TEST_F(ShimAbi, CallocIsAllocWithTheProduct) {
  Alloc(0x1000, 10 * 4);  // calloc(10, 4)
  EXPECT_EQ(vs_lookup(0x1000, 40), VS_LIVE);
  EXPECT_EQ(vs_lookup(0x1000, 41), VS_STRADDLES);
}

TEST_F(ShimAbi, FailedAllocationRecordsNothing) {
  Alloc(0, 64);
  Alloc(0, 0);
  EXPECT_EQ(state().allocs, 0u);
  EXPECT_EQ(vs_regions_snapshot(), 0u);
  EXPECT_TRUE(std::isinf(state().heap_low));
  Alloc(0x1000, 8);
  EXPECT_EQ(IdAt(0x1000), 1u);  // no id was spent on the failures
}

TEST_F(ShimAbi, AllocOverALiveRegionRetiresIt) {
  // A free the hooks did not see (partial coverage): the allocator hands the bytes out again.
  Alloc(0x1000, 32, 1);
  const uint32_t epoch = state().free_epoch;
  Alloc(0x1010, 32, 2);
  EXPECT_EQ(vs_describe_alloc(1), VS_REUSED);
  EXPECT_EQ(result().free_site, VS_SITE_UNKNOWN);
  EXPECT_EQ(result().newer_alloc_id, 2u);
  EXPECT_EQ(state().free_epoch, epoch + 1);
  EXPECT_EQ(state().live_bytes, 32);
  EXPECT_EQ(state().frees, 0u);
}

TEST_F(ShimAbi, PointersPast2GiBAreUnsigned) {
  Alloc(0x90000000u, 0x100);
  Alloc(0xFFFFFF00u, 0x100);  // the last bytes of a 4 GiB memory
  EXPECT_EQ(vs_lookup(0x90000000u, 0x100), VS_LIVE);
  EXPECT_EQ(vs_lookup(0xFFFFFF80u, 0x80), VS_LIVE);
  EXPECT_EQ(result().ptr, 0xFFFFFF00u);
  EXPECT_EQ(state().heap_low, 0x90000000u);
  Free(0x90000000u);
  EXPECT_EQ(vs_lookup(0x90000010u, 4), VS_FREED);
  Realloc(0xFFFFFF00u, 0xA0000000u, 0x80000000u);  // size as unsigned too
  EXPECT_EQ(vs_lookup(0xA0000000u, 0x80000000u), VS_LIVE);
  EXPECT_EQ(state().live_bytes, 2147483648.0);
}

TEST_F(ShimAbi, Hooks64AboveFourGiB) {
  vs_configure(1, -1);
  const int64_t base = int64_t{5} << 32;
  vs_hook_alloc64(base, 4096, 1);
  vs_hook_alloc64(base + 4096, int64_t{3} << 32, 2);  // a 12 GiB region
  EXPECT_EQ(vs_lookup(static_cast<double>(base + 100), 8), VS_LIVE);
  EXPECT_EQ(result().alloc_id, 1u);
  EXPECT_EQ(vs_lookup(static_cast<double>(base + (int64_t{3} << 32)), 4096), VS_LIVE);
  EXPECT_EQ(result().size, static_cast<double>(int64_t{3} << 32));
  EXPECT_EQ(state().heap_low, static_cast<double>(base));

  vs_hook_free64(base, 3);
  EXPECT_EQ(vs_lookup(static_cast<double>(base + 100), 8), VS_FREED);
  EXPECT_EQ(result().free_site, 3);
  vs_hook_free64(base, 4);
  ASSERT_EQ(imports().errors.size(), 1u);
  EXPECT_EQ(imports().errors[0].kind, static_cast<uint32_t>(VS_ERR_DOUBLE_FREE));
  EXPECT_EQ(imports().errors[0].ptr, static_cast<double>(base));

  vs_hook_realloc64(base + 4096, base + (int64_t{1} << 40), 64, 5);
  EXPECT_EQ(vs_alloc_status(2), VS_UNKNOWN_ID);  // 12 GiB freed: more than the quarantine holds
  EXPECT_EQ(vs_lookup(static_cast<double>(base + (int64_t{1} << 40)), 64), VS_LIVE);
  EXPECT_EQ(state().live_bytes, 64);

  vs_hook_grow_begin64(1 << 20, 6);
  vs_hook_grow_end64(int64_t{1} << 17, 1 << 20, 6);
  ASSERT_EQ(vs_grow_record(0), 1u);
  EXPECT_EQ(result().from_pages, 131072);
  EXPECT_EQ(result().to_pages, 131072 + 1048576);
}

TEST_F(ShimAbi, StatsFollowEveryHook) {
  vs_configure(1, -1);
  Alloc(0x2000, 100);
  Alloc(0x1000, 50);
  Alloc(0x3000, 10);
  Free(0x2000);
  Realloc(0x1000, 0x1000, 70);
  Free(0x2000);  // double free
  EXPECT_EQ(state().allocs, 3u);
  EXPECT_EQ(state().frees, 1u);
  EXPECT_EQ(state().reallocs, 1u);
  EXPECT_EQ(state().errors, 1u);
  EXPECT_EQ(state().free_epoch, 1u);
  EXPECT_EQ(state().live_bytes, 80);
  EXPECT_EQ(state().peak_bytes, 160);
  EXPECT_EQ(state().quarantine_bytes, 100);
  EXPECT_EQ(state().heap_low, 0x1000);
}

TEST_F(ShimAbi, ViewsRecheckAfterEveryAllocationOnlyWhenCoverageIsPartial) {
  // Partial coverage: an allocation may reuse bytes freed where no hook saw, which the shim finds
  // out only at its next query; views must ask before they trust their allocation again.
  Alloc(0x1000, 16);
  EXPECT_EQ(state().check_epoch, 1u);
  EXPECT_EQ(state().free_epoch, 0u);
  Realloc(0x1000, 0x1000, 32);  // grown in place
  EXPECT_EQ(state().check_epoch, 2u);
  Free(0x1000);
  EXPECT_EQ(state().free_epoch, 1u);
  EXPECT_EQ(state().check_epoch, 3u);

  vs_configure(1, -1);  // complete coverage: every free is seen, allocations never overlap
  Alloc(0x2000, 16);
  Realloc(0x2000, 0x2000, 64);
  EXPECT_EQ(state().check_epoch, 3u);
  Free(0x2000);
  EXPECT_EQ(state().check_epoch, 4u);
  EXPECT_EQ(state().free_epoch, 2u);
}

TEST_F(ShimAbi, StatusFindsWhatAnOverlappingAllocationRetired) {
  Alloc(0x1000, 32, 1);
  Alloc(0x1010, 32, 2);  // the first was freed where no hook saw
  EXPECT_EQ(vs_alloc_status(1), VS_REUSED);
  EXPECT_EQ(vs_alloc_status(2), VS_LIVE);
  EXPECT_EQ(state().live_bytes, 32);
}

TEST_F(ShimAbi, QuarantineBytesAreConfigurable) {
  vs_configure(0, 100);
  Alloc(0x1000, 60);
  Alloc(0x2000, 60);
  Free(0x1000);
  EXPECT_EQ(state().quarantine_bytes, 60);
  Free(0x2000);
  EXPECT_EQ(state().quarantine_bytes, 60);  // the first went
  EXPECT_EQ(vs_alloc_status(1), VS_UNKNOWN_ID);
  vs_configure(0, -1);  // back to the default
  Alloc(0x3000, 1000);
  Free(0x3000);
  EXPECT_EQ(state().quarantine_bytes, 1060);
}

TEST_F(ShimAbi, LookupDistrustsItsNumbers) {
  Alloc(0x1000, 16);
  EXPECT_EQ(vs_lookup(-1, 4), VS_UNALLOCATED);
  EXPECT_EQ(vs_lookup(NAN, 4), VS_UNALLOCATED);
  EXPECT_EQ(vs_lookup(1e300, 4), VS_UNALLOCATED);
  EXPECT_EQ(vs_lookup(0x1000, NAN), VS_LIVE);  // no length: the address alone
  EXPECT_EQ(vs_lookup(0x1000, 1e300), VS_STRADDLES);
}

TEST_F(ShimAbi, SnapshotListsLiveRegionsInAddressOrder) {
  Alloc(0x3000, 30, 3);
  Alloc(0x1000, 10, 1);
  Alloc(0x2000, 20, 2);
  Free(0x2000);
  ASSERT_EQ(vs_regions_snapshot(), 2u);
  const vs_region_record* records = reinterpret_cast<const vs_region_record*>(vs_snapshot_ptr());
  EXPECT_EQ(records[0].ptr, 0x1000);
  EXPECT_EQ(records[0].size, 10);
  EXPECT_EQ(records[0].alloc_id, 2u);
  EXPECT_EQ(records[0].alloc_site, 1);
  EXPECT_EQ(records[1].ptr, 0x3000);
  EXPECT_EQ(records[1].alloc_id, 1u);
  EXPECT_EQ(records[1].generation, 0u);
}

TEST_F(ShimAbi, SharedStructuresStayPut) {
  const uintptr_t state_at = vs_state_ptr();
  const uintptr_t result_at = vs_result_ptr();
  const uintptr_t events_at = vs_events_ptr();
  for (uint32_t i = 1; i <= 10000; ++i)
    Alloc(i * 16, 16);
  EXPECT_EQ(vs_state_ptr(), state_at);
  EXPECT_EQ(vs_result_ptr(), result_at);
  EXPECT_EQ(vs_events_ptr(), events_at);
}

}  // namespace
}  // namespace viewsan_test
