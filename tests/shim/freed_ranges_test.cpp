// FreedRanges: a later free paints over an earlier one; forgetting one unpaints only its pieces.
#include "freed_ranges.h"

#include <gtest/gtest.h>

#include <deque>

namespace viewsan {
namespace {

class ShimFreedRanges : public ::testing::Test {
 protected:
  const Region* Free(u64 ptr, u64 size) {
    regions_.emplace_back();
    Region& region = regions_.back();
    region.ptr = ptr;
    region.size = size;
    region.id = static_cast<u32>(regions_.size());
    ranges_.Add(&region);
    return &region;
  }
  u32 IdAt(u64 addr) {
    const Region* region = ranges_.Find(addr);
    return region ? region->id : 0;
  }

  std::deque<Region> regions_;
  FreedRanges ranges_;
};

TEST_F(ShimFreedRanges, FindsTheRegionHoldingAnAddress) {
  Free(0x100, 0x10);
  Free(0x200, 0x10);
  EXPECT_EQ(IdAt(0x0FF), 0u);
  EXPECT_EQ(IdAt(0x100), 1u);
  EXPECT_EQ(IdAt(0x10F), 1u);
  EXPECT_EQ(IdAt(0x110), 0u);
  EXPECT_EQ(IdAt(0x208), 2u);
}

TEST_F(ShimFreedRanges, LaterFreeInsideSplitsTheEarlierOne) {
  Free(0x100, 0x100);
  Free(0x140, 0x40);
  EXPECT_EQ(IdAt(0x13F), 1u);
  EXPECT_EQ(IdAt(0x140), 2u);
  EXPECT_EQ(IdAt(0x17F), 2u);
  EXPECT_EQ(IdAt(0x180), 1u);
  EXPECT_EQ(IdAt(0x1FF), 1u);
}

TEST_F(ShimFreedRanges, LaterFreeOverBothEndsKeepsTheRest) {
  Free(0x100, 0x40);  // [0x100, 0x140)
  Free(0x180, 0x40);  // [0x180, 0x1C0)
  Free(0x120, 0x80);  // [0x120, 0x1A0) over the tail of 1 and the head of 2
  EXPECT_EQ(IdAt(0x11F), 1u);
  EXPECT_EQ(IdAt(0x120), 3u);
  EXPECT_EQ(IdAt(0x19F), 3u);
  EXPECT_EQ(IdAt(0x1A0), 2u);
  EXPECT_EQ(IdAt(0x1BF), 2u);
}

TEST_F(ShimFreedRanges, LaterFreeCoveringEverythingReplacesIt) {
  Free(0x100, 0x10);
  Free(0x120, 0x10);
  Free(0x000, 0x1000);
  EXPECT_EQ(IdAt(0x105), 3u);
  EXPECT_EQ(IdAt(0x125), 3u);
}

TEST_F(ShimFreedRanges, ForgettingUnpaintsOnlyThatRegion) {
  const Region* first = Free(0x100, 0x100);
  const Region* second = Free(0x140, 0x40);
  EXPECT_EQ(IdAt(0x100), 1u);  // paints both
  ranges_.Forget(first);
  EXPECT_EQ(IdAt(0x100), 0u);
  EXPECT_EQ(IdAt(0x1C0), 0u);
  EXPECT_EQ(IdAt(0x150), 2u);
  ranges_.Forget(second);
  EXPECT_EQ(IdAt(0x150), 0u);
}

TEST_F(ShimFreedRanges, ForgettingBeforeAnyLookupNeverPaints) {
  const Region* first = Free(0x100, 0x100);
  const Region* second = Free(0x100, 0x10);
  ranges_.Forget(first);
  EXPECT_EQ(IdAt(0x180), 0u);
  EXPECT_EQ(IdAt(0x108), 2u);
  ranges_.Forget(second);
  EXPECT_EQ(IdAt(0x108), 0u);
}

TEST_F(ShimFreedRanges, ZeroSizeRegionOwnsNoBytes) {
  const Region* empty = Free(0x100, 0);
  EXPECT_EQ(IdAt(0x100), 0u);
  ranges_.Forget(empty);
  EXPECT_EQ(IdAt(0x100), 0u);
}

}  // namespace
}  // namespace viewsan
