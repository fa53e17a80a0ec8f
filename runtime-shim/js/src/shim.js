// One instance of viewsan-shim.wasm: the region registry of one guarded module instance.
//
// The module's `viewsan.*` hook imports are bound straight to the shim's exports (wasm to wasm, no
// JS on the hook path). JS reads the shim's counters through typed-array views over the shim's own
// memory. Those views go stale when the shim's memory grows, exactly like the views viewsan guards:
// they are re-created on the grow notification, and a stale read (undefined) sends the hot path to
// the slow path, which refreshes them too.
//
// A heap that threads share (a shared memory) has one registry for all of them: the shim built
// with a shared memory (viewsan-shim-shared.wasm), instantiated in each thread over the heap's
// shim memory (shared-heaps.js). Then every call JS makes into the shim, and its reading of the
// results, holds the heap lock (see Threads in shim_abi.h).

import { isNode, nodeBuiltins } from './environment.js';
import { Event, RegionRecord, RegionState, Result, Ring, State } from './shim-layout.js';

// Beside the package's entry points: one folder up from src/ and from dist/ alike.
const SHIM_URL = new URL('../viewsan-shim.wasm', import.meta.url);
const SHARED_SHIM_URL = new URL('../viewsan-shim-shared.wasm', import.meta.url);

// The engine's own constructor: viewsan's shim is never an app module to register or name.
const RawInstance = WebAssembly.Instance;

// The shared shim's memory import, as its link declares it (runtime-shim/CMakeLists.txt): 1 MiB
// to start, at most 2 GiB.
export const SHARED_SHIM_MEMORY = { initial: 16, maximum: 32768, shared: true };

let shimModule;
let shimModulePromise;
let sharedShimModule;

// Node reads the shim from disk and compiles it synchronously: under a millisecond for its 64 KiB,
// where the asynchronous compile costs an app's start a round of tasks.
const compilesSynchronously = (url) => isNode && url.protocol === 'file:';

function compileShimNow(url) {
  return new WebAssembly.Module(nodeBuiltins.fs.readFileSync(url));
}

