// Byte offsets of the structures in runtime-shim/include/viewsan/shim_abi.h, and its enums' values.
// The header is the source: tests/shim/shim-layout.test.mjs checks every name here against the
// layout the compiler gives it.

export const VS_SITE_JS = -1;
export const VS_SITE_UNKNOWN = -2;

export const RegionState = Object.freeze({
  UNALLOCATED: 0, LIVE: 1, FREED: 2, REUSED: 3, STRADDLES: 4, UNKNOWN_ID: 5,
});

export const ErrorKind = Object.freeze({ DOUBLE_FREE: 1, INVALID_FREE: 2 });

export const EventKind = Object.freeze({ ALLOC: 1, FREE: 2, REALLOC: 3, GROW: 4, BAD_FREE: 5 });

// struct vs_state
export const State = Object.freeze({
  FREE_EPOCH: 0, GROW_COUNT: 4, ALLOCS: 8, FREES: 12, REALLOCS: 16, GROWS: 20, ERRORS: 24,
  EVENTS_ENABLED: 28, LIVE_BYTES: 32, PEAK_BYTES: 40, QUARANTINE_BYTES: 48, HEAP_LOW: 56,
  CHECK_EPOCH: 64, LAST_ALLOC_ID: 68, UNSEEN_FREES: 72,
});

// struct vs_event
export const Event = Object.freeze({
  KIND: 0, SITE: 4, ALLOC_ID: 8, AUX: 12, PTR: 16, SIZE: 24, OLD_PTR: 32, T: 40,
});

// struct vs_event_ring; records start at RECORDS.
export const Ring = Object.freeze({
  CAPACITY: 0, RECORD_SIZE: 4, WRITTEN: 8, OVERFLOWED: 16, READ: 24, RECORDS: 32,
});

// struct vs_result
export const Result = Object.freeze({
  STATE: 0, ALLOC_ID: 4, GENERATION: 8, ALLOC_SITE: 12, FREE_SITE: 16, FREES_AGO: 20,
  PTR: 24, SIZE: 32, NEWER_ALLOC_ID: 40, NEWER_ALLOC_SITE: 44, NEWER_PTR: 48, NEWER_SIZE: 56,
  FROM_PAGES: 64, TO_PAGES: 72, GROW_SITE: 80,
});

// struct vs_region_record
export const RegionRecord = Object.freeze({
  PTR: 0, SIZE: 8, ALLOC_ID: 16, GENERATION: 20, ALLOC_SITE: 24, BYTES: 32,
});
