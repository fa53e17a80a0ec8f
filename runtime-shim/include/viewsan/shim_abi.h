// The ABI between viewsan-shim.wasm and the JS runtime (runtime-shim/js/shim.js).
//
// The instrumented module's `viewsan.*` imports (DESIGN.md contract 1) are bound directly to the
// shim's `vs_hook_*` exports, so a hook is a wasm-to-wasm call with no JS in between. JS reads the
// shim's state zero-copy through views over the shim's own memory (re-created whenever that memory
// grows) and calls the query exports below only on slow paths: a report, a snapshot, a revalidation.
//
// Cost. A hook is O(1) and allocates nothing once the shim's tables have grown to the program's
// needs: one hash probe by start address (the live regions are stored inline, beside the addresses
// freed lately), one quarantine record appended, the counters below. The address-ordered index
// behind range queries, the ids of live regions and the freed regions by address and by id are
// brought up to date by the queries that need them, in O(1) or O(log n) per change since the last
// one (runtime-shim/src/region_registry.h). bench/shim/run.mjs measures it.
//
// Threads. A module with shared memory runs one instance per thread (the main thread and each
// worker), all over one heap, so one registry must see every thread's allocations, frees and
// grows. Such a heap gets the shim built with a shared, imported memory (viewsan-shim-shared.wasm),
// instantiated once per thread over that one memory: the registry lives in it once, and each
// thread's instance calls its own thread's JS imports. Every hook holds the heap lock while it
// works on the registry (released before vs_on_error); JS holds it with vs_lock/vs_unlock around
// every other call and its reading of vs_result, so that one thread at a time runs shim code
// (the instances share one stack). Reading vs_state without the lock (the check epoch on every
// view access) is a racy read of one aligned word: a stale value only delays a check until the
// next access. A heap whose memory is not shared gets viewsan-shim.wasm, where the lock is a
// plain word only one thread ever touches.
// Shared buffers never detach: a view over shared memory is checked through the allocation id
// (and generation) it was created over, via check_epoch below; a whole-buffer view is stale once
// the memory grew past its SharedArrayBuffer's length, which the JS runtime checks.
//
// Every layout here is read by runtime-shim/js/shim-layout.js, which tests/shim/shim-layout.test.mjs
// checks against the compiled layout (tests/shim/layout_dump.cpp).
// The declarations at the end are the shim's complete import and export lists: the wasm build
// exports exactly the VS_EXPORT names (plus `memory`) and tests/shim pins both lists.
#ifndef VIEWSAN_SHIM_ABI_H
#define VIEWSAN_SHIM_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Site index used when JavaScript itself allocated, freed or grew (no `viewsan.sites` entry).
#define VS_SITE_JS (-1)
// Site index used when the module gave none (e.g. a hook called for an uninstrumented module).
#define VS_SITE_UNKNOWN (-2)

// Result of a lookup: what the bytes [ptr, ptr+len) are, from the registry's point of view.
enum vs_region_state {
  VS_UNALLOCATED = 0,  // no live allocation and no remembered freed one owns these bytes
  VS_LIVE = 1,         // inside one live allocation
  VS_FREED = 2,        // inside a freed allocation still remembered in quarantine
  VS_REUSED = 3,       // freed, and (part of) its bytes now belong to a newer live allocation
  VS_STRADDLES = 4,    // crosses the border of a live allocation
  VS_UNKNOWN_ID = 5,   // vs_alloc_status: the id was never issued, or was forgotten
};

// Errors detected inside hooks; reported through the imported `env.vs_on_error`.
enum vs_error_kind {
  VS_ERR_DOUBLE_FREE = 1,   // free of a region that is already freed
  VS_ERR_INVALID_FREE = 2,  // free of a pointer inside a live allocation but not at its start,
                            // or (coverage complete only) of a pointer no allocation returned
};

// Kinds of records in the event ring.
enum vs_event_kind {
  VS_EV_ALLOC = 1,
  VS_EV_FREE = 2,
  VS_EV_REALLOC = 3,
  VS_EV_GROW = 4,
  VS_EV_BAD_FREE = 5,
};

// Shared state at vs_state_ptr(): counters JS polls on its hot path. Every double is at an
// 8-byte aligned offset.
struct vs_state {
  uint32_t free_epoch;   // +0  incremented whenever live bytes stop being owned: every free, every
                         //     moving realloc, every in-place shrink, every retired region
  uint32_t grow_count;   // +4  number of completed grows (wasm- or JS-initiated)
  uint32_t allocs;       // +8
  uint32_t frees;        // +12
  uint32_t reallocs;     // +16
  uint32_t grows;        // +20
  uint32_t errors;       // +24 bad frees detected by the shim
  uint32_t events_enabled;  // +28 JS sets 1 when a consumer wants the event ring filled
  double live_bytes;     // +32 these three are as of the last vs_sync_state() (or vs_state_ptr()):
  double peak_bytes;     // +40 the hooks leave them to whoever reads them
  double quarantine_bytes;  // +48
  double heap_low;       // +56 lowest address ever allocated; +Infinity before any allocation
  uint32_t check_epoch;  // +64 what views compare on their fast path: incremented with free_epoch,
                         //     and, unless coverage is complete, with every allocation and every
                         //     in-place growth, whose overlap with regions freed where no hook saw
                         //     is resolved at the next query (vs_alloc_status included)
  uint32_t last_alloc_id;  // +68 the newest allocation's id (alloc, or realloc: the new one):
                           //     JS reads it after calling an allocator export, for free
  uint32_t unseen_frees;   // +72 frees (and reallocs' old blocks) not reported because
                           //     allocator activity the hooks did not see explains them (partial
                           //     coverage: a pointer no hook saw allocated, inside a region
                           //     believed live, or freed before)
};

