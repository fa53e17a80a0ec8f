// An app for viewsan_instrument(TARGET): it hands JavaScript a buffer it allocates, which
// JavaScript reads and then frees with _free.
#include <stdint.h>
#include <stdlib.h>

uint32_t* make_squares(uint32_t n) {
  uint32_t* squares = malloc(n * sizeof(uint32_t));
  for (uint32_t i = 0; squares && i < n; ++i) {
    squares[i] = i * i;
  }
  return squares;
}

uint32_t sum(const uint32_t* values, uint32_t n) {
  uint32_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    total += values[i];
  }
  return total;
}
