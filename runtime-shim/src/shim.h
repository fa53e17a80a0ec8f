// Everything the shim knows about one module instance, and what each hook does to it.
// shim_exports.cpp puts the extern "C" ABI of shim_abi.h over one Shim.
#ifndef VIEWSAN_SHIM_H
#define VIEWSAN_SHIM_H

#include <vector>

#include "bad_free.h"
#include "event_ring.h"
#include "grow_history.h"
#include "internal_defs.h"
#include "region_registry.h"
#include "stats.h"
#include "viewsan/shim_abi.h"

namespace viewsan {

class Shim {
 public:
  struct Options {
    u64 quarantine_bytes = u64{256} << 20;  // freed bytes remembered, as ASan's default
    // Each remembered region costs the shim about 100 bytes whatever its size (its quarantine
    // record, the lazy indexes of freed regions): this bound keeps a storm of small frees to
    // about 6 MiB of shim memory. One less than a power of two, since a free pushes its record
    // before the quarantine drains: the ring (2 MiB) holds the bound and that one.
    u64 quarantine_regions = (u64{1} << 16) - 1;
    u32 event_capacity = 1u << 12;  // 192 KiB of records between two drains by JS
    u32 grow_history = 1u << 10;    // grows of at least a page each
  };
  using Clock = double (*)();  // ms, called only while events are enabled
  // Fills the module's bytes [ptr, ptr + size) with the fill byte (vs_fill_freed).
  using FillFreed = void (*)(double ptr, double size);

  // events_full: vs_on_events_full, asked before a record overwrites one JS has not read.
  Shim(const Options& options, Clock clock, FillFreed fill_freed = nullptr,
       EventRing::OnFull events_full = nullptr);
  Shim(const Shim&) = delete;
  Shim& operator=(const Shim&) = delete;

  // quarantine_bytes < 0 (or NaN) restores the default from Options.
  void Configure(bool coverage_complete, double quarantine_bytes);
  // Each free of a live region fills at most its first `max_bytes` (0: off; needs fill_freed).
  void ConfigureFreeFill(u64 max_bytes) { max_free_fill_ = fill_freed_ ? max_bytes : 0; }

  // Hooks (DESIGN.md contract 1), with pointers, sizes and pages widened to 64 bits. A hook that
  // finds a bad free records it, describes the allocation involved in result(), and returns its
  // vs_error_kind (0 when the free is fine): the caller reports it afterwards, since reporting may
  // not return.
  void Alloc(u64 ptr, u64 size, s32 site);
  u32 Free(u64 ptr, s32 site);
  u32 Realloc(u64 old_ptr, u64 new_ptr, u64 size, s32 site);
  void GrowEnd(s64 prev_pages, u64 delta_pages, s32 site);  // prev_pages < 0: the grow failed

  // Queries; the ones that describe write result().
  u32 Lookup(u64 ptr, u64 len);
  u32 Status(u32 alloc_id) {
    // Describe() brings the address index up to date first, after which every hook logs its
    // change for it.
    if (registry_.LiveUnresolved(alloc_id, !coverage_complete_))
      return VS_LIVE;
    return registry_.Describe(alloc_id).state;
  }
  u32 LiveIdAt(u64 ptr) const {
    const std::optional<RegionRegistry::LiveInfo> live = registry_.LiveAt(ptr);
    return live ? live->id : 0;
  }
  // The id of the live allocation holding [ptr, ptr + len) as Lookup() would say LIVE, 0 if none;
  // counts no generation and leaves result() alone.
  u32 LiveIdHolding(u64 ptr, u64 len) {
    if (ptr >= kAddressLimit)
      return 0;
    return registry_.LiveIdHolding(ptr, ClampSize(ptr, len), !coverage_complete_);
  }
  u32 Describe(u32 alloc_id);
  bool DescribeGrow(u32 index);
  u32 Snapshot();  // live regions into snapshot(), in address order; returns their count