// One record of the event ring (48 bytes).
struct vs_event {
  uint32_t kind;       // vs_event_kind
  int32_t site;
  uint32_t alloc_id;   // alloc/free/realloc: the allocation (realloc: the new one); grow: 0;
                       // bad free: the allocation involved, 0 if none
  uint32_t aux;        // alloc: generation; realloc: old alloc id (0 if unknown); grow: grow index
                       // (0xFFFFFFFF on failure); bad free: error kind
  double ptr;          // grow: previous size in pages (-1 on failure)
  double size;         // free: the freed size; grow: delta pages; realloc: new size
  double old_ptr;      // realloc: old pointer; otherwise 0
  double t;            // vs_now() when the event was recorded
};

// Event ring header at vs_events_ptr(); records follow the header immediately.
// Record i (counting from 0 since the start) is at index i % capacity.
struct vs_event_ring {
  uint32_t capacity;   // records, a power of two
  uint32_t record_size;
  double written;      // records written since the start (monotonic)
  double overflowed;   // records overwritten before JS read them (JS stores `read` below)
  double read;         // JS writes here how far it has consumed
};

// Description written at vs_result_ptr() by vs_lookup / vs_describe_alloc / vs_grow_record, and
// by a hook just before it calls vs_on_error (then it describes the allocation involved).
// Fields a query does not describe are 0, and sites VS_SITE_UNKNOWN.
struct vs_result {
  uint32_t state;      // vs_region_state
  uint32_t alloc_id;
  uint32_t generation; // allocations made before this one at the same address, counted back
                       // through the regions freed there that the quarantine remembers when the
                       // shim is first asked, and fixed from then on
  int32_t alloc_site;
  int32_t free_site;   // VS_SITE_UNKNOWN while live
  uint32_t frees_ago;  // how many frees happened after this one was freed
  double ptr;          // region start
  double size;         // region size
  uint32_t newer_alloc_id;  // VS_REUSED: the live allocation now owning the bytes
  int32_t newer_alloc_site;
  double newer_ptr;
  double newer_size;
  // grow records (vs_grow_record):
  double from_pages;
  double to_pages;
  int32_t grow_site;
  uint32_t pad;
};

// One live allocation in the array at vs_snapshot_ptr(), in address order.
struct vs_region_record {
  double ptr;
  double size;
  uint32_t alloc_id;
  uint32_t generation;
  int32_t alloc_site;
  uint32_t pad;
};

#if defined(__wasm__)
#define VS_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define VS_EXPORT(name) __attribute__((export_name(#name)))
#else
#define VS_IMPORT(name)
#define VS_EXPORT(name)
#endif

// Imports, module "env". Besides these four, Emscripten's runtime imports
//   env.emscripten_notify_memory_growth(uint32_t memory_index)
// which it calls after the shim's own memory grew: JS re-creates its views over the shim there.
// A bad free: its vs_error_kind, the pointer, the hook's site and the allocation the verdict names
// (a double free: the freed one; a pointer inside a live allocation: that one; else 0).
VS_IMPORT(vs_on_error) void vs_on_error(uint32_t kind, double ptr, int32_t site, uint32_t alloc_id);  // may throw
VS_IMPORT(vs_now) double vs_now(void);  // ms; called only while events_enabled
// Free filling (vs_configure_free_fill): called by a free hook for a live region, before the
// allocator runs, to fill the module's bytes [ptr, ptr + size) with the fill byte. `size` is
// already cut to the configured maximum. The shim is consistent when it is called.
VS_IMPORT(vs_fill_freed) void vs_fill_freed(double ptr, double size);
// The event ring is full, and the next record would overwrite one JS has not read (a long wasm
// call allocating thousands of times between two drains): JS may read the ring now, advancing
// its read cursor, so that nothing is lost. It must not call the shim. Called by a hook, only
// while events_enabled; a record still unread afterwards is overwritten and counted as lost.
VS_IMPORT(vs_on_events_full) void vs_on_events_full(void);

