// RadixSort: the address index's sort, against std::stable_sort.
#include "radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace viewsan {
namespace {

using Item = std::pair<uint64_t, uint32_t>;  // key, original position

std::vector<Item> Sorted(std::vector<Item> items) {
  RadixSort(items.data(), items.size(), [](const Item& item) { return item.first; });
  return items;
}

std::vector<Item> Expected(std::vector<Item> items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.first < b.first; });
  return items;
}

std::vector<Item> Numbered(const std::vector<uint64_t>& keys) {
  std::vector<Item> items;
  for (uint32_t i = 0; i < keys.size(); ++i)
    items.push_back({keys[i], i});
  return items;
}

TEST(RadixSort, EmptyOneAndAllEqual) {
  EXPECT_TRUE(Sorted({}).empty());
  EXPECT_EQ(Sorted(Numbered({7})), Numbered({7}));
  EXPECT_EQ(Sorted(Numbered({5, 5, 5, 5})), Numbered({5, 5, 5, 5}));  // stable: order kept
}

TEST(RadixSort, MatchesAStableSortOnAddressLikeKeys) {
  std::mt19937_64 random(42);
  for (const uint64_t range : {uint64_t{256}, uint64_t{1} << 20, uint64_t{1} << 32, ~uint64_t{0}}) {
    std::vector<uint64_t> keys;
    for (int i = 0; i < 20000; ++i)
      keys.push_back((random() % range) & ~uint64_t{7});  // 8-byte aligned, many equal
    const std::vector<Item> items = Numbered(keys);
    EXPECT_EQ(Sorted(items), Expected(items)) << "keys below " << range;
  }
}

TEST(RadixSort, KeysDifferingOnlyInHighBytes) {
  const std::vector<Item> items =
    Numbered({uint64_t{3} << 56, uint64_t{1} << 56, uint64_t{2} << 40, uint64_t{1} << 56});
  EXPECT_EQ(Sorted(items), Expected(items));
}

}  // namespace
}  // namespace viewsan
