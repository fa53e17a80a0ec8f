// xorshift64*: the benchmarks' random numbers, from a fixed seed, so that every variant of a run
// makes the same sequence of calls.
#ifndef VIEWSAN_BENCH_XORSHIFT_H
#define VIEWSAN_BENCH_XORSHIFT_H

#include <stdint.h>

static uint64_t random_state;

static uint32_t next_random(void) {
  random_state ^= random_state >> 12;
  random_state ^= random_state << 25;
  random_state ^= random_state >> 27;
  return (uint32_t)((random_state * 0x2545F4914F6CDD1DULL) >> 32);
}

#endif  // VIEWSAN_BENCH_XORSHIFT_H
