#include "freed_ranges.h"

#include <iterator>

namespace viewsan {

void FreedRanges::Forget(const Region* freed) {
  // Regions go in the order they came, and every region older than an unpainted one was
  // forgotten already: an unpainted region being forgotten is at the front of the queue.
  if (!unpainted_.empty() && unpainted_.front() == freed)
    unpainted_.pop_front();
  else
    Unpaint(freed);
}

const Region* FreedRanges::Find(u64 addr) {
  for (const Region* freed : unpainted_)
    Paint(freed);
  unpainted_.clear();

  auto it = pieces_.upper_bound(addr);
  if (it == pieces_.begin())
    return nullptr;
  --it;
  return addr < it->second.end ? it->second.owner : nullptr;
}

void FreedRanges::Paint(const Region* freed) {
  const u64 begin = freed->ptr;
  const u64 end = freed->end();
  if (begin == end)
    return;

  auto it = pieces_.lower_bound(begin);
  if (it != pieces_.begin()) {
    Piece& before = std::prev(it)->second;
    if (before.end > begin) {
      if (before.end > end)  // `freed` lies inside it: its tail survives after `end`
        it = nodes_.Insert(pieces_, it, end, Piece{before.end, before.owner});
      before.end = begin;
    }
  }
  while (it != pieces_.end() && it->first < end) {
    if (it->second.end > end) {  // runs past `end`: only its head is painted over
      Piece tail = it->second;
      it = nodes_.Insert(pieces_, nodes_.Erase(pieces_, it), end, tail);
      break;
    }
    it = nodes_.Erase(pieces_, it);
  }
  nodes_.Insert(pieces_, it, begin, Piece{end, freed});
}

void FreedRanges::Unpaint(const Region* freed) {
  // Later frees may have split `freed` into several pieces, all within its bytes.
  auto it = pieces_.lower_bound(freed->ptr);
  while (it != pieces_.end() && it->first < freed->end()) {
    if (it->second.owner == freed)
      it = nodes_.Erase(pieces_, it);
    else
      ++it;
  }
}

}  // namespace viewsan
