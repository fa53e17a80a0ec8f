// GrowHistory: indices stay stable while old records are evicted.
#include "grow_history.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

TEST(ShimGrowHistory, RecordsEachGrowUnderItsIndex) {
  GrowHistory history(4);
  EXPECT_EQ(history.Add(1, 2, 10), 0u);
  EXPECT_EQ(history.Add(2, 5, 11), 1u);
  const GrowRecord* second = history.Get(1);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->from_pages, 2u);
  EXPECT_EQ(second->to_pages, 5u);
  EXPECT_EQ(second->site, 11);
  EXPECT_EQ(history.Get(2), nullptr);
  EXPECT_EQ(history.count(), 2u);
}

TEST(ShimGrowHistory, EvictedIndicesAreUnknownAndTheRestKeepTheirIndex) {
  GrowHistory history(4);
  for (u32 i = 0; i < 10; ++i)
    history.Add(i, i + 1, static_cast<s32>(i));
  for (u32 i = 0; i < 6; ++i)
    EXPECT_EQ(history.Get(i), nullptr) << i;
  for (u32 i = 6; i < 10; ++i) {
    ASSERT_NE(history.Get(i), nullptr) << i;
    EXPECT_EQ(history.Get(i)->from_pages, i);
  }
  EXPECT_EQ(history.Get(10), nullptr);
}

}  // namespace
}  // namespace viewsan
