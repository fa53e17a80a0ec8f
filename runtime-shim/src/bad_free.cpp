#include "bad_free.h"

namespace viewsan {

BadFree CheckFree(RegionRegistry& registry, u64 ptr, bool coverage_complete) {
  if (ptr == 0 || registry.IsLiveStart(ptr))
    return {};
  // Live bytes first: once a newer allocation covers a freed region's start, that start is a
  // pointer into the newer allocation, no longer the freed region's.
  if (const std::optional<Region> live = registry.FindLiveContaining(ptr))
    return {VS_ERR_INVALID_FREE, live->id};
  if (const std::optional<Region> freed = registry.FindFreedAt(ptr))
    return {VS_ERR_DOUBLE_FREE, freed->id};
  if (coverage_complete)
    return {VS_ERR_INVALID_FREE, 0};
  return {};
}

}  // namespace viewsan
