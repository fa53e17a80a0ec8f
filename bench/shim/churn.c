// The shim benchmark's workloads, in one C source that bench/shim/run.mjs builds four ways
// (plain, instrumented with the viewsan shim, -fsanitize=address, -sSAFE_HEAP=1).
//
//   churn(steps, seed)         random malloc/free over a table of slots: the allocator-bound
//                              workload, where every step is one hooked call
//   kernel_setup(bytes)        allocates and fills an RGBA image once
//   kernel(pixels, bytes, reps) inverts it `reps` times: memory-bound, no allocation
//
// Each returns a checksum that depends on all of its work, so that none of it can be optimised
// away, and that is the same whatever the allocator: the variants check each other.
#include <stdint.h>
#include <stdlib.h>

#include <emscripten.h>

#include "xorshift.h"

#define SLOTS 4096  // at most this many live allocations; about half are live at any time

static unsigned char* slot_ptr[SLOTS];
static uint32_t slot_size[SLOTS];

// Mostly small blocks, as real programs allocate, with a tail of larger ones.
static uint32_t pick_size(uint32_t r) {
  if ((r & 63) == 0)
    return 1024 + (r >> 6) % (64 * 1024);
  return 1 + (r >> 6) % 256;
}

EMSCRIPTEN_KEEPALIVE uint32_t churn(uint32_t steps, uint32_t seed) {
  random_state = 0x9E3779B97F4A7C15ULL ^ seed;
  uint32_t checksum = 0;
  for (uint32_t step = 0; step < steps; ++step) {
    const uint32_t r = next_random();
    const uint32_t i = r % SLOTS;
    unsigned char* p = slot_ptr[i];
    if (p) {
      // Read what was written at allocation, at both ends, then free.
      checksum = checksum * 31 + p[0] + p[slot_size[i] - 1];
      free(p);
      slot_ptr[i] = 0;
    } else {
      const uint32_t size = pick_size(next_random());
      p = (unsigned char*)malloc(size);
      if (!p)
        return 0;  // out of memory: a checksum no complete run gives
      p[0] = (unsigned char)step;
      p[size - 1] = (unsigned char)(step >> 8);
      slot_ptr[i] = p;
      slot_size[i] = size;
    }
  }
  for (uint32_t i = 0; i < SLOTS; ++i) {
    if (slot_ptr[i]) {
      checksum += slot_ptr[i][0];
      free(slot_ptr[i]);
      slot_ptr[i] = 0;
    }
  }
  return checksum;
}

EMSCRIPTEN_KEEPALIVE unsigned char* kernel_setup(uint32_t bytes) {
  unsigned char* pixels = (unsigned char*)malloc(bytes);
  if (!pixels)
    return 0;
  random_state = 0x2545F4914F6CDD1DULL;
  for (uint32_t i = 0; i < bytes; i += 4) {
    const uint32_t r = next_random();
    pixels[i] = (unsigned char)r;
    pixels[i + 1] = (unsigned char)(r >> 8);
    pixels[i + 2] = (unsigned char)(r >> 16);
    pixels[i + 3] = 255;
  }
  return pixels;
}

// Inverts the colour channels of every RGBA pixel, leaving alpha, `reps` times over.
EMSCRIPTEN_KEEPALIVE uint32_t kernel(unsigned char* pixels, uint32_t bytes, uint32_t reps) {
  uint32_t checksum = 0;
  for (uint32_t rep = 0; rep < reps; ++rep) {
    for (uint32_t i = 0; i < bytes; i += 4) {
      pixels[i] = (unsigned char)(255 - pixels[i]);
      pixels[i + 1] = (unsigned char)(255 - pixels[i + 1]);
      pixels[i + 2] = (unsigned char)(255 - pixels[i + 2]);
    }
    checksum = checksum * 31 + pixels[(rep * 4097u) % bytes];
  }
  return checksum;
}
