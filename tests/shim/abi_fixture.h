// Drives the shim through its extern "C" ABI, as the instrumented module and the JS runtime do,
// with recording stand-ins for the imports vs_on_error, vs_now, vs_fill_freed and vs_on_events_full.
#ifndef VIEWSAN_TESTS_SHIM_ABI_FIXTURE_H
#define VIEWSAN_TESTS_SHIM_ABI_FIXTURE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "shim_instance.h"
#include "viewsan/shim_abi.h"

namespace viewsan_test {

struct ErrorCall {
  uint32_t kind;
  double ptr;
  int32_t site;
  uint32_t alloc_id;     // the allocation the verdict names, 0 if none
  uint32_t errors_seen;  // vs_state.errors when the import ran: recording came first
};

// What the stand-in imports saw, and how they behave.
struct Imports {
  std::vector<ErrorCall> errors;
  bool throw_on_error = false;  // like JS with halt_on_error
  double now = 0;
  int now_calls = 0;
  struct Fill {
    double ptr, size;
    uint64_t frees_seen;  // vs_state's free count when the import ran: recording came first
  };
  std::vector<Fill> fills;
  int events_full_calls = 0;
  std::function<void()> on_events_full;  // what JS would do when the ring is full: read it, say
};
Imports& imports();

struct OnErrorThrew {};  // what vs_on_error throws when throw_on_error is set

class AbiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    viewsan::ResetShimForTesting();
    imports() = Imports();
  }

  static const vs_state& state() { return *reinterpret_cast<vs_state*>(vs_state_ptr()); }
  static const vs_result& result() { return *reinterpret_cast<vs_result*>(vs_result_ptr()); }
  static vs_event_ring& ring() { return *reinterpret_cast<vs_event_ring*>(vs_events_ptr()); }
  // Record i since the start, i < written.
  static const vs_event& event(uint64_t i) {
    const vs_event* records = reinterpret_cast<const vs_event*>(&ring() + 1);
    return records[i & (ring().capacity - 1)];
  }
  static void EnableEvents() {
    reinterpret_cast<vs_state*>(vs_state_ptr())->events_enabled = 1;
  }
  static void Alloc(uint32_t ptr, uint32_t size, int32_t site = 0) {
    vs_hook_alloc(static_cast<int32_t>(ptr), static_cast<int32_t>(size), site);
  }
  static void Free(uint32_t ptr, int32_t site = 0) {
    vs_hook_free(static_cast<int32_t>(ptr), site);
  }
  static void Realloc(uint32_t old_ptr, uint32_t new_ptr, uint32_t size, int32_t site = 0) {
    vs_hook_realloc(static_cast<int32_t>(old_ptr), static_cast<int32_t>(new_ptr),
                    static_cast<int32_t>(size), site);
  }
  static uint32_t IdAt(uint32_t ptr) {
    EXPECT_EQ(vs_lookup(ptr, 0), VS_LIVE);
    return result().alloc_id;
  }
};

}  // namespace viewsan_test

#endif  // VIEWSAN_TESTS_SHIM_ABI_FIXTURE_H
