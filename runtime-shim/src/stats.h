// The counters JS polls without calling the shim: struct vs_state, the session's stats
// (DESIGN.md contract 2). free_epoch and grow_count let JS skip revalidating its views until
// some bytes stopped being owned or the module's memory grew.
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

  void CountAlloc() { ++state_.allocs; }
  void CountFree() { ++state_.frees; }
  void CountRealloc() { ++state_.reallocs; }
  void CountBadFree() { ++state_.errors; }
  void CountGrow() {
    ++state_.grows;
    ++state_.grow_count;
  }
  void AdvanceFreeEpoch() { ++state_.free_epoch; }
  void NoteAllocationAt(u64 ptr) {
    if (static_cast<double>(ptr) < state_.heap_low)
      state_.heap_low = static_cast<double>(ptr);
  }
  void PublishBytes(u64 live, u64 peak, u64 quarantined) {
    state_.live_bytes = static_cast<double>(live);
    state_.peak_bytes = static_cast<double>(peak);
    state_.quarantine_bytes = static_cast<double>(quarantined);
  }

 private:
  vs_state state_{};
};

}  // namespace viewsan

#endif  // VIEWSAN_STATS_H
