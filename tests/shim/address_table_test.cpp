// The table of live regions the hooks work on (address_table.h): 16-byte entries for 32-bit
// regions, whole ones for the rest, side maps for generations and resizes, homes by address
// window, removal without tombstones.
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "address_table.h"
#include "xorshift.h"

namespace viewsan {
namespace {

LiveEntry Region(u64 ptr, u64 size, u32 id) {
  LiveEntry entry;
  entry.ptr = ptr;
  entry.size = size;
  entry.live_id = id;
  entry.alloc_site = static_cast<s32>(id % 7) - 2;
  return entry;
}

void ExpectSame(const LiveEntry& want, const LiveEntry& got) {
  EXPECT_EQ(want.ptr, got.ptr);
  EXPECT_EQ(want.size, got.size);
  EXPECT_EQ(want.live_id, got.live_id);
  EXPECT_EQ(want.alloc_site, got.alloc_site);
  EXPECT_EQ(want.generation, got.generation);
  EXPECT_EQ(want.resized_at, got.resized_at);
}

// A table that fits the caches (2 MiB of 16-byte entries) grows once half full; a larger one,
// once three quarters full.
TEST(ShimAddressTable, FillsFurtherOnceItOutgrowsTheCaches) {
  AddressTable table;
  u64 ptr = 0x10000;
  auto fill_to = [&](u64 count) {
    while (table.size() < count) {
      ASSERT_TRUE(table.Insert(Region(ptr, 8, static_cast<u32>(table.size() + 1))));
      ptr += 16;
    }
  };
  fill_to(512);
  EXPECT_EQ(table.capacity(), 1024u);
  fill_to(513);
  EXPECT_EQ(table.capacity(), 2048u);
  fill_to(65536);
  EXPECT_EQ(table.capacity(), 131072u);
  fill_to(98304);
  EXPECT_EQ(table.capacity(), 131072u);
  fill_to(98305);
  EXPECT_EQ(table.capacity(), 262144u);
  LiveEntry found;
  for (u64 p = 0x10000; p < ptr; p += 16)
    ASSERT_TRUE(table.Find(p, &found) && found.ptr == p);
}

// Removal moves later entries of a run back: churn at the table's fullest, with addresses that
// share windows and collide in runs, must leave every live entry findable and nothing else.
TEST(ShimAddressTable, FindsExactlyTheLiveStartsThroughChurn) {
  AddressTable table;
  std::map<u64, LiveEntry> live;
  viewsan_test::Xorshift64 random(0x9E3779B97F4A7C15);
  for (u32 step = 1; step <= 200000; ++step) {
    const u64 ptr = 0x10000 + 8 * (random.Next() % 3000);  // about 1,500 live, 16 to a window
    auto it = live.find(ptr);
    if (it != live.end()) {
      LiveEntry taken;
      ASSERT_TRUE(table.Take(ptr, &taken));
      ExpectSame(it->second, taken);
      live.erase(it);
    } else {
      const LiveEntry entry = Region(ptr, step, step);
      ASSERT_TRUE(table.Insert(entry));
      live[ptr] = entry;
    }
    ASSERT_EQ(table.size(), live.size());
  }
  u64 seen = 0;
  table.ForEach([&](const LiveEntry& entry) {
    ++seen;
    ExpectSame(live.at(entry.ptr), entry);
  });
  EXPECT_EQ(seen, live.size());
  for (u64 i = 0; i < 3000; ++i)
    EXPECT_EQ(table.Contains(0x10000 + 8 * i), live.count(0x10000 + 8 * i) == 1);
}

// Past 2 MiB the table homes regions by window: 256 bytes, or 32 starts of the alignment all
// pointers share. Churn there must leave every live start findable and nothing else, packed 8
// bytes apart (32 to a window) or 1 byte apart (an allocator that aligns nothing).
void ChurnAWindowedTable(u64 stride) {
  AddressTable table;
  constexpr u64 kStarts = 300000;  // about 200,000 live
  std::vector<u32> live_id(kStarts, 0);
  viewsan_test::Xorshift64 random(7);
  u64 live = 0;
  for (u32 step = 1; step <= 600000; ++step) {
    const u64 i = random.Next() % kStarts;
    const u64 ptr = 0x100000 + stride * i;
    if (live_id[i] != 0 && random.Next() % 3 == 0) {
      LiveEntry taken;
      ASSERT_TRUE(table.Take(ptr, &taken));
      ASSERT_EQ(taken.live_id, live_id[i]);
      live_id[i] = 0;
      --live;
    } else if (live_id[i] == 0) {
      ASSERT_TRUE(table.Insert(Region(ptr, stride, step)));
      live_id[i] = step;
      ++live;
    }
  }
  ASSERT_EQ(table.size(), live);
  ASSERT_GE(table.capacity(), 262144u);  // windowed
  LiveEntry found;
  for (u64 i = 0; i < kStarts; ++i) {
    const bool is_live = table.Find(0x100000 + stride * i, &found);
    ASSERT_EQ(is_live, live_id[i] != 0) << i;
    if (is_live) {
      ASSERT_EQ(found.live_id, live_id[i]);
    }
  }
}

TEST(ShimAddressTable, FindsExactlyTheLiveStartsInAWindowedTable) { ChurnAWindowedTable(8); }

TEST(ShimAddressTable, FindsExactlyTheLiveStartsOfAnAllocatorThatAlignsNothing) {
  ChurnAWindowedTable(1);
}

TEST(ShimAddressTable, ARegionStartsOnceWhicheverTableHoldsIt) {
  AddressTable table;
  const u64 high = u64{5} << 32;  // memory64, past 4 GiB
  const u64 huge = u64{3} << 30;  // a 3 GiB region at a low address
  ASSERT_TRUE(table.Insert(Region(0x1000, 16, 1)));
  ASSERT_TRUE(table.Insert(Region(high, 16, 2)));
  ASSERT_TRUE(table.Insert(Region(0x2000, huge, 3)));
  ASSERT_TRUE(table.Insert(Region(0xFFFFFFFF, 1, 4)));  // the last byte of a 4 GiB memory32
  EXPECT_FALSE(table.Insert(Region(0x1000, u64{2} << 30, 5)));  // would go wide; 0x1000 is live
  EXPECT_FALSE(table.Insert(Region(0x2000, 16, 6)));           // would go narrow; 0x2000 is live
  EXPECT_FALSE(table.Insert(Region(high, 16, 7)));
  EXPECT_EQ(table.size(), 4u);

  LiveEntry found;
  ASSERT_TRUE(table.Find(0x2000, &found));
  ExpectSame(Region(0x2000, huge, 3), found);
  ASSERT_TRUE(table.Find(high, &found));
  ExpectSame(Region(high, 16, 2), found);
  ASSERT_TRUE(table.Find(0xFFFFFFFF, &found));
  EXPECT_EQ(found.live_id, 4u);
  EXPECT_FALSE(table.Contains(high + 16));

  LiveEntry taken;
  ASSERT_TRUE(table.Take(0x2000, &taken));
  EXPECT_EQ(taken.size, huge);
  EXPECT_FALSE(table.Contains(0x2000));
  ASSERT_TRUE(table.Insert(Region(0x2000, 16, 8)));
  EXPECT_EQ(table.size(), 4u);
}

// Generations and resizes, flagged in a 16-byte entry, come back with it; a region that grows
// past 1 GiB in place moves to the whole entries, keeping both.
TEST(ShimAddressTable, KeepsGenerationsAndResizesThroughGrowthInPlace) {
  AddressTable table;
  ASSERT_TRUE(table.Insert(Region(0x1000, 64, 1)));
  ASSERT_TRUE(table.SetGeneration(0x1000, 3));
  LiveEntry before;
  ASSERT_TRUE(table.Resize(0x1000, 128, u64{7} << 32 | 1, &before));
  EXPECT_EQ(before.size, 64u);
  EXPECT_EQ(before.generation, 3u);
  EXPECT_EQ(before.resized_at, 0u);

  LiveEntry found;
  ASSERT_TRUE(table.Find(0x1000, &found));
  EXPECT_EQ(found.size, 128u);
  EXPECT_EQ(found.generation, 3u);
  EXPECT_EQ(found.resized_at, u64{7} << 32 | 1);

  ASSERT_TRUE(table.Resize(0x1000, u64{2} << 30, u64{7} << 32 | 2, &before));
  EXPECT_EQ(before.size, 128u);
  ASSERT_TRUE(table.Find(0x1000, &found));
  EXPECT_EQ(found.size, u64{2} << 30);
  EXPECT_EQ(found.generation, 3u);
  EXPECT_EQ(found.resized_at, u64{7} << 32 | 2);
  EXPECT_EQ(table.size(), 1u);

  EXPECT_FALSE(table.Resize(0x2000, 8, 1, &before));
  EXPECT_FALSE(table.SetGeneration(0x2000, 1));
}

// A resize in place with no stamp changes the size alone: the stamp and the generation stay.
TEST(ShimAddressTable, AResizeWithoutAStampKeepsTheOneBefore) {
  AddressTable table;
  ASSERT_TRUE(table.Insert(Region(0x1000, 64, 1)));
  LiveEntry before;
  ASSERT_TRUE(table.Resize(0x1000, 128, 0, &before));
  LiveEntry found;
  ASSERT_TRUE(table.Find(0x1000, &found));
  EXPECT_EQ(found.size, 128u);
  EXPECT_EQ(found.resized_at, 0u);

  ASSERT_TRUE(table.SetGeneration(0x1000, 2));
  ASSERT_TRUE(table.Resize(0x1000, 256, u64{9} << 32 | 1, &before));
  ASSERT_TRUE(table.Resize(0x1000, 512, 0, &before));
  EXPECT_EQ(before.size, 256u);
  ASSERT_TRUE(table.Find(0x1000, &found));
  EXPECT_EQ(found.size, 512u);
  EXPECT_EQ(found.generation, 2u);
  EXPECT_EQ(found.resized_at, u64{9} << 32 | 1);

  ASSERT_TRUE(table.Resize(0x1000, u64{2} << 30, 0, &before));  // past 1 GiB: a whole entry
  ASSERT_TRUE(table.Resize(0x1000, u64{3} << 30, 0, &before));
  ASSERT_TRUE(table.Find(0x1000, &found));
  EXPECT_EQ(found.size, u64{3} << 30);
  EXPECT_EQ(found.generation, 2u);
  EXPECT_EQ(found.resized_at, u64{9} << 32 | 1);
}

// The side maps start over as flagged regions come and go; the flagged ones left keep their
// values, and regions reusing an address do not inherit a value left there.
TEST(ShimAddressTable, SideMapsForgetWhatNoLiveRegionIsFlaggedFor) {
  AddressTable table;
  std::map<u64, LiveEntry> live;
  viewsan_test::Xorshift64 random(42);
  for (u32 step = 1; step <= 100000; ++step) {
    const u64 ptr = 0x10000 + 16 * (random.Next() % 4000);
    auto it = live.find(ptr);
    if (it == live.end()) {
      const LiveEntry entry = Region(ptr, 32, step);
      ASSERT_TRUE(table.Insert(entry));
      live[ptr] = entry;
      continue;
    }
    switch (random.Next() % 3) {
      case 0: {
        LiveEntry taken;
        ASSERT_TRUE(table.Take(ptr, &taken));
        ExpectSame(it->second, taken);
        live.erase(it);
        break;
      }
      case 1:
        ASSERT_TRUE(table.SetGeneration(ptr, step));
        it->second.generation = step;
        break;
      default: {
        LiveEntry before;
        ASSERT_TRUE(table.Resize(ptr, step % 4096, step, &before));
        ExpectSame(it->second, before);
        it->second.size = step % 4096;
        it->second.resized_at = step;
      }
    }
  }
  u64 seen = 0;
  table.ForEach([&](const LiveEntry& entry) {
    ++seen;
    ExpectSame(live.at(entry.ptr), entry);
  });
  EXPECT_EQ(seen, live.size());
  // Bounded by the flagged regions (at most 4,000 live), not by the 100,000 steps.
  EXPECT_LT(table.memory_bytes(), u64{1} << 20);
}

}  // namespace
}  // namespace viewsan
