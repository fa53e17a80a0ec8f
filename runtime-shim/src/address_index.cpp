#include "address_index.h"

#include <algorithm>

namespace viewsan {

AddressIndex::Iterator& AddressIndex::Iterator::operator++() {
  if (++slot_ == index_->blocks_[block_].size()) {
    ++block_;
    slot_ = 0;
  }
  return *this;
}

AddressIndex::Iterator& AddressIndex::Iterator::operator--() {
  if (slot_ == 0) {
    --block_;
    slot_ = index_->blocks_[block_].size();
  }
  --slot_;
  return *this;
}

AddressIndex::Iterator AddressIndex::UpperBound(u64 ptr) const {
  // Blocks [0, block) start at or before ptr: the answer is in the last of them, or it is the
  // first entry of `block`.
  const std::size_t block = std::upper_bound(firsts_.begin(), firsts_.end(), ptr) - firsts_.begin();
  if (block == 0)
    return begin();
  const std::vector<Entry>& entries = blocks_[block - 1];
  const std::size_t slot =
      std::upper_bound(entries.begin(), entries.end(), ptr,
                       [](u64 p, const Entry& entry) { return p < entry.ptr; }) -
      entries.begin();
  return slot == entries.size() ? Iterator(this, block, 0) : Iterator(this, block - 1, slot);
}

AddressIndex::Iterator AddressIndex::Find(u64 ptr) const {
  Iterator it = UpperBound(ptr);
  if (it == begin())
    return end();
  --it;
  return it->ptr == ptr ? it : end();
}

void AddressIndex::Insert(Iterator next, const Entry& entry) {
  std::size_t block = next.block_;
  std::size_t slot = next.slot_;
  if (slot == 0 && block > 0) {  // append to the block before rather than prepend to this one
    --block;
    slot = blocks_[block].size();
  }
  if (block == blocks_.size()) {  // the index is empty
    blocks_.emplace_back();
    blocks_.back().reserve(kBlockCapacity + 1);
    firsts_.push_back(entry.ptr);
  }
  std::vector<Entry>& entries = blocks_[block];
  entries.insert(entries.begin() + slot, entry);
  firsts_[block] = entries.front().ptr;
  ++size_;
  if (entries.size() > kBlockCapacity)
    Split(block);
}

void AddressIndex::Erase(Iterator it) {
  const std::size_t block = it.block_;
  std::vector<Entry>& entries = blocks_[block];
  entries.erase(entries.begin() + it.slot_);
  --size_;
  if (entries.empty()) {
    blocks_.erase(blocks_.begin() + block);
    firsts_.erase(firsts_.begin() + block);
    return;
  }
  firsts_[block] = entries.front().ptr;
  // A block and a neighbour that fit in half a block become one, so blocks do not dwindle.
  if (block + 1 < blocks_.size() &&
      entries.size() + blocks_[block + 1].size() <= kBlockCapacity / 2)
    MergeWithNext(block);
  else if (block > 0 && blocks_[block - 1].size() + entries.size() <= kBlockCapacity / 2)
    MergeWithNext(block - 1);
}

void AddressIndex::SetExtentEnd(Iterator it, u64 extent_end) {
  blocks_[it.block_][it.slot_].extent_end = extent_end;
}

void AddressIndex::Assign(const std::vector<Entry>& entries) {
  Clear();
  // Blocks three-quarters full: room to insert before the first split.
  constexpr std::size_t kFill = kBlockCapacity / 4 * 3;
  for (std::size_t begin = 0; begin < entries.size(); begin += kFill) {
    const std::size_t end = std::min(entries.size(), begin + kFill);
    blocks_.emplace_back();
    blocks_.back().reserve(kBlockCapacity + 1);
    blocks_.back().assign(entries.begin() + begin, entries.begin() + end);
    firsts_.push_back(entries[begin].ptr);
  }
  size_ = entries.size();
}

void AddressIndex::Clear() {
  blocks_.clear();
  firsts_.clear();
  size_ = 0;
}

void AddressIndex::Split(std::size_t block) {
  std::vector<Entry> upper;
  upper.reserve(kBlockCapacity + 1);
  std::vector<Entry>& lower = blocks_[block];
  upper.assign(lower.begin() + lower.size() / 2, lower.end());
  lower.resize(lower.size() / 2);
  firsts_.insert(firsts_.begin() + block + 1, upper.front().ptr);
  blocks_.insert(blocks_.begin() + block + 1, std::move(upper));
}

void AddressIndex::MergeWithNext(std::size_t block) {
  std::vector<Entry>& next = blocks_[block + 1];
  blocks_[block].insert(blocks_[block].end(), next.begin(), next.end());
  blocks_.erase(blocks_.begin() + block + 1);
  firsts_.erase(firsts_.begin() + block + 1);
}

}  // namespace viewsan
