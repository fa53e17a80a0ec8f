#include "bad_free.h"

namespace viewsan {

FreeVerdict CheckFree(RegionRegistry& registry, u64 ptr, const FreeContext& context) {
  if (ptr == 0 || registry.IsLiveStart(ptr))
    return {};
  const bool partial = !context.coverage_complete;
  // Live bytes first: once a newer allocation covers a freed region's start, that start is a
  // pointer into the newer allocation, no longer the freed region's.
  if (const std::optional<Region> live = registry.FindLiveContaining(ptr)) {
    const bool aligned = ptr % context.alignment == 0;
    if (partial && aligned)
      return {0, live->id, true, live->ptr};
    return {VS_ERR_INVALID_FREE, live->id};
  }
  if (const std::optional<Region> freed = registry.FindFreedAt(ptr))
    return partial ? FreeVerdict{0, freed->id, true} : FreeVerdict{VS_ERR_DOUBLE_FREE, freed->id};
  return partial ? FreeVerdict{0, 0, true} : FreeVerdict{VS_ERR_INVALID_FREE, 0};
}

}  // namespace viewsan
