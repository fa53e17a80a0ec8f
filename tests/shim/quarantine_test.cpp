// Quarantine bounds and order, on its own and as the registry uses it.
#include "quarantine.h"

#include <gtest/gtest.h>

#include <deque>
#include <utility>
#include <vector>

#include "region_registry.h"
#include "xorshift.h"

namespace viewsan {
namespace {

class ShimQuarantine : public ::testing::Test {
 protected:
  // Pushes a region of `size` bytes with the next id.
  void Push(Quarantine& quarantine, u64 size) {
    quarantine.Push({0x1000, size, ++last_id_, 0, VS_SITE_UNKNOWN, VS_SITE_UNKNOWN});
  }
  static std::vector<u32> Drain(Quarantine& quarantine) {
    std::vector<u32> ids;
    while (const u32 id = quarantine.PopExcess())
      ids.push_back(id);
    return ids;
  }

  u32 last_id_ = 0;
};

TEST_F(ShimQuarantine, KeepsEverythingWithinBounds) {
  Quarantine quarantine(1000, 100);
  for (int i = 0; i < 10; ++i)
    Push(quarantine, 100);
  EXPECT_TRUE(Drain(quarantine).empty());
  EXPECT_EQ(quarantine.bytes(), 1000u);
  EXPECT_EQ(quarantine.size(), 10u);
}

TEST_F(ShimQuarantine, OverBytesDrainsOldestFirstToNinetyPercent) {
  Quarantine quarantine(1000, 100);
  for (int i = 0; i < 11; ++i)
    Push(quarantine, 100);  // 1100 bytes
  EXPECT_EQ(Drain(quarantine), (std::vector<u32>{1, 2}));
  EXPECT_EQ(quarantine.bytes(), 900u);
  Push(quarantine, 50);  // 950: within bounds again, nothing goes
  EXPECT_TRUE(Drain(quarantine).empty());
}

TEST_F(ShimQuarantine, OverCountDrainsToNinetyPercent) {
  Quarantine quarantine(1 << 20, 10);
  for (int i = 0; i < 11; ++i)
    Push(quarantine, 0);
  EXPECT_EQ(Drain(quarantine), (std::vector<u32>{1, 2}));
  EXPECT_EQ(quarantine.size(), 9u);
}

TEST_F(ShimQuarantine, OneRegionLargerThanTheBoundPassesStraightThrough) {
  Quarantine quarantine(1000, 100);
  Push(quarantine, 100);
  Push(quarantine, 5000);
  EXPECT_EQ(Drain(quarantine), (std::vector<u32>{1, 2}));
  EXPECT_EQ(quarantine.bytes(), 0u);
}

TEST_F(ShimQuarantine, ZeroBytesKeepsNothingNotEvenZeroSizeRegions) {
  Quarantine quarantine(0, 100);
  Push(quarantine, 0);
  Push(quarantine, 16);
  EXPECT_EQ(Drain(quarantine), (std::vector<u32>{1, 2}));
  EXPECT_EQ(quarantine.size(), 0u);
}

// Over either bound, the oldest regions go until both are back to 90%, and only then: through
// growth and wraps of the ring, with sizes of every scale and zero, the quarantine forgets what a
// plain FIFO of (id, size) would.
TEST_F(ShimQuarantine, ForgetsWhatAFifoWithTheSameBoundsWould) {
  Quarantine quarantine(50000, 300);
  std::deque<std::pair<u32, u64>> model;  // id, size
  u64 model_bytes = 0;
  viewsan_test::Xorshift64 xorshift(0x2545F4914F6CDD1D);
  for (int step = 0; step < 20000; ++step) {
    const u64 random = xorshift.Next();
    const u64 scale = (random & 1) ? 64 : (random & 2) ? 4000 : 12000;
    const u64 size = (random & 28) == 0 ? 0 : (random >> 8) % scale;
    Push(quarantine, size);
    model.emplace_back(last_id_, size);
    model_bytes += size;
    std::vector<u32> expected;
    if (model_bytes > 50000 || model.size() > 300) {
      while (!model.empty() && (model_bytes > 45000 || model.size() > 270)) {
        expected.push_back(model.front().first);
        model_bytes -= model.front().second;
        model.pop_front();
      }
    }
    ASSERT_EQ(Drain(quarantine), expected) << step;
    ASSERT_EQ(quarantine.bytes(), model_bytes) << step;
    ASSERT_EQ(quarantine.size(), model.size()) << step;
  }
}

TEST_F(ShimQuarantine, LoweringTheBoundDrainsAtOnce) {
  RegionRegistry registry(1 << 20, 100);
  Region released;
  for (u64 i = 0; i < 10; ++i) {
    registry.Allocate(0x1000 * (i + 1), 100, 0);
    registry.Release(0x1000 * (i + 1), 0, &released);
  }
  EXPECT_EQ(registry.quarantine().bytes(), 1000u);
  registry.SetQuarantineBytes(500);
  EXPECT_EQ(registry.quarantine().bytes(), 400u);  // whole regions, down to 450 or below
  EXPECT_EQ(registry.Describe(6).state, VS_UNKNOWN_ID);
  EXPECT_EQ(registry.Describe(7).state, VS_FREED);
  EXPECT_EQ(registry.remembered_count(), 4u);
}

TEST_F(ShimQuarantine, EvictionForgetsTheRegionEverywhere) {
  RegionRegistry registry(256, 100);
  Region released;
  for (u64 i = 0; i < 5; ++i) {
    registry.Allocate(0x1000 + 0x100 * i, 0x80, 0);
    registry.Release(0x1000 + 0x100 * i, 0, &released);
  }
  // 128-byte regions against 256 bytes, drained to 225: the third free pushed out the first
  // two, the fifth the next two.
  EXPECT_EQ(registry.quarantine().size(), 1u);
  for (u32 id = 1; id <= 4; ++id)
    EXPECT_EQ(registry.Describe(id).state, VS_UNKNOWN_ID) << id;
  EXPECT_EQ(registry.Lookup(0x1000, 4).state, VS_UNALLOCATED);
  EXPECT_FALSE(registry.FindFreedAt(0x1300).has_value());
  EXPECT_EQ(registry.Lookup(0x1400, 4).state, VS_FREED);
}

TEST_F(ShimQuarantine, RecordsKeepTheirPositionsAsTheRingGrows) {
  Quarantine quarantine(1 << 20, 1000);
  for (int i = 0; i < 300; ++i)
    Push(quarantine, 1);
  EXPECT_EQ(quarantine.pushed(), 300u);
  EXPECT_EQ(quarantine.popped(), 0u);
  EXPECT_EQ(quarantine.At(0).id, 1u);
  EXPECT_EQ(quarantine.At(299).id, 300u);
  EXPECT_EQ(quarantine.At(299).size, 1u);
}

TEST_F(ShimQuarantine, RegionBoundHoldsWhateverTheBytes) {
  Quarantine quarantine(u64{1} << 40, 100);
  for (int i = 0; i < 100000; ++i) {
    Push(quarantine, 16);
    Drain(quarantine);
    ASSERT_LE(quarantine.size(), 100u);
  }
  EXPECT_EQ(quarantine.popped() + quarantine.size(), 100000u);
  EXPECT_EQ(quarantine.At(quarantine.pushed() - 1).id, 100000u);  // the newest stays
}

}  // namespace
}  // namespace viewsan
