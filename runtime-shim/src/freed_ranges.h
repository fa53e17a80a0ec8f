// Which remembered freed region each freed byte belongs to, so that a lookup of bytes no live
// allocation owns can name the allocation they were freed from. Freed regions may overlap (bytes
// freed, reused, freed again); a later free paints over an earlier one, because the most recent
// owner is the one a report should name.
//
// Painting is deferred to the next Find: a free costs a queue push while nobody looks up freed
// bytes, which is the common case (lookups of freed bytes come from buggy views).
#ifndef VIEWSAN_FREED_RANGES_H
#define VIEWSAN_FREED_RANGES_H

#include <deque>
#include <map>

#include "internal_defs.h"
#include "node_reuse.h"
#include "region.h"

namespace viewsan {

class FreedRanges {
 public:
  // Adds the newest freed region.
  void Add(const Region* freed) { unpainted_.push_back(freed); }
  // Removes a region; regions are forgotten in the order they were added.
  void Forget(const Region* freed);
  // The most recently freed region still remembered whose bytes include `addr`, or null.
  const Region* Find(u64 addr);

 private:
  struct Piece {
    u64 end;
    const Region* owner;
  };
  using PieceMap = std::map<u64, Piece>;  // disjoint pieces, by start address

  void Paint(const Region* freed);
  void Unpaint(const Region* freed);

  PieceMap pieces_;
  NodeReuse<PieceMap> nodes_;
  std::deque<const Region*> unpainted_;  // added since the last Find, oldest first
};

}  // namespace viewsan

#endif  // VIEWSAN_FREED_RANGES_H
