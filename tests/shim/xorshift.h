// xorshift64 for the shim's tests: fast, and the same sequence on every run.
#ifndef VIEWSAN_TESTS_SHIM_XORSHIFT_H
#define VIEWSAN_TESTS_SHIM_XORSHIFT_H

#include <stdint.h>

namespace viewsan_test {

class Xorshift64 {
 public:
  explicit Xorshift64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }

 private:
  uint64_t state_;
};

}  // namespace viewsan_test

#endif  // VIEWSAN_TESTS_SHIM_XORSHIFT_H
