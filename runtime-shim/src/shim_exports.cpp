// The extern "C" ABI of viewsan/shim_abi.h, over one Shim.
//
// Threads (see "Threads" in shim_abi.h): a heap shared by several threads has one shim, whose
// memory is shared too, instantiated once per thread. Every hook holds the heap lock while it
// changes the registry; JS holds it (vs_lock) around a query and its reading of vs_result. One
// thread in the shim at a time also lets every instance use the same stack.
//
// A hook that finds a bad free calls the imported vs_on_error last, after the shim has recorded
// everything: that import may throw a JS exception through these frames (halt_on_error), and the
// shim must be consistent whenever control leaves it.
#include "shim_instance.h"
#include "viewsan/shim_abi.h"

namespace viewsan {
namespace {

// A free as its hook judged it, under the heap lock: the vs_error_kind (0: fine) and the
// allocation the verdict names (0: none), which JS describes as decided, never judging again.
struct BadFree {
  u32 kind = 0;
  u32 alloc_id = 0;
};

BadFree Judged(u32 kind) { return {kind, kind != 0 ? TheShim().result()->alloc_id : 0}; }

void Report(const BadFree& bad, u64 ptr, s32 site) {
  if (bad.kind != 0)
    vs_on_error(bad.kind, static_cast<double>(ptr), site, bad.alloc_id);
}

// Memory32 hooks pass pointers, sizes and pages as i32; they are unsigned.
u64 Unsigned32(int32_t value) { return static_cast<uint32_t>(value); }

// JS passes addresses and lengths as Numbers: a negative or NaN one becomes `fallback`, one too
// large becomes kAddressLimit, where no region lies.
u64 FromNumber(double value, u64 fallback) {
  if (value >= 0 && value < static_cast<double>(kAddressLimit))
    return static_cast<u64>(value);
  return value >= 0 ? kAddressLimit : fallback;
}

uintptr_t Offset(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// The heap lock: a spin lock, since a browser's main thread may not block (memory.atomic.wait
// traps there) and the sections it guards are short. In the single-threaded build the atomics
// are ordinary loads and stores.
uint32_t g_heap_lock = 0;

void Lock() {
  while (__atomic_exchange_n(&g_heap_lock, 1u, __ATOMIC_ACQUIRE) != 0) {
    while (__atomic_load_n(&g_heap_lock, __ATOMIC_RELAXED) != 0) {
    }
  }
}

void Unlock() { __atomic_store_n(&g_heap_lock, 0u, __ATOMIC_RELEASE); }

// Holds the heap lock for a hook's work on the registry. A bad free is reported after it is
// released: vs_on_error calls JavaScript, which queries the shim under the lock itself.
class HeapLock {
 public:
  HeapLock() { Lock(); }
  ~HeapLock() { Unlock(); }
  HeapLock(const HeapLock&) = delete;
  HeapLock& operator=(const HeapLock&) = delete;
};

}  // namespace

Shim* g_shim = nullptr;

VS_NOINLINE Shim& CreateShim() {
  g_shim = new Shim(Shim::Options(), &vs_now, &vs_fill_freed, &vs_on_events_full);
  return *g_shim;
}

void ResetShimForTesting() {
  delete g_shim;
  g_shim = nullptr;
}

}  // namespace viewsan

using namespace viewsan;

extern "C" {

void vs_hook_alloc(int32_t ptr, int32_t size, int32_t site) {
  HeapLock lock;
  TheShim().Alloc(Unsigned32(ptr), Unsigned32(size), site);
}

void vs_hook_free(int32_t ptr, int32_t site) {
  BadFree bad;
  {
    HeapLock lock;
    bad = Judged(TheShim().Free(Unsigned32(ptr), site));
  }
  Report(bad, Unsigned32(ptr), site);
}

void vs_hook_realloc(int32_t old_ptr, int32_t new_ptr, int32_t size, int32_t site) {
  BadFree bad;
  {
    HeapLock lock;
    bad = Judged(TheShim().Realloc(Unsigned32(old_ptr), Unsigned32(new_ptr), Unsigned32(size), site));
  }
  Report(bad, Unsigned32(old_ptr), site);
}

// A grow is recorded when it completes: grow_end carries its outcome and everything else.
void vs_hook_grow_begin(int32_t, int32_t) {}

void vs_hook_grow_end(int32_t prev_pages, int32_t delta_pages, int32_t site) {
  HeapLock lock;
  TheShim().GrowEnd(prev_pages, Unsigned32(delta_pages), site);
}

void vs_hook_alloc64(int64_t ptr, int64_t size, int32_t site) {
  HeapLock lock;
  TheShim().Alloc(static_cast<u64>(ptr), static_cast<u64>(size), site);
}

void vs_hook_free64(int64_t ptr, int32_t site) {
  BadFree bad;
  {
    HeapLock lock;
    bad = Judged(TheShim().Free(static_cast<u64>(ptr), site));
  }
  Report(bad, static_cast<u64>(ptr), site);
}

void vs_hook_realloc64(int64_t old_ptr, int64_t new_ptr, int64_t size, int32_t site) {
  BadFree bad;
  {
    HeapLock lock;
    bad = Judged(TheShim().Realloc(static_cast<u64>(old_ptr), static_cast<u64>(new_ptr),
                            static_cast<u64>(size), site));
  }
  Report(bad, static_cast<u64>(old_ptr), site);
}

void vs_hook_grow_begin64(int64_t, int32_t) {}

void vs_hook_grow_end64(int64_t prev_pages, int64_t delta_pages, int32_t site) {
  HeapLock lock;
  TheShim().GrowEnd(prev_pages, static_cast<u64>(delta_pages), site);
}

void vs_lock(void) { Lock(); }
void vs_unlock(void) { Unlock(); }

void vs_configure(uint32_t coverage_complete, double quarantine_bytes) {
  TheShim().Configure(coverage_complete != 0, quarantine_bytes);
}

void vs_configure_free_fill(double max_bytes) {
  TheShim().ConfigureFreeFill(FromNumber(max_bytes, 0));
}

uintptr_t vs_state_ptr(void) { return Offset(TheShim().state()); }
uintptr_t vs_result_ptr(void) { return Offset(TheShim().result()); }
uintptr_t vs_events_ptr(void) { return Offset(TheShim().events()); }
void vs_sync_state(void) { TheShim().state(); }

uint32_t vs_lookup(double ptr, double len) {
  return TheShim().Lookup(FromNumber(ptr, kAddressLimit), FromNumber(len, 0));
}

uint32_t vs_alloc_status(uint32_t alloc_id) { return TheShim().Status(alloc_id); }
uint32_t vs_live_id_at(double ptr) { return TheShim().LiveIdAt(FromNumber(ptr, kAddressLimit)); }
uint32_t vs_live_id_holding(double ptr, double len) {
  return TheShim().LiveIdHolding(FromNumber(ptr, kAddressLimit), FromNumber(len, 0));
}
uint32_t vs_describe_alloc(uint32_t alloc_id) { return TheShim().Describe(alloc_id); }
uint32_t vs_grow_record(uint32_t index) { return TheShim().DescribeGrow(index) ? 1 : 0; }
uint32_t vs_regions_snapshot(void) { return TheShim().Snapshot(); }
uintptr_t vs_snapshot_ptr(void) { return Offset(TheShim().snapshot()); }

}  // extern "C"