// Contract-1 hooks, bound as the module's `viewsan.*` imports. Memory32 pointers and sizes arrive
// as int32 and are read as unsigned: a memory32 heap may extend past 2 GiB. The `64` twins take
// int64 pointers, sizes and pages. A grow's prev_pages is -1 when it failed.
VS_EXPORT(vs_hook_alloc) void vs_hook_alloc(int32_t ptr, int32_t size, int32_t site);
VS_EXPORT(vs_hook_free) void vs_hook_free(int32_t ptr, int32_t site);
VS_EXPORT(vs_hook_realloc)
void vs_hook_realloc(int32_t old_ptr, int32_t new_ptr, int32_t size, int32_t site);
VS_EXPORT(vs_hook_grow_begin) void vs_hook_grow_begin(int32_t delta_pages, int32_t site);
VS_EXPORT(vs_hook_grow_end)
void vs_hook_grow_end(int32_t prev_pages, int32_t delta_pages, int32_t site);
VS_EXPORT(vs_hook_alloc64) void vs_hook_alloc64(int64_t ptr, int64_t size, int32_t site);
VS_EXPORT(vs_hook_free64) void vs_hook_free64(int64_t ptr, int32_t site);
VS_EXPORT(vs_hook_realloc64)
void vs_hook_realloc64(int64_t old_ptr, int64_t new_ptr, int64_t size, int32_t site);
VS_EXPORT(vs_hook_grow_begin64) void vs_hook_grow_begin64(int64_t delta_pages, int32_t site);
VS_EXPORT(vs_hook_grow_end64)
void vs_hook_grow_end64(int64_t prev_pages, int64_t delta_pages, int32_t site);

// The heap lock (see Threads): JS takes it around each query and its reading of vs_result, and
// around configuration. Not recursive; the hooks take it themselves.
VS_EXPORT(vs_lock) void vs_lock(void);
VS_EXPORT(vs_unlock) void vs_unlock(void);

// Configuration. quarantine_bytes < 0 keeps the default (256 MiB); 0 turns the quarantine off.
// The quarantine also holds at most 65535 regions, whatever their size.
VS_EXPORT(vs_configure) void vs_configure(uint32_t coverage_complete, double quarantine_bytes);
// Free filling, as ASan's max_free_fill_size: each free of a live region calls vs_fill_freed for
// at most the first `max_bytes` of it, so that stale reads through views viewsan does not check
// (compat mode, views made before viewsan) show a recognisable pattern. 0 (the default) is off.
// Reallocs that move are not filled: their hook runs after the allocator, which may already keep
// its own bookkeeping in the old block.
VS_EXPORT(vs_configure_free_fill) void vs_configure_free_fill(double max_bytes);

// Where the shared structures live: byte offsets into the shim's memory, fixed for its lifetime.
VS_EXPORT(vs_state_ptr) uintptr_t vs_state_ptr(void);    // struct vs_state
VS_EXPORT(vs_result_ptr) uintptr_t vs_result_ptr(void);  // struct vs_result
VS_EXPORT(vs_events_ptr) uintptr_t vs_events_ptr(void);  // struct vs_event_ring
// Brings vs_state's byte counts up to date.
VS_EXPORT(vs_sync_state) void vs_sync_state(void);

// Queries. Each returns a vs_region_state (vs_grow_record: 1 if known) and writes vs_result.
// vs_lookup reports LIVE, STRADDLES, FREED, REUSED (the bytes are in a freed allocation part of
// which a newer one now owns) or UNALLOCATED. A lookup with len 0 asks about the address alone.
// Every query first retires the live regions that newer allocations overlap (freed unseen), but
// a lookup of bytes of a live allocation no such overlap can concern (every free seen, or the
// allocation among the latest changes with none after it meeting it), answered as they are.
VS_EXPORT(vs_lookup) uint32_t vs_lookup(double ptr, double len);
VS_EXPORT(vs_alloc_status) uint32_t vs_alloc_status(uint32_t alloc_id);  // leaves vs_result alone
// The id of the live allocation that starts exactly at ptr, 0 if none: O(1), no query's upkeep
// (the free hook finds its region the same way); leaves vs_result alone.
VS_EXPORT(vs_live_id_at) uint32_t vs_live_id_at(double ptr);
// The id of the live allocation holding all of [ptr, ptr + len) (vs_lookup would say LIVE), 0 if
// none; leaves vs_result alone and counts no generation: what a view's owner needs, asked at every
// view a glue makes.
VS_EXPORT(vs_live_id_holding) uint32_t vs_live_id_holding(double ptr, double len);
VS_EXPORT(vs_describe_alloc) uint32_t vs_describe_alloc(uint32_t alloc_id);
VS_EXPORT(vs_grow_record) uint32_t vs_grow_record(uint32_t index);  // 0 = first completed grow
// vs_regions_snapshot copies the live allocations and returns their count; call vs_snapshot_ptr
// after it, since the array may move with each snapshot.
VS_EXPORT(vs_regions_snapshot) uint32_t vs_regions_snapshot(void);
VS_EXPORT(vs_snapshot_ptr) uintptr_t vs_snapshot_ptr(void);  // struct vs_region_record[count]

#ifdef __cplusplus
}
#endif

#endif  // VIEWSAN_SHIM_ABI_H
