// The canonical zero-copy workload: invert a 1920x1080 RGBA frame in place, in linear memory.
// JavaScript allocates the frame here, views it with a Uint8ClampedArray, and never copies it.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <emscripten.h>

EMSCRIPTEN_KEEPALIVE uint8_t* frame_alloc(int width, int height) {
  return malloc((size_t)width * (size_t)height * 4);
}

EMSCRIPTEN_KEEPALIVE void frame_free(uint8_t* frame) { free(frame); }

// Inverts the colour channels; alpha is left alone.
EMSCRIPTEN_KEEPALIVE void invert(uint8_t* rgba, size_t bytes) {
  for (size_t i = 0; i + 3 < bytes; i += 4) {
    rgba[i] = 255 - rgba[i];
    rgba[i + 1] = 255 - rgba[i + 1];
    rgba[i + 2] = 255 - rgba[i + 2];
  }
}

// A filter's working memory, sized for the largest frame seen. Growing it may grow linear memory,
// which detaches every view JavaScript holds.
static uint8_t* scratch;
static size_t scratch_bytes;

EMSCRIPTEN_KEEPALIVE int reserve_scratch(size_t bytes) {
  if (bytes <= scratch_bytes) return 1;
  uint8_t* bigger = realloc(scratch, bytes);
  if (!bigger) return 0;
  scratch = bigger;
  scratch_bytes = bytes;
  return 1;
}
