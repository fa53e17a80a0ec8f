#include "abi_fixture.h"

namespace viewsan_test {

Imports& imports() {
  static Imports instance;
  return instance;
}

}  // namespace viewsan_test

extern "C" void vs_on_error(uint32_t kind, double ptr, int32_t site, uint32_t alloc_id) {
  viewsan_test::Imports& in = viewsan_test::imports();
  const uint32_t errors = reinterpret_cast<vs_state*>(vs_state_ptr())->errors;
  in.errors.push_back({kind, ptr, site, alloc_id, errors});
  if (in.throw_on_error)
    throw viewsan_test::OnErrorThrew();
}

extern "C" double vs_now(void) {
  viewsan_test::Imports& in = viewsan_test::imports();
  ++in.now_calls;
  return in.now;
}

extern "C" void vs_on_events_full(void) {
  viewsan_test::Imports& in = viewsan_test::imports();
  ++in.events_full_calls;
  if (in.on_events_full)
    in.on_events_full();
}

extern "C" void vs_fill_freed(double ptr, double size) {
  const vs_state& state = *reinterpret_cast<vs_state*>(vs_state_ptr());
  viewsan_test::imports().fills.push_back({ptr, size, static_cast<uint64_t>(state.frees)});
}
