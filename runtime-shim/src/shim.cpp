#include "shim.h"

#include <algorithm>
#include <limits>

namespace viewsan {
namespace {

constexpr u32 kNoGrowIndex = 0xFFFFFFFF;

}  // namespace

Shim::Shim(const Options& options, Clock clock, FillFreed fill_freed, EventRing::OnFull events_full)
    : default_quarantine_bytes_(options.quarantine_bytes),
      clock_(clock),
      fill_freed_(fill_freed),
      registry_(options.quarantine_bytes, options.quarantine_regions),
      ring_(options.event_capacity, events_full),
      grows_(options.grow_history) {
  registry_.SetRetireListener(&Shim::OnRetired, this);
}

void Shim::Configure(bool coverage_complete, double quarantine_bytes) {
  coverage_complete_ = coverage_complete;
  u64 max_bytes = default_quarantine_bytes_;
  if (quarantine_bytes >= 0) {
    max_bytes = quarantine_bytes < static_cast<double>(std::numeric_limits<u64>::max())
                    ? static_cast<u64>(quarantine_bytes)
                    : std::numeric_limits<u64>::max();
  }
  registry_.SetQuarantineBytes(max_bytes);
}

VS_NOINLINE u32 Shim::JudgeFree(u64 ptr, s32 site) {
  // Release changed nothing: the registry is still as the program freed into it.
  return Settle(CheckFree(registry_, ptr, free_context()), ptr, site);
}

u32 Shim::Settle(const FreeVerdict& verdict, u64 ptr, s32 site) {
  if (verdict.unseen) {
    stats_.CountUnseenFree();
    if (verdict.retire != 0)
      registry_.Retire(verdict.retire);
  } else if (verdict) {
    RecordBadFree(verdict, ptr, site);
  }
  return verdict.kind;
}

u32 Shim::Realloc(u64 old_ptr, u64 new_ptr, u64 size, s32 site) {
  if (old_ptr == 0) {  // realloc(NULL, n) is malloc(n)
    Alloc(new_ptr, size, site);
    return 0;
  }
  if (new_ptr == 0) {
    // C17 7.22.3.5: a failed realloc leaves the old block alone. realloc(p, 0) returning null
    // freed p on the allocators that return null there (glibc, emmalloc).
    return size == 0 ? Free(old_ptr, site) : 0;
  }
  if (new_ptr >= kAddressLimit)
    return 0;
  size = ClampSize(new_ptr, size);

  const std::optional<RegionRegistry::LiveInfo> old_region = registry_.LiveAt(old_ptr);
  // Judged before anything changes; reported after the new block is recorded.
  const FreeVerdict verdict =
      old_region ? FreeVerdict{} : CheckFree(registry_, old_ptr, free_context());
  // An old block the hooks did not see must not stay live under the new one.
  if (verdict.unseen && verdict.retire != 0)
    registry_.Retire(verdict.retire);
  const u32 old_id = old_region ? old_region->id : 0;
  u32 new_id;
  if (old_region && new_ptr == old_ptr) {
    const u64 old_size = old_region->size;
    registry_.Resize(old_ptr, size);
    if (size < old_size)
      stats_.AdvanceFreeEpoch();  // the cut-off tail is no longer owned
    else if (size > old_size)
      NoteNewBytes();
    new_id = old_id;
  } else {
    if (old_region) {
      registry_.ReleaseOutOfLine(old_ptr, site);
      stats_.AdvanceFreeEpoch();
    }
    new_id = registry_.AllocateOutOfLine(new_ptr, size, site);
    allocated_bits_ |= new_ptr;
    stats_.NoteAllocationAt(new_ptr);
    NoteNewBytes();
  }
  stats_.CountRealloc();
  stats_.NoteNewest(new_id);
  Emit(VS_EV_REALLOC, site, new_id, old_id, new_ptr, size, old_ptr);
  if (verdict.unseen)
    stats_.CountUnseenFree();
  else if (verdict)
    RecordBadFree(verdict, old_ptr, site);
  return verdict.kind;
}

VS_NOINLINE void Shim::EmitAlloc(u32 id, s32 site) {
  const std::optional<Region> region = registry_.Find(id);
  Emit(VS_EV_ALLOC, site, id, region->generation, static_cast<double>(region->ptr),
       static_cast<double>(region->size), 0);
}

VS_NOINLINE bool Shim::FreeAndTell(u64 ptr, s32 site, u64* fill) {
  Region freed;
  if (!registry_.ReleaseOutOfLine(ptr, site, &freed))
    return false;
  Emit(VS_EV_FREE, site, freed.id, 0, static_cast<double>(ptr), static_cast<double>(freed.size),
       0);
  *fill = std::min(freed.size, max_free_fill_);
  return true;
}

void Shim::GrowEnd(s64 prev_pages, u64 delta_pages, s32 site) {
  if (prev_pages < 0) {
    Emit(VS_EV_GROW, site, 0, kNoGrowIndex, -1, delta_pages, 0);
    return;
  }
  const u64 from = static_cast<u64>(prev_pages);
  const u32 index = grows_.Add(from, from + delta_pages, site);
  stats_.CountGrow();
  Emit(VS_EV_GROW, site, 0, index, from, delta_pages, 0);
}

u32 Shim::Lookup(u64 ptr, u64 len) {
  if (ptr >= kAddressLimit) {
    WriteResult({});
    return VS_UNALLOCATED;
  }
  len = ClampSize(ptr, len);
  // Most lookups are of live bytes (a view made over an allocation): the table of live regions
  // answers those without building the index (a wasm-bindgen program allocates hundreds of
  // thousands of times between two views).
  if (std::optional<Region> live = registry_.LiveHoldingUnresolved(ptr, len, !coverage_complete_)) {
    WriteResult({VS_LIVE, live, std::nullopt});
    return VS_LIVE;
  }
  const Description description = registry_.Lookup(ptr, len);
  WriteResult(description);
  return description.state;
}

u32 Shim::Describe(u32 alloc_id) {
  const Description description = registry_.Describe(alloc_id);
  WriteResult(description);
  return description.state;
}

bool Shim::DescribeGrow(u32 index) {
  WriteResult({});
  const GrowRecord* record = grows_.Get(index);
  if (!record)
    return false;
  result_.from_pages = static_cast<double>(record->from_pages);
  result_.to_pages = static_cast<double>(record->to_pages);
  result_.grow_site = record->site;
  return true;
}

u32 Shim::Snapshot() {
  snapshot_.clear();
  snapshot_.reserve(registry_.live_count());
  registry_.ForEachLive([this](const Region& region) {
    snapshot_.push_back(vs_region_record{static_cast<double>(region.ptr),
                                         static_cast<double>(region.size), region.id,
                                         region.generation, region.alloc_site, 0});
  });
  return static_cast<u32>(snapshot_.size());
}

void Shim::OnRetired(void* context, const Region& retired) {
  Shim* shim = static_cast<Shim*>(context);
  shim->stats_.AdvanceFreeEpoch();
  shim->Emit(VS_EV_FREE, VS_SITE_UNKNOWN, retired.id, 0, static_cast<double>(retired.ptr),
             static_cast<double>(retired.size), 0);
}

void Shim::RecordBadFree(const FreeVerdict& bad, u64 ptr, s32 site) {
  stats_.CountBadFree();
  Emit(VS_EV_BAD_FREE, site, bad.alloc_id, bad.kind, ptr, 0, 0);
  WriteResult(bad.alloc_id ? registry_.Describe(bad.alloc_id) : Description{});
}

void Shim::WriteResult(const Description& description) {
  vs_result out{};
  out.state = description.state;
  out.alloc_site = out.free_site = out.newer_alloc_site = out.grow_site = VS_SITE_UNKNOWN;
  if (const std::optional<Region>& region = description.region) {
    out.alloc_id = region->id;
    out.generation = region->generation;
    out.alloc_site = region->alloc_site;
    out.free_site = region->free_site;
    if (!region->live())
      out.frees_ago = static_cast<u32>(std::min<u64>(registry_.FreesAgo(*region), 0xFFFFFFFF));
    out.ptr = static_cast<double>(region->ptr);
    out.size = static_cast<double>(region->size);
  }
  if (const std::optional<Region>& newer = description.newer) {
    out.newer_alloc_id = newer->id;
    out.newer_alloc_site = newer->alloc_site;
    out.newer_ptr = static_cast<double>(newer->ptr);
    out.newer_size = static_cast<double>(newer->size);
  }
  result_ = out;
}

}  // namespace viewsan
