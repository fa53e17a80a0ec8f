#include "freed_ranges.h"

#include <iterator>

namespace viewsan {

u32 FreedRanges::Find(u64 addr) const {
  auto it = pieces_.upper_bound(addr);
  if (it == pieces_.begin())
    return 0;
  --it;
  return addr < it->second.end ? it->second.owner : 0;
}

void FreedRanges::Paint(u64 begin, u64 end, u32 owner) {
  if (begin == end)
    return;

  auto it = pieces_.lower_bound(begin);
  if (it != pieces_.begin()) {
    Piece& before = std::prev(it)->second;
    if (before.end > begin) {
      if (before.end > end)  // the new piece lies inside it: its tail survives after `end`
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
  nodes_.Insert(pieces_, it, begin, Piece{end, owner});
}

}  // namespace viewsan
