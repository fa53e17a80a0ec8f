// A stable least-significant-digit radix sort on integer keys: O(n) per byte in which the keys
// differ, with a scratch copy of the array. The address index is rebuilt by sorting every live
// region by address whenever a query follows many changes (a wasm-bindgen app runs hundreds of
// thousands of allocations between two views): there an O(n log n) sort of 10^5 regions was the
// cost of the query.
#ifndef VIEWSAN_RADIX_SORT_H
#define VIEWSAN_RADIX_SORT_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

namespace viewsan {

// Sorts [first, first + n) by increasing key(element), an unsigned integer of at most 64 bits;
// elements with equal keys keep their order.
template <class T, class Key>
void RadixSort(T* first, std::size_t n, Key&& key) {
  if (n < 2)
    return;
  // Only the bytes in which some keys differ need a pass.
  const uint64_t key0 = key(first[0]);
  uint64_t differ = 0;
  for (std::size_t i = 1; i < n; ++i)
    differ |= key(first[i]) ^ key0;
  if (differ == 0)
    return;
  std::unique_ptr<T[]> scratch(new T[n]);
  T* from = first;
  T* to = scratch.get();
  for (unsigned shift = 0; shift < 64; shift += 8) {
    if (((differ >> shift) & 0xFF) == 0)
      continue;
    std::size_t start[257] = {};
    for (std::size_t i = 0; i < n; ++i)
      ++start[((key(from[i]) >> shift) & 0xFF) + 1];
    for (unsigned digit = 0; digit < 256; ++digit)
      start[digit + 1] += start[digit];
    for (std::size_t i = 0; i < n; ++i)
      to[start[(key(from[i]) >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  if (from != first) {
    for (std::size_t i = 0; i < n; ++i)
      first[i] = from[i];
  }
}

}  // namespace viewsan

#endif  // VIEWSAN_RADIX_SORT_H
