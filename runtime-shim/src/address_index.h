// Live regions ordered by start address: a sorted vector of sorted blocks (a B+ tree two levels
// deep). A search is a binary search over the blocks' first addresses, then one inside a block: a
// few cache lines, where a red-black tree takes a cache miss per level. Each entry also carries
// its region's extent end, so that overlap checks never leave the index.
//
// The registry keeps it up to date lazily, only while range queries are being made
// (region_registry.h): the hooks themselves never search it.
#ifndef VIEWSAN_ADDRESS_INDEX_H
#define VIEWSAN_ADDRESS_INDEX_H

#include <cstddef>
#include <iterator>
#include <vector>

#include "internal_defs.h"

namespace viewsan {

class AddressIndex {
 public:
  struct Entry {
    u64 ptr;
    u64 extent_end;  // Region::extent_end()
    u32 id;          // the region's allocation id
  };

  class Iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = const Entry*;
    using reference = const Entry&;

    const Entry& operator*() const { return index_->blocks_[block_][slot_]; }
    const Entry* operator->() const { return &**this; }
    Iterator& operator++();
    Iterator& operator--();
    bool operator==(const Iterator& other) const {
      return block_ == other.block_ && slot_ == other.slot_;
    }
    bool operator!=(const Iterator& other) const { return !(*this == other); }

   private:
    friend class AddressIndex;
    Iterator(const AddressIndex* index, std::size_t block, std::size_t slot)
        : index_(index), block_(block), slot_(slot) {}

    const AddressIndex* index_;
    std::size_t block_;
    std::size_t slot_;
  };

  Iterator begin() const { return Iterator(this, 0, 0); }
  Iterator end() const { return Iterator(this, blocks_.size(), 0); }
  std::size_t size() const { return size_; }

  Iterator UpperBound(u64 ptr) const;  // the first entry starting after `ptr`
  Iterator Find(u64 ptr) const;        // the entry starting at `ptr`, or end()
  // Inserts `entry` before `next`, which must be UpperBound(entry.ptr); no entry may start at
  // entry.ptr already.
  void Insert(Iterator next, const Entry& entry);
  void Erase(Iterator it);
  void SetExtentEnd(Iterator it, u64 extent_end);
  // Replaces the whole index by `entries`, sorted by ptr with no two at the same ptr.
  void Assign(const std::vector<Entry>& entries);
  void Clear();

 private:
  // 1.5 KiB of entries: a block shifts on insert and erase at memcpy speed.
  static constexpr std::size_t kBlockCapacity = 64;

  void Split(std::size_t block);
  void MergeWithNext(std::size_t block);

  std::vector<std::vector<Entry>> blocks_;  // none empty; sorted, and in order of their addresses
  std::vector<u64> firsts_;                 // firsts_[i] == blocks_[i].front().ptr
  std::size_t size_ = 0;
};

}  // namespace viewsan

#endif  // VIEWSAN_ADDRESS_INDEX_H
