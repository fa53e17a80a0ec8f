// Ten million alloc/free events from a model allocator that reuses its chunks: whatever the
// program does, the shim's memory stays bounded. Under AddressSanitizer a million, to keep the
// test within seconds.
#include <vector>

#include "abi_fixture.h"
#include "xorshift.h"

#if defined(__SANITIZE_ADDRESS__)
#define VIEWSAN_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIEWSAN_TEST_ASAN 1
#endif
#endif

namespace viewsan_test {
namespace {

using viewsan::u64;

#ifdef VIEWSAN_TEST_ASAN
constexpr uint64_t kEvents = 1'000'000;
#else
constexpr uint64_t kEvents = 10'000'000;
#endif
constexpr uint32_t kSlots = 4096;       // the model heap: 4096 chunks of 256 bytes
constexpr uint32_t kSlotBytes = 256;
constexpr uint32_t kHeapBase = 0x10000;
constexpr double kQuarantineBytes = 1 << 20;

class ShimSoak : public AbiTest {
 protected:
  void ExpectBounded() {
    const viewsan::RegionRegistry& registry = viewsan::TheShim().registry();
    EXPECT_LE(registry.quarantine().bytes(), kQuarantineBytes);
    EXPECT_LE(registry.quarantine().size(), registry.quarantine().max_regions());
    EXPECT_EQ(registry.remembered_count(), registry.live_count() + registry.quarantine().size());
    EXPECT_EQ(state().live_bytes, static_cast<double>(registry.live_bytes()));
    // Tables, quarantine ring and lazy indexes: a few MiB whatever the number of events.
    EXPECT_LE(registry.memory_bytes(), u64{8} << 20);
  }
};

TEST_F(ShimSoak, AllocFreeStormStaysBounded) {
  vs_configure(1, kQuarantineBytes);
  EnableEvents();  // and JS never reads: the ring overflows all along

  std::vector<uint32_t> free_slots(kSlots);
  for (uint32_t i = 0; i < kSlots; ++i)
    free_slots[i] = i;
  std::vector<uint32_t> live_slots;
  Xorshift64 random(0x9E3779B97F4A7C15);

  uint64_t frees = 0;
  for (uint64_t n = 0; n < kEvents; ++n) {
    const bool allocate = live_slots.empty() || (!free_slots.empty() && random.Below(2) == 0);
    std::vector<uint32_t>& from = allocate ? free_slots : live_slots;
    const uint32_t pick = random.Below(static_cast<uint32_t>(from.size()));
    const uint32_t slot = from[pick];
    from[pick] = from.back();
    from.pop_back();
    const uint32_t ptr = kHeapBase + slot * kSlotBytes;
    if (allocate) {
      Alloc(ptr, random.Below(kSlotBytes + 1), static_cast<int32_t>(n % 64));
      live_slots.push_back(slot);
    } else {
      Free(ptr, static_cast<int32_t>(n % 64));
      free_slots.push_back(slot);
      ++frees;
    }
    if ((n & 0xFFFFF) == 0)
      ExpectBounded();
  }
  ExpectBounded();

  EXPECT_TRUE(imports().errors.empty());
  EXPECT_EQ(state().frees, static_cast<uint32_t>(frees));
  EXPECT_EQ(static_cast<uint64_t>(state().allocs), kEvents - frees);
  EXPECT_EQ(ring().written, static_cast<double>(kEvents));
  EXPECT_EQ(ring().overflowed, static_cast<double>(kEvents - ring().capacity));
  EXPECT_EQ(vs_regions_snapshot(), live_slots.size());
  ExpectBounded();  // the snapshot built the address index and the freed-region indexes
}

// A storm of small frees fills the default quarantine to its region bound: its ring stays one
// block of 2^16 records (2 MiB), the bound and the record a free pushes before draining.
TEST_F(ShimSoak, TheDefaultQuarantineRingHoldsItsBoundInOneBlock) {
  vs_configure(1, -1);  // the default bounds
  for (uint32_t n = 0; n < 200000; ++n) {
    const uint32_t ptr = kHeapBase + (n % kSlots) * kSlotBytes;
    Alloc(ptr, 16);
    Free(ptr);
  }
  const viewsan::Quarantine& quarantine = viewsan::TheShim().registry().quarantine();
  EXPECT_LE(quarantine.size(), quarantine.max_regions());
  EXPECT_GT(quarantine.size(), quarantine.max_regions() / 10 * 8);
  EXPECT_EQ(quarantine.capacity(), u64{1} << 16);
  EXPECT_TRUE(imports().errors.empty());
}

}  // namespace
}  // namespace viewsan_test
