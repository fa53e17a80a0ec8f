// The registry's hot tables and the lazy structures behind them: generations that survive tens
// of thousands of other addresses, address histories that are forgotten only when nothing is
// remembered there, memory that stays bounded whatever the allocator's address pattern, freed
// regions found by address and by id after their index starts over, and ids that skip the cells
// of long-lived regions.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "region_registry.h"
#include "xorshift.h"

namespace viewsan {
namespace {

constexpr u64 kLargeQuarantine = u64{1} << 30;

TEST(ShimRegistryTables, GenerationsSurviveTensOfThousandsOfOtherAddresses) {
  RegionRegistry registry(kLargeQuarantine, u64{1} << 20);
  for (u32 i = 0; i < 3; ++i) {
    registry.Allocate(0x1000, 8, 0);
    ASSERT_TRUE(registry.Release(0x1000, 0));
  }
  // Tens of thousands of other addresses, each allocated and freed: the tables grow and prune.
  for (u64 i = 0; i < 50000; ++i) {
    registry.Allocate(0x100000 + 16 * i, 8, 0);
    ASSERT_TRUE(registry.Release(0x100000 + 16 * i, 0));
  }
  const u32 id = registry.Allocate(0x1000, 8, 0);
  EXPECT_EQ(registry.Find(id)->generation, 3u);
  EXPECT_EQ(registry.FindLive(0x1000)->generation, 3u);
}

// A generation is counted when first read, back through the regions the quarantine remembers at
// that address, and fixed from then on.
TEST(ShimRegistryTables, AGenerationIsCountedWhenFirstReadAndThenFixed) {
  RegionRegistry registry(kLargeQuarantine, 16);  // remembers 16 freed regions
  for (u32 i = 0; i < 3; ++i) {
    registry.Allocate(0x1000, 8, 0);
    ASSERT_TRUE(registry.Release(0x1000, 0));
  }
  const u32 read_early = registry.Allocate(0x1000, 8, 0);
  EXPECT_EQ(registry.Find(read_early)->generation, 3u);
  ASSERT_TRUE(registry.Release(0x1000, 0));
  EXPECT_EQ(registry.Find(read_early)->generation, 3u);  // freed, and remembered
  for (u32 i = 0; i < 2; ++i) {
    registry.Allocate(0x3000, 8, 0);
    ASSERT_TRUE(registry.Release(0x3000, 0));
  }
  const u32 stays_live = registry.Allocate(0x3000, 8, 0);
  EXPECT_EQ(registry.Find(stays_live)->generation, 2u);
  for (u32 i = 0; i < 3; ++i) {
    registry.Allocate(0x2000, 8, 0);
    ASSERT_TRUE(registry.Release(0x2000, 0));
  }
  const u32 read_late = registry.Allocate(0x2000, 8, 0);
  // 32 frees elsewhere: the quarantine forgets every region freed at 0x1000 and 0x2000.
  for (u64 i = 0; i < 32; ++i) {
    registry.Allocate(0x100000 + 16 * i, 8, 0);
    ASSERT_TRUE(registry.Release(0x100000 + 16 * i, 0));
  }
  EXPECT_EQ(registry.Find(read_late)->generation, 0u);  // nothing remembered before it
  EXPECT_EQ(registry.Find(stays_live)->generation, 2u);  // counted while they were
  const u32 after = registry.Allocate(0x1000, 8, 0);
  EXPECT_EQ(registry.Find(after)->generation, 0u);
  EXPECT_FALSE(registry.Find(read_early).has_value());  // forgotten, with its generation
}

TEST(ShimRegistryTables, ARegionForgottenAsItIsFreedHasGenerationZero) {
  RegionRegistry registry(0, 16);  // the quarantine keeps nothing
  registry.Allocate(0x1000, 8, 0);
  Region released;
  ASSERT_TRUE(registry.Release(0x1000, 0, &released));
  EXPECT_EQ(released.generation, 0u);
  EXPECT_FALSE(registry.FindFreedAt(0x1000).has_value());
}

TEST(ShimRegistryTables, AHistoryIsForgottenOnlyWhenNothingThereIsRemembered) {
  RegionRegistry registry(kLargeQuarantine, 16);  // remembers 16 freed regions
  const u32 kept_live = registry.Allocate(0x2000, 8, 0);
  for (u32 i = 0; i < 2; ++i) {
    registry.Allocate(0x1000, 8, 0);
    ASSERT_TRUE(registry.Release(0x1000, 0));
  }
  for (u64 i = 0; i < 20000; ++i) {
    registry.Allocate(0x100000 + 16 * i, 8, 0);
    ASSERT_TRUE(registry.Release(0x100000 + 16 * i, 0));
  }
  // The frees at 0x1000 left the quarantine long ago: its history went when room was needed.
  EXPECT_EQ(registry.Find(registry.Allocate(0x1000, 8, 0))->generation, 0u);
  EXPECT_EQ(registry.Find(kept_live)->ptr, 0x2000u);
  // The latest address freed is still in quarantine: its history stays.
  const u64 last = 0x100000 + 16 * 19999;
  EXPECT_EQ(registry.Find(registry.Allocate(last, 8, 0))->generation, 1u);
}

TEST(ShimRegistryTables, MemoryStaysBoundedForAnAllocatorThatNeverReusesAnAddress) {
  RegionRegistry registry(kLargeQuarantine, 4096);
  u64 peak_memory = 0;
  for (u64 i = 0; i < 400000; ++i) {  // a bump allocator: every address is new
    const u64 ptr = 0x10000 + 32 * i;
    registry.Allocate(ptr, 24, 0);
    if (i >= 100) {
      ASSERT_TRUE(registry.Release(ptr - 3200, 0));  // about 100 live at any time
    }
    if (i % 10000 == 0)
      peak_memory = std::max(peak_memory, registry.memory_bytes());
  }
  EXPECT_LE(registry.remembered_count(), 100u + 4096u);
  EXPECT_LE(peak_memory, u64{4} << 20);
}

TEST(ShimRegistryTables, FreedRegionsAreFoundByAddressAndByIdAfterTheirIndexStartsOver) {
  RegionRegistry registry(kLargeQuarantine, 100);
  std::vector<u32> ids;
  for (u64 i = 0; i < 5000; ++i) {
    ids.push_back(registry.Allocate(0x10000 + 64 * i, 48, static_cast<s32>(i)));
    ASSERT_TRUE(registry.Release(0x10000 + 64 * i, 7));
    if (i % 997 == 0) {  // the lazy index is brought up to date now and then
      ASSERT_TRUE(registry.FindFreedAt(0x10000 + 64 * i).has_value());
    }
  }
  const std::optional<Region> recent = registry.FindFreedAt(0x10000 + 64 * 4990);
  ASSERT_TRUE(recent.has_value());
  EXPECT_EQ(recent->id, ids[4990]);
  EXPECT_EQ(recent->alloc_site, 4990);
  EXPECT_EQ(recent->free_site, 7);
  EXPECT_EQ(registry.Describe(ids[4990]).state, VS_FREED);
  EXPECT_FALSE(registry.FindFreedAt(0x10000).has_value());  // forgotten
  EXPECT_EQ(registry.Describe(ids[0]).state, VS_UNKNOWN_ID);
  EXPECT_EQ(registry.Lookup(0x10000 + 64 * 4999 + 8, 4).state, VS_FREED);
  EXPECT_EQ(registry.Lookup(0x10000 + 8, 4).state, VS_UNALLOCATED);
}

TEST(ShimRegistryTables, LongLivedRegionsStayFoundByIdWhateverCameSince) {
  RegionRegistry registry(kLargeQuarantine, 64);
  const u32 old = registry.Allocate(0x1000, 8, 0);
  u32 previous = old;
  for (u64 i = 0; i < 20000; ++i) {
    const u32 id = registry.Allocate(0x100000 + 16 * (i % 300), 8, 0);
    ASSERT_EQ(id, previous + 1);
    previous = id;
    ASSERT_TRUE(registry.Release(0x100000 + 16 * (i % 300), 0));
    if (i % 4999 == 0) {  // now and then someone asks, as views do
      ASSERT_EQ(registry.Describe(old).state, VS_LIVE);
    }
  }
  EXPECT_EQ(registry.Find(old)->ptr, 0x1000u);
  EXPECT_EQ(registry.Describe(old).state, VS_LIVE);
  EXPECT_FALSE(registry.Find(previous)->live());  // freed, still in quarantine
}

TEST(ShimRegistryTables, ALazyIndexStartingOverIsSizedForWhatItRefillsWith) {
  FlatMap<u64> map;
  map.Clear(50000);
  const u64 capacity = map.capacity();
  for (u64 key = 0; key < 50000; ++key) {
    ASSERT_FALSE(map.NeedsRoom()) << key;
    map.FindOrInsert(key * 4096) = key;
  }
  EXPECT_EQ(map.capacity(), capacity);
  EXPECT_LE(capacity, u64{1} << 17);  // and not more than twice what that takes
  EXPECT_EQ(*map.Find(4096 * 49999), 49999u);
  map.Clear();
  EXPECT_EQ(map.size(), 0u);
  EXPECT_EQ(map.Find(4096), nullptr);
}

TEST(ShimRegistryTables, ManyLiveRegionsGrowEveryTable) {
  RegionRegistry registry(kLargeQuarantine, u64{1} << 20);
  for (u64 i = 0; i < 100000; ++i)
    registry.Allocate(0x100000 + 48 * i, 40, static_cast<s32>(i % 1000));
  EXPECT_EQ(registry.live_count(), 100000u);
  for (u64 i = 0; i < 100000; i += 9973) {
    const Description d = registry.Lookup(0x100000 + 48 * i + 4, 8);
    ASSERT_EQ(d.state, VS_LIVE);
    EXPECT_EQ(d.region->ptr, 0x100000 + 48 * i);
    EXPECT_EQ(d.region->alloc_site, static_cast<s32>(i % 1000));
    EXPECT_EQ(registry.Find(d.region->id)->ptr, d.region->ptr);
  }
  for (u64 i = 0; i < 100000; ++i)
    ASSERT_TRUE(registry.Release(0x100000 + 48 * i, 1));
  EXPECT_EQ(registry.live_count(), 0u);
  EXPECT_EQ(registry.live_bytes(), 0u);
}

// Regions packed as an allocator packs them (sizes 0 to 300, 8-byte aligned, gaps between some),
// a third of them freed: LiveHoldingUnresolved answers without building the address index, the
// same as Lookup whenever it answers, and it answers every range a little way into a live region. With
// 200,000 regions the table of live regions hashes by window (past the caches); with 2,000, by
// address.
void ExpectNearStartsFoundWithoutTheIndex(u64 regions) {
  RegionRegistry registry(kLargeQuarantine, u64{1} << 20);
  viewsan_test::Xorshift64 random(regions);
  std::vector<std::pair<u64, u64>> live;
  u64 ptr = 0x10000;
  for (u64 i = 0; i < regions; ++i) {
    const u64 size = random.Below(301);
    registry.Allocate(ptr, size, 1);
    live.push_back({ptr, size});
    ptr += std::max<u64>((size + 7) / 8 * 8, 8) + (random.Below(4) == 0 ? 8 * random.Below(40) : 0);
  }
  for (u64 i = 0; i < live.size(); i += 3)
    ASSERT_TRUE(registry.Release(live[i].first, 2));

  struct Asked {
    u64 at, len;
    std::optional<Region> fast;
  };
  std::vector<Asked> asked;
  for (u64 i = 0; i < 20000; ++i) {
    const auto& [start, size] = live[random.Below(static_cast<uint32_t>(live.size()))];
    const u64 at = start + random.Below(static_cast<uint32_t>(size + 64));
    const u64 len = random.Below(64);
    asked.push_back({at, len, registry.LiveHoldingUnresolved(at, len, false)});
  }
  EXPECT_FALSE(registry.index_built());
  u64 found = 0;
  for (const Asked& a : asked) {
    if (!a.fast)
      continue;
    ++found;
    const Description full = registry.Lookup(a.at, a.len);
    ASSERT_EQ(full.state, VS_LIVE) << a.at << "+" << a.len;
    EXPECT_EQ(full.region->id, a.fast->id);
    EXPECT_EQ(full.region->ptr, a.fast->ptr);
    EXPECT_EQ(full.region->generation, a.fast->generation);
  }
  EXPECT_GT(found, 5000u);
  // Every range within a live region's first bytes is found.
  for (u64 i = 1; i < live.size(); i += 3) {
    const auto& [start, size] = live[i];
    if (size < 16)
      continue;
    const std::optional<Region> fast = registry.LiveHoldingUnresolved(start + size / 2, size / 2, false);
    ASSERT_TRUE(fast) << start;
    EXPECT_EQ(fast->ptr, start);
  }
  // A range that runs past its region, or starts in a gap, is left to Lookup.
  EXPECT_FALSE(registry.LiveHoldingUnresolved(live[1].first, live[1].second + 1, false));
  EXPECT_FALSE(registry.LiveHoldingUnresolved(live[0].first, 1, false));  // freed
}

TEST(ShimRegistryTables, LiveBytesNearTheirStartAreFoundWithoutTheAddressIndex) {
  ExpectNearStartsFoundWithoutTheIndex(2000);
  ExpectNearStartsFoundWithoutTheIndex(200000);
}

// Queries after many frees scan the quarantine instead of indexing it, up to a budget: a registry
// asked once in a long while answers as one asked after every step.
TEST(ShimRegistryTables, FreedRegionsAreDescribedTheSameScannedOrIndexed) {
  RegionRegistry often(kLargeQuarantine, u64{1} << 20);
  RegionRegistry seldom(kLargeQuarantine, u64{1} << 20);
  viewsan_test::Xorshift64 random(7);
  std::vector<u64> live;
  std::vector<u32> ids;
  const auto same = [&](u64 addr) {
    const Description a = often.Lookup(addr, 4);
    const Description b = seldom.Lookup(addr, 4);
    ASSERT_EQ(a.state, b.state) << std::hex << addr;
    ASSERT_EQ(a.region.has_value(), b.region.has_value());
    if (a.region) {
      EXPECT_EQ(a.region->id, b.region->id);
      EXPECT_EQ(a.region->generation, b.region->generation);
      EXPECT_EQ(a.region->free_seq, b.region->free_seq);
    }
    ASSERT_EQ(a.newer.has_value(), b.newer.has_value());
    if (a.newer) {
      EXPECT_EQ(a.newer->id, b.newer->id);
    }
  };
  for (u32 step = 1; step <= 40000; ++step) {
    const u64 r = random.Next();
    if (live.empty() || r % 3 != 0) {
      // 1 to 64 bytes in 64-byte chunks of a small heap: addresses come back, with other sizes.
      const u64 ptr = 0x10000 + 64 * (r % 500);
      if (std::find(live.begin(), live.end(), ptr) != live.end())
        continue;
      ids.push_back(often.Allocate(ptr, 1 + (r >> 40) % 64, 0));
      seldom.Allocate(ptr, 1 + (r >> 40) % 64, 0);
      live.push_back(ptr);
    } else {
      const std::size_t i = (r >> 20) % live.size();
      ASSERT_TRUE(often.Release(live[i], 1));
      ASSERT_TRUE(seldom.Release(live[i], 1));
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
    }
    often.Lookup(0x10000 + 4 * ((r >> 8) % 8000), 4);  // brings its indexes up to date
    if (step % 5000 == 0) {
      for (u64 addr = 0x10000; addr < 0x10000 + 64 * 500; addr += 12)
        same(addr);
      for (u32 id : ids) {
        const std::optional<Region> a = often.Find(id);
        const std::optional<Region> b = seldom.Find(id);
        ASSERT_EQ(a.has_value(), b.has_value());
        if (a) {
          EXPECT_EQ(a->generation, b->generation) << id;
        }
      }
    }
  }
}

}  // namespace
}  // namespace viewsan