async function compileShim(url) {
  if (compilesSynchronously(url)) return compileShimNow(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`viewsan: cannot load ${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

// Whether this thread can share a memory with others: Node, or a cross-origin isolated page.
function threadsPossible() {
  return typeof SharedArrayBuffer === 'function' && (isNode || globalThis.crossOriginIsolated === true);
}

/**
 * Compiles viewsan-shim.wasm once per process (or page), and where threads can share memory and
 * the shim is fetched, the shared shim too (a page without cross-origin isolation has no shared
 * memory to guard). Node compiles the shared shim when a shared memory first needs it.
 */
export function loadShimModule() {
  shimModulePromise ??= (async () => {
    const prefetchShared = threadsPossible() && !compilesSynchronously(SHARED_SHIM_URL);
    const [module, shared] = await Promise.all([
      compileShim(SHIM_URL),
      prefetchShared ? compileShim(SHARED_SHIM_URL).catch(() => null) : undefined,
    ]);
    shimModule = module;
    if (prefetchShared) sharedShimModule = shared;
    return shimModule;
  })();
  return shimModulePromise;
}

/** The compiled shim, once loadShimModule() has resolved (for synchronous instantiation paths). */
export function loadedShimModule() {
  return shimModule;
}

/**
 * The compiled shared shim, where threads are possible, once loadShimModule() has resolved (a
 * page), or compiled now (Node); null where it is not available.
 */
export function loadedSharedShimModule() {
  if (sharedShimModule === undefined && shimModule && threadsPossible() && compilesSynchronously(SHARED_SHIM_URL)) {
    try {
      sharedShimModule = compileShimNow(SHARED_SHIM_URL);
    } catch {
      sharedShimModule = null;
    }
  }
  return sharedShimModule ?? null;
}

/** Whether `module` is one of viewsan's own shims. */
export function isShimModule(module) {
  return module != null && (module === shimModule || module === sharedShimModule);
}

const HOOKS = ['alloc', 'free', 'realloc', 'grow_begin', 'grow_end'];

export class Shim {
  /**
   * @param {WebAssembly.Module} module compiled viewsan-shim.wasm
   * @param {{onError(kind:number, ptr:number, site:number, allocId:number):void, now():number,
   *          fillFreed(ptr:number, size:number):void, eventsFull():void}} host
   * @param {WebAssembly.Memory} [sharedMemory] for the shared shim: the heap's shim memory
   */
  constructor(module, host, sharedMemory) {
    const env = {
      vs_on_error: (kind, ptr, site, allocId) => host.onError(kind, ptr, site, allocId),
      vs_now: () => host.now(),
      vs_fill_freed: (ptr, size) => host.fillFreed(ptr, size),
      vs_on_events_full: () => host.eventsFull(),
      emscripten_notify_memory_growth: () => this.refreshViews(),
    };
    const imports = {};
    for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
      if (kind === 'memory' && sharedMemory) continue;
      if (kind !== 'function') throw new Error(`viewsan: unexpected shim import ${mod}.${name}`);
      imports[mod] ??= {};
      imports[mod][name] = env[name] ?? (() => {
        throw new Error(`viewsan: the shim called ${mod}.${name}, which viewsan does not provide`);
      });
    }
    if (sharedMemory) imports.env = { ...imports.env, memory: sharedMemory };
    this.instance = new RawInstance(module, imports);
    this.exports = this.instance.exports;
    this.memory = sharedMemory ?? this.exports.memory;
    this.shared = sharedMemory !== undefined;
    this.locked(() => {
      this.statePtr = this.exports.vs_state_ptr();
      this.resultPtr = this.exports.vs_result_ptr();
      this.ringPtr = this.exports.vs_events_ptr();
    });
    this.refreshViews();
  }

  /** Re-creates the views when the shim's memory grew (its old buffer is then detached). */
  syncViews() {
    // A shared memory never detaches: another thread's growth shows only in the length.
    if (this.u32.length === 0 || (this.shared && this.u32.byteLength !== this.memory.buffer.byteLength)) this.refreshViews();
  }

  /** Runs `work` (calls into the shim and reads of their results) holding the heap lock. */
  locked(work) {
    if (!this.shared) return work();
    this.exports.vs_lock();
    try {
      return work();
    } finally {
      this.exports.vs_unlock();
    }
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
    this.locked(() => this.exports.vs_configure(coverageComplete ? 1 : 0, quarantineBytes));
  }

  /** Each free of a live allocation fills at most its first `maxBytes` through host.fillFreed. */
  configureFreeFill(maxBytes) {
    this.locked(() => this.exports.vs_configure_free_fill(maxBytes));
  }

  /** Frees counted, not reported: allocator activity the hooks did not see explains them. */
  unseenFrees() {
    return this.stateU32(State.UNSEEN_FREES);
  }

  /** The id of the newest allocation: read right after an allocator export JS called. */
  lastAllocId() {
    return this.stateU32(State.LAST_ALLOC_ID);
  }

  /** The id of the live allocation starting exactly at ptr, 0 if none; O(1). */
  liveIdAt(ptr) {
    return this.locked(() => this.exports.vs_live_id_at(ptr));
  }

  allocStatus(allocId) {
    return this.locked(() => this.exports.vs_alloc_status(allocId));
  }

  /** The allocation id owning [ptr, ptr+len) when it lies in one live allocation, else 0. */
  liveAllocationAt(ptr, len) {
    return this.locked(() => this.exports.vs_live_id_holding(ptr, len));
  }

  /** The lowest address ever allocated (Infinity before the first allocation). */
  heapLow() {
    return this.stateF64(State.HEAP_LOW);
  }

  growCount() {
    return this.stateU32(State.GROW_COUNT);
  }

  /** What owns [ptr, ptr+len): a RegionState plus the details of vs_result. */
  lookup(ptr, len) {
    return this.locked(() => this.#readResult(this.exports.vs_lookup(ptr, len)));
  }

  describeAlloc(allocId) {
    return this.locked(() => this.#readResult(this.exports.vs_describe_alloc(allocId)));
  }

  growRecord(index) {
    return this.locked(() => {
      if (!this.exports.vs_grow_record(index)) return null;
      this.syncViews();
      const r = this.resultPtr;
      return {
        fromPages: this.f64[(r + Result.FROM_PAGES) >> 3],
        toPages: this.f64[(r + Result.TO_PAGES) >> 3],
        site: this.i32[(r + Result.GROW_SITE) >> 2],
      };
    });
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
    return this.locked(() => this.#readRegions());
  }

  #readRegions() {
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
    if (!this.shared) return this.#drainEvents(visit);
    const records = [];
    const lost = this.locked(() => this.#drainEvents((record) => records.push(record)));
    records.forEach(visit);
    return lost;
  }

  /**
   * drainEvents() from inside a hook (vs_on_events_full): the hook holds the heap's lock, and the
   * shim may not be called.
   */
  drainEventsInHook(visit) {
    return this.#drainEvents(visit);
  }

  #drainEvents(visit) {
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
    return this.locked(() => this.#readStats());
  }

  #readStats() {
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
