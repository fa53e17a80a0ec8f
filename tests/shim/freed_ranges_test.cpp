// FreedRanges: a later free paints over an earlier one, splitting or replacing what it covers.
// Which owners are still remembered is the registry's business (region_registry_test.cpp).
#include "freed_ranges.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

class ShimFreedRanges : public ::testing::Test {
 protected:
  u32 Free(u64 ptr, u64 size) {
    ranges_.Paint(ptr, ptr + size, ++last_id_);
    return last_id_;
  }
  u32 IdAt(u64 addr) const { return ranges_.Find(addr); }

  FreedRanges ranges_;
  u32 last_id_ = 0;
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
  EXPECT_EQ(ranges_.pieces(), 3u);
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
  EXPECT_EQ(ranges_.pieces(), 1u);
}

TEST_F(ShimFreedRanges, ZeroSizeRegionOwnsNoBytes) {
  Free(0x100, 0);
  EXPECT_EQ(IdAt(0x100), 0u);
  EXPECT_EQ(ranges_.pieces(), 0u);
}

TEST_F(ShimFreedRanges, ClearForgetsEverything) {
  Free(0x100, 0x10);
  ranges_.Clear();
  EXPECT_EQ(IdAt(0x100), 0u);
  EXPECT_EQ(ranges_.pieces(), 0u);
}

}  // namespace
}  // namespace viewsan
