// When the instrument could not see every allocation path (coverage "partial"), wasm may have
// allocated out of sight: a realloc that grew a region in place (Rust's Vec) or moved it into
// freed bytes. Bytes no live allocation is known to own may then be owned, so what the hooks
// saw of wasm's own allocations and frees is no evidence against a view, as a free of an unseen
// pointer is no invalid-free. What JavaScript allocated and freed through the exports was seen
// whole, and is judged as with complete coverage.

import { RegionState } from './shim-layout.js';

/**
 * Whether a view over [ptr, end), of which the shim's lookup said `found`, may lie in an
 * allocation the hooks did not see (partial coverage only).
 */
export function mayBeUnseenAllocation(sites, shim, found, ptr, end) {
  switch (found.state) {
    case RegionState.UNALLOCATED:
      return true;
    case RegionState.STRADDLES: {
      if (found.ptr > ptr || found.size === 0 || sites.calledFromJs(found.allocSite)) return false;
      // Without a free hooked, what lies beyond may be long freed: no evidence of an overflow.
      if (!sites.seesFrees) return true;
      const allocationEnd = found.ptr + found.size;
      const beyond = shim.lookup(allocationEnd, end - allocationEnd).state;
      return beyond !== RegionState.LIVE && beyond !== RegionState.STRADDLES;
    }
    default:  // freed, or freed and reused
      return !sites.calledFromJs(found.freeSite);
  }
}
