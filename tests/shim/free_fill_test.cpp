// Free filling (vs_configure_free_fill): the free hook of a live region asks JS to fill its first
// bytes, after the shim has recorded the free, and never for frees it does not accept.
#include "abi_fixture.h"

namespace viewsan_test {
namespace {

class FreeFillTest : public AbiTest {};

TEST_F(FreeFillTest, OffByDefault) {
  Alloc(0x1000, 64);
  Free(0x1000);
  EXPECT_TRUE(imports().fills.empty());
}

TEST_F(FreeFillTest, FillsTheFreedRegionUpToTheMaximum) {
  vs_configure_free_fill(32);
  Alloc(0x1000, 64);
  Alloc(0x2000, 16);
  Free(0x1000);
  Free(0x2000);
  ASSERT_EQ(imports().fills.size(), 2u);
  EXPECT_EQ(imports().fills[0].ptr, 0x1000);
  EXPECT_EQ(imports().fills[0].size, 32);  // cut to the maximum
  EXPECT_EQ(imports().fills[1].ptr, 0x2000);
  EXPECT_EQ(imports().fills[1].size, 16);  // the whole region
}

TEST_F(FreeFillTest, RecordsTheFreeBeforeFilling) {
  vs_configure_free_fill(1 << 20);
  Alloc(0x1000, 64);
  Free(0x1000);
  ASSERT_EQ(imports().fills.size(), 1u);
  EXPECT_EQ(imports().fills[0].frees_seen, 1u);
  EXPECT_EQ(vs_lookup(0x1000, 1), VS_FREED);
}

TEST_F(FreeFillTest, BadFreesAndEmptyRegionsAreNotFilled) {
  vs_configure(1, -1);
  vs_configure_free_fill(4096);
  Alloc(0x1000, 64);
  Alloc(0x3000, 0);
  Free(0x1000);
  Free(0x1000);      // double free: the allocator may have handed the bytes out again
  Free(0x1008);      // inside nothing live: invalid
  Free(0x3000);      // zero bytes to fill
  ASSERT_EQ(imports().fills.size(), 1u);
  EXPECT_EQ(imports().errors.size(), 2u);
}

TEST_F(FreeFillTest, ReallocsAreNotFilled) {
  vs_configure_free_fill(4096);
  Alloc(0x1000, 64);
  Realloc(0x1000, 0x4000, 128);  // the allocator has already taken the old block back
  EXPECT_TRUE(imports().fills.empty());
  Free(0x4000);
  ASSERT_EQ(imports().fills.size(), 1u);
  EXPECT_EQ(imports().fills[0].size, 128);
}

TEST_F(FreeFillTest, ZeroTurnsItOffAgain) {
  vs_configure_free_fill(16);
  vs_configure_free_fill(0);
  Alloc(0x1000, 64);
  Free(0x1000);
  EXPECT_TRUE(imports().fills.empty());
}

TEST_F(FreeFillTest, Memory64) {
  vs_configure_free_fill(8);
  vs_hook_alloc64(int64_t{1} << 33, 64, 0);
  vs_hook_free64(int64_t{1} << 33, 0);
  ASSERT_EQ(imports().fills.size(), 1u);
  EXPECT_EQ(imports().fills[0].ptr, static_cast<double>(int64_t{1} << 33));
  EXPECT_EQ(imports().fills[0].size, 8);
}

}  // namespace
}  // namespace viewsan_test
