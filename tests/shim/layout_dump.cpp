// Prints the shim ABI's layout as the compiler lays out runtime-shim/include/viewsan/shim_abi.h:
// JSON in the shape of runtime-shim/js/shim-layout.js (its names, their offsets and values), which
// shim-layout.test.mjs compares with what the JS runtime reads. One source, checked.
#include <cstddef>
#include <cstdio>
#include <string>

#include "viewsan/shim_abi.h"

namespace {

std::string g_json;

void Open(const char* name) { g_json += std::string(g_json.empty() ? "{" : ",") + "\"" + name + "\":{"; }
void Close() { g_json += "}"; }
void Field(const char* name, long long value) {
  if (g_json.back() != '{')
    g_json += ",";
  g_json += "\"" + std::string(name) + "\":" + std::to_string(value);
}

}  // namespace

#define OFFSET(type, member, name) Field(name, static_cast<long long>(offsetof(type, member)))

int main() {
  Open("Constants");
  Field("VS_SITE_JS", VS_SITE_JS);
  Field("VS_SITE_UNKNOWN", VS_SITE_UNKNOWN);
  Close();

  Open("RegionState");
  Field("UNALLOCATED", VS_UNALLOCATED);
  Field("LIVE", VS_LIVE);
  Field("FREED", VS_FREED);
  Field("REUSED", VS_REUSED);
  Field("STRADDLES", VS_STRADDLES);
  Field("UNKNOWN_ID", VS_UNKNOWN_ID);
  Close();

  Open("ErrorKind");
  Field("DOUBLE_FREE", VS_ERR_DOUBLE_FREE);
  Field("INVALID_FREE", VS_ERR_INVALID_FREE);
  Close();

  Open("EventKind");
  Field("ALLOC", VS_EV_ALLOC);
  Field("FREE", VS_EV_FREE);
  Field("REALLOC", VS_EV_REALLOC);
  Field("GROW", VS_EV_GROW);
  Field("BAD_FREE", VS_EV_BAD_FREE);
  Close();

  Open("State");
  OFFSET(vs_state, free_epoch, "FREE_EPOCH");
  OFFSET(vs_state, grow_count, "GROW_COUNT");
  OFFSET(vs_state, allocs, "ALLOCS");
  OFFSET(vs_state, frees, "FREES");
  OFFSET(vs_state, reallocs, "REALLOCS");
  OFFSET(vs_state, grows, "GROWS");
  OFFSET(vs_state, errors, "ERRORS");
  OFFSET(vs_state, events_enabled, "EVENTS_ENABLED");
  OFFSET(vs_state, live_bytes, "LIVE_BYTES");
  OFFSET(vs_state, peak_bytes, "PEAK_BYTES");
  OFFSET(vs_state, quarantine_bytes, "QUARANTINE_BYTES");
  OFFSET(vs_state, heap_low, "HEAP_LOW");
  OFFSET(vs_state, check_epoch, "CHECK_EPOCH");
  OFFSET(vs_state, last_alloc_id, "LAST_ALLOC_ID");
  OFFSET(vs_state, unseen_frees, "UNSEEN_FREES");
  Close();

  Open("Event");
  OFFSET(vs_event, kind, "KIND");
  OFFSET(vs_event, site, "SITE");
  OFFSET(vs_event, alloc_id, "ALLOC_ID");
  OFFSET(vs_event, aux, "AUX");
  OFFSET(vs_event, ptr, "PTR");
  OFFSET(vs_event, size, "SIZE");
  OFFSET(vs_event, old_ptr, "OLD_PTR");
  OFFSET(vs_event, t, "T");
  Close();

  Open("Ring");
  OFFSET(vs_event_ring, capacity, "CAPACITY");
  OFFSET(vs_event_ring, record_size, "RECORD_SIZE");
  OFFSET(vs_event_ring, written, "WRITTEN");
  OFFSET(vs_event_ring, overflowed, "OVERFLOWED");
  OFFSET(vs_event_ring, read, "READ");
  Field("RECORDS", sizeof(vs_event_ring));
  Close();

  Open("Result");
  OFFSET(vs_result, state, "STATE");
  OFFSET(vs_result, alloc_id, "ALLOC_ID");
  OFFSET(vs_result, generation, "GENERATION");
  OFFSET(vs_result, alloc_site, "ALLOC_SITE");
  OFFSET(vs_result, free_site, "FREE_SITE");
  OFFSET(vs_result, frees_ago, "FREES_AGO");
  OFFSET(vs_result, ptr, "PTR");
  OFFSET(vs_result, size, "SIZE");
  OFFSET(vs_result, newer_alloc_id, "NEWER_ALLOC_ID");
  OFFSET(vs_result, newer_alloc_site, "NEWER_ALLOC_SITE");
  OFFSET(vs_result, newer_ptr, "NEWER_PTR");
  OFFSET(vs_result, newer_size, "NEWER_SIZE");
  OFFSET(vs_result, from_pages, "FROM_PAGES");
  OFFSET(vs_result, to_pages, "TO_PAGES");
  OFFSET(vs_result, grow_site, "GROW_SITE");
  Close();

  Open("RegionRecord");
  OFFSET(vs_region_record, ptr, "PTR");
  OFFSET(vs_region_record, size, "SIZE");
  OFFSET(vs_region_record, alloc_id, "ALLOC_ID");
  OFFSET(vs_region_record, generation, "GENERATION");
  OFFSET(vs_region_record, alloc_site, "ALLOC_SITE");
  Field("BYTES", sizeof(vs_region_record));
  Close();

  // What the JS runtime reads must cover each structure: the sizes, to tell a field added here
  // and not there.
  Open("Sizes");
  Field("State", sizeof(vs_state));
  Field("Event", sizeof(vs_event));
  Field("Result", sizeof(vs_result));
  Close();
  g_json += "}";
  std::puts(g_json.c_str());
  return 0;
}
