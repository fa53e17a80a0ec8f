// An audio gain stage, built with clang and wasi-libc. Blocks travel as packets: a header, then
// the Float32 samples of one channel. JavaScript views the samples in place; the module scales
// them in place. The packet layout takes the header size from the caller, so that the sample can
// show both a header padded to 8 bytes and a 5-byte one that misaligns every Float32 after it.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("packet_new") uint8_t* packet_new(int frames, int header_bytes) {
  uint8_t* packet = malloc((size_t)header_bytes + (size_t)frames * sizeof(float));
  if (packet) memcpy(packet, "VSA\x01\x01", header_bytes < 5 ? (size_t)header_bytes : 5);
  return packet;
}

EXPORT("packet_free") void packet_free(uint8_t* packet) { free(packet); }

// Scales `frames` samples starting at `samples` (wasm loads need no alignment; JS views do).
EXPORT("apply_gain") void apply_gain(uint8_t* samples, int frames, float gain) {
  for (int i = 0; i < frames; i++) {
    float s;
    memcpy(&s, samples + 4 * i, sizeof s);
    s *= gain;
    memcpy(samples + 4 * i, &s, sizeof s);
  }
}

// What the module sees at sample i: the zero-copy proof reads it back.
EXPORT("sample_at") float sample_at(uint8_t* samples, int i) {
  float s;
  memcpy(&s, samples + 4 * i, sizeof s);
  return s;
}
