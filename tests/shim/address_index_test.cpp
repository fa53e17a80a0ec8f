// AddressIndex against std::map, through enough inserts and erases to split and merge blocks.
#include "address_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

namespace viewsan {
namespace {

AddressIndex::Entry EntryAt(u64 ptr) { return {ptr, ptr + 1, static_cast<u32>(ptr)}; }

std::vector<u64> Keys(const AddressIndex& index) {
  std::vector<u64> keys;
  for (const AddressIndex::Entry& entry : index)
    keys.push_back(entry.ptr);
  return keys;
}

TEST(ShimAddressIndex, EmptyIndex) {
  AddressIndex index;
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.begin() == index.end());
  EXPECT_TRUE(index.UpperBound(5) == index.end());
  EXPECT_TRUE(index.Find(5) == index.end());
}

TEST(ShimAddressIndex, InsertsInOrderWhateverTheOrderGiven) {
  AddressIndex index;
  for (u64 ptr : {50, 10, 30, 20, 40})
    index.Insert(index.UpperBound(ptr), EntryAt(ptr));
  EXPECT_EQ(Keys(index), (std::vector<u64>{10, 20, 30, 40, 50}));
  EXPECT_EQ(index.UpperBound(30)->ptr, 40u);
  EXPECT_EQ(index.UpperBound(31)->ptr, 40u);
  EXPECT_EQ(index.UpperBound(9)->ptr, 10u);
  EXPECT_TRUE(index.UpperBound(50) == index.end());
  EXPECT_EQ(index.Find(20)->ptr, 20u);
  EXPECT_TRUE(index.Find(21) == index.end());
  AddressIndex::Iterator last = index.end();
  EXPECT_EQ((--last)->ptr, 50u);
}

TEST(ShimAddressIndex, SetExtentEndChangesOneEntry) {
  AddressIndex index;
  index.Insert(index.UpperBound(10), EntryAt(10));
  index.SetExtentEnd(index.Find(10), 99);
  EXPECT_EQ(index.Find(10)->extent_end, 99u);
}

TEST(ShimAddressIndex, MatchesStdMapThroughRandomInsertsAndErases) {
  AddressIndex index;
  std::map<u64, u64> model;
  std::mt19937_64 random(1);
  for (int round = 0; round < 200000; ++round) {
    // Grow to a few thousand entries, then shrink to none, twice, to split and merge blocks.
    const bool growing = (round / 50000) % 2 == 0;
    const u64 ptr = random() % 20000;
    if (random() % 4 != 0 ? growing : !growing) {
      if (model.count(ptr))
        continue;
      index.Insert(index.UpperBound(ptr), EntryAt(ptr));
      model[ptr] = ptr + 1;
    } else {
      auto it = model.lower_bound(ptr);
      if (it == model.end())
        continue;
      index.Erase(index.Find(it->first));
      model.erase(it);
    }
    ASSERT_EQ(index.size(), model.size());
    const u64 probe = random() % 20001;
    auto expected = model.upper_bound(probe);
    AddressIndex::Iterator actual = index.UpperBound(probe);
    if (expected == model.end())
      ASSERT_TRUE(actual == index.end());
    else
      ASSERT_EQ(actual->ptr, expected->first);
  }
  std::vector<u64> keys;
  for (const auto& entry : model)
    keys.push_back(entry.first);
  EXPECT_EQ(Keys(index), keys);
}

TEST(ShimAddressIndex, AssignBuildsAnIndexThatInsertsAndErasesLikeAnyOther) {
  AddressIndex index;
  std::vector<AddressIndex::Entry> entries;
  for (u64 ptr = 10; ptr <= 2000; ptr += 10)
    entries.push_back(EntryAt(ptr));
  index.Assign(entries);
  EXPECT_EQ(index.size(), 200u);
  EXPECT_EQ(Keys(index).front(), 10u);
  EXPECT_EQ(Keys(index).back(), 2000u);
  EXPECT_EQ(index.Find(1230)->id, 1230u);
  EXPECT_EQ(index.UpperBound(1235)->ptr, 1240u);
  for (u64 ptr = 15; ptr < 2000; ptr += 20)
    index.Insert(index.UpperBound(ptr), EntryAt(ptr));
  for (u64 ptr = 10; ptr <= 2000; ptr += 40)
    index.Erase(index.Find(ptr));
  std::vector<u64> expected;
  for (u64 ptr = 10; ptr <= 2000; ptr += 5) {
    if ((ptr % 10 == 0 && (ptr - 10) % 40 != 0) || (ptr % 10 == 5 && (ptr - 15) % 20 == 0))
      expected.push_back(ptr);
  }
  EXPECT_EQ(Keys(index), expected);
  index.Clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.begin() == index.end());
}

}  // namespace
}  // namespace viewsan
