// An in-place heapsort: O(n log n) always, no allocation, and a few hundred bytes of wasm per use
// where std::sort's introsort instantiates several kilobytes. Only cold paths sort (building the
// address index, pruning the address history).
#ifndef VIEWSAN_HEAP_SORT_H
#define VIEWSAN_HEAP_SORT_H

#include <cstddef>
#include <utility>

namespace viewsan {

// Sorts [first, first + n) by increasing key(element).
template <class T, class Key>
void HeapSort(T* first, std::size_t n, Key&& key) {
  const auto sift_down = [&](std::size_t root, std::size_t end) {
    for (std::size_t child; (child = 2 * root + 1) < end; root = child) {
      if (child + 1 < end && key(first[child]) < key(first[child + 1]))
        ++child;
      if (!(key(first[root]) < key(first[child])))
        return;
      std::swap(first[root], first[child]);
    }
  };
  for (std::size_t i = n / 2; i-- > 0;)
    sift_down(i, n);
  for (std::size_t end = n; end > 1; --end) {
    std::swap(first[0], first[end - 1]);
    sift_down(0, end - 1);
  }
}

}  // namespace viewsan

#endif  // VIEWSAN_HEAP_SORT_H