  // The shared counters, with the byte counts brought up to date: the hooks leave those to
  // whoever reads them, since JS reads them far less often than the hooks change them.
  vs_state* state() {
    Publish();
    return stats_.shared();
  }
  vs_result* result() { return &result_; }
  vs_event_ring* events() { return ring_.header(); }
  const vs_region_record* snapshot() const { return snapshot_.data(); }
  const RegionRegistry& registry() const { return registry_; }
  RegionRegistry& registry() { return registry_; }
  const EventRing& ring() const { return ring_; }

 private:
  // A live region the registry retired because a newer one overlaps it: freed where no hook saw.
  static void OnRetired(void* shim, const Region& retired);
  // An allocation or an in-place growth: with partial coverage it may overlap regions freed
  // where no hook saw, which the registry retires only when it is next asked.
  void NoteNewBytes() {
    if (!coverage_complete_)
      stats_.AdvanceCheckEpoch();
  }
  // Release, then its event; *fill: how much of the region to fill.
  bool FreeAndTell(u64 ptr, s32 site, u64* fill);
  u32 JudgeFree(u64 ptr, s32 site);       // a free of no live region's start: is it bad?
  // Applies a verdict's unseen explanation, or records it as a bad free; returns its error kind.
  u32 Settle(const FreeVerdict& verdict, u64 ptr, s32 site);
  FreeContext free_context() const {
    // The lowest bit every allocated pointer shares, at most 16 (max_align_t): a few early
    // allocations that happen to share a higher one prove nothing about later ones.
    const u64 shared = allocated_bits_ & (~allocated_bits_ + 1);
    return {coverage_complete_, shared == 0 || shared > 16 ? 16 : shared};
  }
  void EmitAlloc(u32 id, s32 site);
  void RecordBadFree(const FreeVerdict& bad, u64 ptr, s32 site);
  void Emit(u32 kind, s32 site, u32 alloc_id, u32 aux, double ptr, double size, double old_ptr) {
    if (stats_.events_enabled())
      ring_.Push(vs_event{kind, site, alloc_id, aux, ptr, size, old_ptr, clock_()});
  }
  void Publish() {
    stats_.PublishBytes(registry_.live_bytes(), registry_.peak_bytes(),
                        registry_.quarantine().bytes());
  }
  void WriteResult(const Description& description);

  const u64 default_quarantine_bytes_;
  const Clock clock_;
  const FillFreed fill_freed_;
  u64 max_free_fill_ = 0;
  bool coverage_complete_ = false;
  u64 allocated_bits_ = 0;  // every allocated pointer OR'ed: its lowest set bit is their alignment
  RegionRegistry registry_;
  Stats stats_;
  EventRing ring_;
  GrowHistory grows_;
  vs_result result_{};
  std::vector<vs_region_record> snapshot_;
};

// ---- hooks' common paths ----------------------------------------------------------------------

VS_ALWAYS_INLINE void Shim::Alloc(u64 ptr, u64 size, s32 site) {
  // ptr 0: the allocation failed and nothing exists to track (calloc overflow included).
  if (ptr == 0 || ptr >= kAddressLimit)
    return;
  size = ClampSize(ptr, size);
  const u32 id = registry_.Allocate(ptr, size, site);
  allocated_bits_ |= ptr;
  stats_.CountAlloc(id);
  stats_.NoteAllocationAt(ptr);
  NoteNewBytes();
  if (stats_.events_enabled())
    EmitAlloc(id, site);
}

VS_ALWAYS_INLINE u32 Shim::Free(u64 ptr, s32 site) {
  if (ptr == 0)
    return 0;  // free(NULL) does nothing
  const bool tell = stats_.events_enabled() || max_free_fill_ != 0;
  u64 fill = 0;
  if (!tell ? registry_.Release(ptr, site) : FreeAndTell(ptr, site, &fill)) {
    stats_.CountFree();
    stats_.AdvanceFreeEpoch();
    // Last, with the shim consistent. The free hook runs before the allocator, which may then
    // write its own bookkeeping over the fill: until then the bytes are the program's to poison.
    if (fill != 0)
      fill_freed_(static_cast<double>(ptr), static_cast<double>(fill));
    return 0;
  }
  return JudgeFree(ptr, site);
}

}  // namespace viewsan

#endif  // VIEWSAN_SHIM_H
