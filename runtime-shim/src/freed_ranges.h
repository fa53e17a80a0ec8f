// Which freed region each freed byte belongs to, so that a lookup of bytes no live allocation owns
// can name the allocation they were freed from. Freed regions may overlap (bytes freed, reused,
// freed again); a later free paints over an earlier one, because the most recent owner is the one
// a report should name.
//
// Only lookups of bytes no live region owns read this map, and those are rare (they come from
// buggy views and reports), so the registry paints the regions freed since the last such lookup
// at the next one, oldest first, and never unpaints: a piece whose owner the quarantine has
// forgotten is simply stale. Since the quarantine forgets in the order regions were freed, every
// region that a stale piece painted over is forgotten too, so a stale piece means "no remembered
// freed region owns these bytes".
#ifndef VIEWSAN_FREED_RANGES_H
#define VIEWSAN_FREED_RANGES_H

#include <cstddef>
#include <map>

#include "internal_defs.h"
#include "node_reuse.h"

namespace viewsan {

class FreedRanges {
 public:
  // Paints [begin, end) as owned by region `owner`, over whatever was painted there before.
  void Paint(u64 begin, u64 end, u32 owner);
  // The owner of the piece holding `addr`, or 0.
  u32 Find(u64 addr) const;
  void Clear() { pieces_.clear(); }
  std::size_t pieces() const { return pieces_.size(); }

 private:
  struct Piece {
    u64 end;
    u32 owner;
  };
  using PieceMap = std::map<u64, Piece>;  // disjoint pieces, by start address

  PieceMap pieces_;
  NodeReuse<PieceMap> nodes_;
};

}  // namespace viewsan

#endif  // VIEWSAN_FREED_RANGES_H
