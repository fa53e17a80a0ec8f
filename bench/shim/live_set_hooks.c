// The least a shim must do to judge frees from another instance, as hooks bench/shim/run.mjs can
// bind an instrumented module to: keep the set of live allocations' start addresses (an
// allocation adds its pointer, a free removes it; a free of a pointer the set lacks is counted as
// bad). No ids, sizes, generations, sites or quarantine: a floor for the real shim's hooks, which
// do all that besides.
//
// Open addressing over 32-bit pointers, at most half full, linear probing; removal moves later
// entries back, as the shim's tables do.
#include <stdint.h>
#include <stdlib.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static uint32_t* slots;  // 0 is empty: the null pointer is never live
static uint32_t mask;
static uint32_t count;
static uint32_t bad_frees;

static uint32_t home(uint32_t ptr) { return (uint32_t)((ptr * 0x9E3779B97F4A7C15ULL) >> 40) & mask; }

static void insert(uint32_t ptr) {
  uint32_t i = home(ptr);
  while (slots[i] != 0 && slots[i] != ptr)
    i = (i + 1) & mask;
  if (slots[i] == 0) {
    slots[i] = ptr;
    ++count;
  }
}

static void grow(void) {
  uint32_t* old = slots;
  const uint32_t old_capacity = old ? mask + 1 : 0;
  const uint32_t capacity = old_capacity ? old_capacity * 2 : 1024;
  slots = calloc(capacity, sizeof(uint32_t));
  mask = capacity - 1;
  count = 0;
  for (uint32_t i = 0; i < old_capacity; ++i) {
    if (old[i] != 0)
      insert(old[i]);
  }
  free(old);
}

EXPORT(live_set_alloc) void live_set_alloc(uint32_t ptr, uint32_t size, int32_t site) {
  (void)size, (void)site;
  if (ptr == 0)
    return;
  if (!slots || (count + 1) * 2 > mask + 1)
    grow();
  insert(ptr);
}

EXPORT(live_set_free) void live_set_free(uint32_t ptr, int32_t site) {
  (void)site;
  if (ptr == 0)
    return;
  uint32_t hole = slots ? home(ptr) : 0;
  for (;; hole = (hole + 1) & mask) {
    if (!slots || slots[hole] == 0) {
      ++bad_frees;
      return;
    }
    if (slots[hole] == ptr)
      break;
  }
  for (uint32_t next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
    const uint32_t h = home(slots[next]);
    const int stays = hole <= next ? (hole < h && h <= next) : (hole < h || h <= next);
    if (!stays) {
      slots[hole] = slots[next];
      hole = next;
    }
  }
  slots[hole] = 0;
  --count;
}

EXPORT(live_set_bad_frees) uint32_t live_set_bad_frees(void) { return bad_frees; }
