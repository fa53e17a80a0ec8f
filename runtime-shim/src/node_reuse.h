// Keeps the nodes of erased map entries for later inserts, so that a warm shim's hooks do not call
// malloc. Works for std::map and std::unordered_map through C++17 node handles.
#ifndef VIEWSAN_NODE_REUSE_H
#define VIEWSAN_NODE_REUSE_H

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace viewsan {

template <class Map>
class NodeReuse {
 public:
  using iterator = typename Map::iterator;

  // Inserts {key, value}; `key` must not be in `map` already.
  iterator Insert(Map& map, typename Map::const_iterator hint, const typename Map::key_type& key,
                  typename Map::mapped_type value) {
    if (spare_.empty())
      return map.emplace_hint(hint, key, std::move(value));
    typename Map::node_type node = std::move(spare_.back());
    spare_.pop_back();
    node.key() = key;
    node.mapped() = std::move(value);
    return map.insert(hint, std::move(node));
  }

  // Erases `it` and returns the iterator after it.
  iterator Erase(Map& map, iterator it) {
    iterator next = std::next(it);
    if (spare_.size() < kMaxSpare)
      spare_.push_back(map.extract(it));
    else
      map.erase(it);
    return next;
  }

 private:
  // Enough for the churn of steady hooks; a burst of erases beyond it returns memory to malloc.
  static constexpr std::size_t kMaxSpare = 4096;
  std::vector<typename Map::node_type> spare_;
};

}  // namespace viewsan

#endif  // VIEWSAN_NODE_REUSE_H
