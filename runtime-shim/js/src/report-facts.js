// What a report says of a region, a site and a growth: the shim's records, with the JavaScript
// stacks of the calls JavaScript made (allocator calls through the exports, memory.grow), as
// reports show them. Each session has one; it only describes, never judges.

import { AllocatorCallStacks } from './allocator-call-stacks.js';
import { bufferReplacement } from './memory-registry.js';
import { WASM_PAGE_BYTES } from './protocol.js';
import { currentStack } from './report.js';
import { RegionState, VS_SITE_JS } from './shim-layout.js';

export class ReportFacts {
  #session;
  #growStacks = new Map();                 // grow index -> JS stack, for grows JavaScript started
  #jsStacks = new AllocatorCallStacks();   // for allocator calls JS made through the exports

  /** @param {{shim: object, sites: object, tracksAllocations: boolean}} session */
  constructor(session) {
    this.#session = session;
  }

  /** The JS stack of allocator call `role` ('alloc' | 'free') of allocation `allocId`. */
  rememberAllocatorCall(role, allocId, stack) {
    this.#jsStacks.remember(role, allocId, stack);
  }

  /** The JS stack of the grow the shim will record as number `index`. */
  rememberGrow(index, stack) {
    this.#growStacks.set(index, stack);
  }

  /** Whether JavaScript on this thread started grow `index`. */
  grewHere(index) {
    return this.#growStacks.has(index);
  }

  /** A site as reports show it, with the JS stack when JavaScript made that call. */
  site(index, role, allocId) {
    const { sites } = this.#session;
    const error = sites.calledFromJs(index) ? this.#jsStacks.of(role, allocId) : undefined;
    return sites.describe(index, error ? currentStack(error) : null);
  }

  /** A region the shim described (shim.lookup, shim.describeAlloc), as reports show it. */
  region(found) {
    const freed = found.state === RegionState.FREED || found.state === RegionState.REUSED;
    return {
      ptr: found.ptr,
      size: found.size,
      allocId: found.allocId,
      allocSite: this.site(found.allocSite, 'alloc', found.allocId),
      freeSite: freed ? this.site(found.freeSite, 'free', found.allocId) : null,
      freesAgo: freed ? found.freesAgo : null,
    };
  }

  /** The allocation, live or freed, that holds the byte at `ptr`; null when none does. */
  regionAt(ptr) {
    const { shim, tracksAllocations } = this.#session;
    if (ptr == null || !tracksAllocations) return null;
    const found = shim.lookup(ptr, 1);
    return found.state === RegionState.UNALLOCATED ? null : this.region(found);
  }

  /** The allocation that owned `allocId`, live or freed. */
  allocation(allocId) {
    return this.region(this.#session.shim.describeAlloc(allocId));
  }

  /** Grow number `index` as reports show it; null when the shim no longer remembers it. */
  grow(index) {
    const g = this.#session.shim.growRecord(index);
    if (!g) return null;
    return { fromPages: g.fromPages, toPages: g.toPages, site: this.#session.sites.describe(g.site, this.#growStacks.get(index)) };
  }

  /** What detached `buffer`: memory.toResizableBuffer() or toFixedLengthBuffer(), else grow `index`. */
  detachment(buffer, index) {
    return this.replacement(buffer) ?? this.grow(index);
  }

  /**
   * A buffer that memory.toResizableBuffer() or toFixedLengthBuffer() detached is reported in
   * place of a growth: the call and its JS stack, with the memory's size, which it did not change.
   */
  replacement(buffer) {
    const replaced = bufferReplacement(buffer);
    if (!replaced) return null;
    const site = this.#session.sites.describe(VS_SITE_JS, currentStack(replaced.stack));
    return { fromPages: replaced.pages, toPages: replaced.pages, site, method: replaced.method };
  }

  /** The grow that took the memory past `bytes` (a shared buffer's length), newest first; -1 if none remembered did. */
  growPast(bytes) {
    const { shim } = this.#session;
    for (let index = shim.growCount() - 1; index >= 0; index--) {
      const g = shim.growRecord(index);
      if (g === null) break;
      if (g.fromPages * WASM_PAGE_BYTES <= bytes && g.toPages * WASM_PAGE_BYTES > bytes) return index;
    }
    return -1;
  }
}
