// A small signal library: make_ramp hands JavaScript a block of samples it allocates, which
// JavaScript reads through a Float32Array view over the module's memory; mean_and_release takes
// the block back (and frees it).
#include <stdint.h>
#include <stdlib.h>

float* make_ramp(uint32_t n) {
  float* samples = malloc(n * sizeof(float));
  for (uint32_t i = 0; samples && i < n; ++i) {
    samples[i] = (float)i * 0.5f;
  }
  return samples;
}

float mean_and_release(float* samples, uint32_t n) {
  float total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    total += samples[i];
  }
  free(samples);
  return n ? total / (float)n : 0;
}
