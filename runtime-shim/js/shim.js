// One instance of viewsan-shim.wasm: the region registry of one guarded module instance.
//
// The module's `viewsan.*` hook imports are bound straight to the shim's exports (wasm to wasm, no
// JS on the hook path). JS reads the shim's counters through typed-array views over the shim's own
// memory. Those views go stale when the shim's memory grows, exactly like the views viewsan guards:
// they are re-created on the grow notification, and a stale read (undefined) sends the hot path to
// the slow path, which refreshes them too.

import { isNode, nodeBuiltins } from './environment.js';
import { Event, RegionRecord, RegionState, Result, Ring, State } from './shim-layout.js';

const SHIM_URL = new URL('./viewsan-shim.wasm', import.meta.url);

let shimModule;
let shimModulePromise;

/** Compiles viewsan-shim.wasm once per process (or page). */
export function loadShimModule() {
  shimModulePromise ??= (async () => {
    let bytes;
    if (isNode && SHIM_URL.protocol === 'file:') {
      // node:fs is loaded already (environment.js); node:fs/promises would be one more module.
      bytes = nodeBuiltins.fs.readFileSync(SHIM_URL);
    } else {
      const response = await fetch(SHIM_URL);
      if (!response.ok) throw new Error(`viewsan: cannot load ${SHIM_URL}: HTTP ${response.status}`);
      bytes = await response.arrayBuffer();
    }
    shimModule = await WebAssembly.compile(bytes);
    return shimModule;
  })();
  return shimModulePromise;
}

/** The compiled shim, once loadShimModule() has resolved (for synchronous instantiation paths). */
export function loadedShimModule() {
  return shimModule;
}

const HOOKS = ['alloc', 'free', 'realloc', 'grow_begin', 'grow_end'];

