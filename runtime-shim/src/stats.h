// The counters JS polls without calling the shim: struct vs_state, the session's stats
// (DESIGN.md contract 2). check_epoch and grow_count let JS skip revalidating its views until
// some bytes may have stopped being owned or the module's memory grew.
#ifndef VIEWSAN_STATS_H
#define VIEWSAN_STATS_H

#include <limits>

#include "internal_defs.h"
#include "viewsan/shim_abi.h"

namespace viewsan {

class Stats {
 public:
  Stats() { state_.heap_low = std::numeric_limits<double>::infinity(); }

  vs_state* shared() { return &state_; }
  const vs_state& state() const { return state_; }
  bool events_enabled() const { return state_.events_enabled != 0; }  // JS sets it

  void CountAlloc(u32 id) {
    ++state_.allocs;
    state_.last_alloc_id = id;
  }
  void NoteNewest(u32 id) { state_.last_alloc_id = id; }
  void CountFree() { ++state_.frees; }
  void CountRealloc() { ++state_.reallocs; }
  void CountBadFree() { ++state_.errors; }
  void CountUnseenFree() { ++state_.unseen_frees; }
  void CountGrow() {
    ++state_.grows;
    ++state_.grow_count;
  }
  // Live bytes stopped being owned.
  void AdvanceFreeEpoch() {
    ++state_.free_epoch;
    ++state_.check_epoch;
  }
  // Live bytes may have stopped being owned: the registry has not checked yet (it checks before
  // answering any query), and views must ask before they trust their allocation again.
  void AdvanceCheckEpoch() { ++state_.check_epoch; }
  void NoteAllocationAt(u64 ptr) {
    if (Double(ptr) < state_.heap_low)
      state_.heap_low = Double(ptr);
  }
  void PublishBytes(u64 live, u64 peak, u64 quarantined) {
    state_.live_bytes = Double(live);
    state_.peak_bytes = Double(peak);
    state_.quarantine_bytes = Double(quarantined);
  }

 private:
  // Every value the shim shares is below kAddressLimit: a signed conversion, one instruction
  // (an unsigned one is several, in wasm as in x86-64), is exact.
  static double Double(u64 value) { return static_cast<double>(static_cast<s64>(value)); }

  vs_state state_{};
};

}  // namespace viewsan

#endif  // VIEWSAN_STATS_H