export class Shim {
  /**
   * @param {WebAssembly.Module} module compiled viewsan-shim.wasm
   * @param {{onError(kind:number, ptr:number, site:number):void, now():number,
   *          fillFreed(ptr:number, size:number):void}} host
   */
  constructor(module, host) {
    const env = {
      vs_on_error: (kind, ptr, site) => host.onError(kind, ptr, site),
      vs_now: () => host.now(),
      vs_fill_freed: (ptr, size) => host.fillFreed(ptr, size),
      emscripten_notify_memory_growth: () => this.refreshViews(),
    };
    const imports = {};
    for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
      if (kind !== 'function') throw new Error(`viewsan: unexpected shim import ${mod}.${name}`);
      imports[mod] ??= {};
      imports[mod][name] = env[name] ?? (() => {
        throw new Error(`viewsan: the shim called ${mod}.${name}, which viewsan does not provide`);
      });
    }
    this.instance = new WebAssembly.Instance(module, imports);
    this.exports = this.instance.exports;
    this.memory = this.exports.memory;
    this.statePtr = this.exports.vs_state_ptr();
    this.resultPtr = this.exports.vs_result_ptr();
    this.ringPtr = this.exports.vs_events_ptr();
    this.refreshViews();
  }

  /** Re-creates the views when the shim's memory grew (its old buffer is then detached). */
  syncViews() {
    if (this.u32.length === 0) this.refreshViews();
  }

  refreshViews() {
    const buffer = this.memory.buffer;
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
    // The hot path reads the check epoch from here (bumped by every free, and by every allocation
    // whose overlaps the shim resolves lazily): undefined once the buffer is detached.
    this.epochIndex = (this.statePtr + State.CHECK_EPOCH) >> 2;
  }

  /** The `viewsan` import object for an instrumented module (contract 1), 32- and 64-bit. */
  hookImports() {
    const out = {};
    for (const name of HOOKS) {
      out[name] = this.exports[`vs_hook_${name}`];
      out[`${name}64`] = this.exports[`vs_hook_${name}64`];
    }
    return out;
  }

  checkEpochFresh() {
    this.syncViews();
    return this.u32[this.epochIndex];
  }

  stateU32(offset) {
    this.syncViews();
    return this.u32[(this.statePtr + offset) >> 2];
  }

  stateF64(offset) {
    this.syncViews();
    return this.f64[(this.statePtr + offset) >> 3];
  }

  setEventsEnabled(on) {
    this.syncViews();
    this.u32[(this.statePtr + State.EVENTS_ENABLED) >> 2] = on ? 1 : 0;
  }

  configure({ coverageComplete, quarantineBytes }) {
    this.exports.vs_configure(coverageComplete ? 1 : 0, quarantineBytes);
  }

  /** Each free of a live allocation fills at most its first `maxBytes` through host.fillFreed. */
  configureFreeFill(maxBytes) {
    this.exports.vs_configure_free_fill(maxBytes);
  }

  /** The id of the newest allocation: read right after an allocator export JS called. */
  lastAllocId() {
    return this.stateU32(State.LAST_ALLOC_ID);
  }

  /** The id of the live allocation starting exactly at ptr, 0 if none; O(1). */
  liveIdAt(ptr) {
    return this.exports.vs_live_id_at(ptr);
  }

  allocStatus(allocId) {
    return this.exports.vs_alloc_status(allocId);
  }

  /** The allocation id owning [ptr, ptr+len) when it lies in one live allocation, else 0. */
  liveAllocationAt(ptr, len) {
    if (this.exports.vs_lookup(ptr, len) !== RegionState.LIVE) return 0;
    this.syncViews();
    return this.u32[(this.resultPtr + Result.ALLOC_ID) >> 2];
  }

  growCount() {
    return this.stateU32(State.GROW_COUNT);
  }

  /** What owns [ptr, ptr+len): a RegionState plus the details of vs_result. */
  lookup(ptr, len) {
    const state = this.exports.vs_lookup(ptr, len);
    return this.#readResult(state);
  }

  describeAlloc(allocId) {
    const state = this.exports.vs_describe_alloc(allocId);
    return this.#readResult(state);
  }

  growRecord(index) {
    if (!this.exports.vs_grow_record(index)) return null;
    this.syncViews();
    const r = this.resultPtr;
    return {
      fromPages: this.f64[(r + Result.FROM_PAGES) >> 3],
      toPages: this.f64[(r + Result.TO_PAGES) >> 3],
      site: this.i32[(r + Result.GROW_SITE) >> 2],
    };
  }

  #readResult(state) {
    // Queries may allocate inside the shim and grow its memory.
    this.syncViews();
    const r = this.resultPtr;
    const u32 = (o) => this.u32[(r + o) >> 2];
    const i32 = (o) => this.i32[(r + o) >> 2];
    const f64 = (o) => this.f64[(r + o) >> 3];
    return {
      state,
      allocId: u32(Result.ALLOC_ID),
      generation: u32(Result.GENERATION),
      allocSite: i32(Result.ALLOC_SITE),
      freeSite: i32(Result.FREE_SITE),
      freesAgo: u32(Result.FREES_AGO),
      ptr: f64(Result.PTR),
      size: f64(Result.SIZE),
      newer: state === RegionState.REUSED ? {
        allocId: u32(Result.NEWER_ALLOC_ID),
        allocSite: i32(Result.NEWER_ALLOC_SITE),
        ptr: f64(Result.NEWER_PTR),
        size: f64(Result.NEWER_SIZE),
      } : null,
    };
  }

  /** Every live allocation: [{ptr, size, allocId, generation, allocSite}]. */
  regions() {
    const count = this.exports.vs_regions_snapshot();
    const base = this.exports.vs_snapshot_ptr();
    this.syncViews();
    const out = new Array(count);
    for (let i = 0; i < count; i++) {
      const p = base + i * RegionRecord.BYTES;
      out[i] = {
        ptr: this.f64[(p + RegionRecord.PTR) >> 3],
        size: this.f64[(p + RegionRecord.SIZE) >> 3],
        allocId: this.u32[(p + RegionRecord.ALLOC_ID) >> 2],
        generation: this.u32[(p + RegionRecord.GENERATION) >> 2],
        allocSite: this.i32[(p + RegionRecord.ALLOC_SITE) >> 2],
      };
    }
    return out;
  }

  /** Reads the event ring records written since the last drain. */
  drainEvents(visit) {
    this.syncViews();
    const h = this.ringPtr;
    const capacity = this.u32[(h + Ring.CAPACITY) >> 2];
    const recordSize = this.u32[(h + Ring.RECORD_SIZE) >> 2];
    const written = this.f64[(h + Ring.WRITTEN) >> 3];
    let read = this.f64[(h + Ring.READ) >> 3];
    let lost = 0;
    if (written - read > capacity) {
      lost = written - read - capacity;
      read = written - capacity;
    }
    for (; read < written; read++) {
      const p = h + Ring.RECORDS + (read % capacity) * recordSize;
      visit({
        kind: this.u32[(p + Event.KIND) >> 2],
        site: this.i32[(p + Event.SITE) >> 2],
        allocId: this.u32[(p + Event.ALLOC_ID) >> 2],
        aux: this.u32[(p + Event.AUX) >> 2],
        ptr: this.f64[(p + Event.PTR) >> 3],
        size: this.f64[(p + Event.SIZE) >> 3],
        oldPtr: this.f64[(p + Event.OLD_PTR) >> 3],
        t: this.f64[(p + Event.T) >> 3],
      });
    }
    this.f64[(h + Ring.READ) >> 3] = written;
    return lost;
  }

  stats() {
    this.exports.vs_sync_state();  // the hooks leave the byte counts to their readers
    return {
      allocs: this.stateU32(State.ALLOCS),
      frees: this.stateU32(State.FREES),
      reallocs: this.stateU32(State.REALLOCS),
      grows: this.stateU32(State.GROWS),
      liveBytes: this.stateF64(State.LIVE_BYTES),
      peakBytes: this.stateF64(State.PEAK_BYTES),
      growCount: this.stateU32(State.GROW_COUNT),
      heapLow: this.stateF64(State.HEAP_LOW),
      unseenFrees: this.stateU32(State.UNSEEN_FREES),
    };
  }
}
