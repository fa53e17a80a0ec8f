// A Session guards one module instance: it owns the shim (region registry), the site table, the
// guarded views over the instance's memory, and what they and the hooks report; every report goes
// through one path (session-reports.js).

import { CachedGlueViews } from './cached-glue-views.js';
import { CopyOuts } from './copy-outs.js';
import { monotonicNow, trackSession } from './environment.js';
import { EventStream } from './event-stream.js';
import { GlueRefresh } from './glue-views.js';
import { DataViewRecord, LentViewRecord, ViewRecord, compatView, strictView } from './guarded-view.js';
import { registerMemory, unregisterMemory } from './memory-registry.js';
import { EventType } from './protocol.js';
import { captureStack, currentStack } from './report.js';
import { hex } from './report-format.js';
import { ReportFacts } from './report-facts.js';
import { SessionReports } from './session-reports.js';
import { Shim } from './shim.js';
import { SharedWholeViewRecord, needsStaleCheck } from './stale-shared-views.js';
import { ErrorKind, RegionState, VS_SITE_JS } from './shim-layout.js';
import { mayBeUnseenAllocation } from './unseen-allocations.js';
import { engineError, isPlainPrimitive, reportedLength, toIndex } from './view-arguments.js';
import { RawUint8Array, isSharedArrayBuffer, rawViewConstructor } from './view-constructors.js';

let nextSessionId = 1;

export class Session {
  #bigIntAddresses = false;  // an exported allocator returned a BigInt (memory64)
  #options;
  #tracksAllocations = false; // whether hooks or wrapped allocator exports report allocations
  #memory = null;
  #heapBase = 0;
  #disposed = false;
  #tracked = false;           // counted in the process's report (environment.js)
  #reports = new SessionReports(this);  // every report goes through it (session-reports.js)
  #facts = new ReportFacts(this);       // what reports say of regions, sites, growths (report-facts.js)
  /** Copies out of the memory: counted, each place reported once (copy-outs.js). */
  copies = new CopyOuts(this.#reports, this.#facts);
  // The glue's own views over the memory: Emscripten's refreshed HEAP views (glue-views.js), or
  // wasm-bindgen's cached ones (cached-glue-views.js).
  #glue = new GlueRefresh(this);

  /**
   * @param {WebAssembly.Module} shimModule compiled viewsan-shim.wasm
   * @param {import('./sites.js').SiteTable} sites
   * @param {object} options resolved options (options.js)
   * @param {{early?: boolean, heap?: object}} [kind] early: a memory's session before any module
   *   uses the memory (early-sessions.js), counted in the process's report only once adopted or
   *   reporting; heap: the registry of a heap threads share ({memory, module, joined}:
   *   shared-heaps.js; `joined`: another thread made it)
   */
  constructor(shimModule, sites, options, { early = false, heap = null } = {}) {
    this.id = nextSessionId++;
    this.#options = options;
    this.sites = sites;
    this.startTime = monotonicNow();
    this.shim = new Shim(heap?.module ?? shimModule, {
      onError: (kind, ptr, site, allocId) => this.#onShimError(kind, ptr, site, allocId),
      now: () => monotonicNow() - this.startTime,
      fillFreed: (ptr, size) => this.#fillFreed(ptr, size),
      eventsFull: () => this.stream.drainFull(),
    }, heap?.memory);
    // The thread that made a shared heap's registry streams its events and counts its totals.
    this.joinedHeap = heap?.joined === true;
    this.#configure();
    this.stream = new EventStream(this);
    if (!early) this.track();
  }

  #configure() {
    this.shim.configure({
      coverageComplete: this.sites.coverageComplete,
      quarantineBytes: this.#options.quarantineMb * 1024 * 1024,
    });
    this.shim.configureFreeFill(Math.max(0, this.#options.maxFreeFillSize));
  }

  /** Counted in the process's report from now on (environment.js). */
  track() {
    if (this.#tracked) return;
    this.#tracked = true;
    trackSession(this, this.#options);
  }

  /**
   * An early session becomes the session of the module instantiated with its memory: the
   * module's sites and options from now on, its views, grows and reports so far kept.
   */
  adopt(sites, options) {
    this.sites = sites;
    this.#options = options;
    this.#configure();
    this.track();
  }

  get options() {
    return this.#options;
  }

  /** Every report so far, oldest first (contract 2). */
  get reports() {
    return this.#reports.list;
  }

  get memory() {
    return this.#memory;
  }

  /** Binds the instance's memory: views over it are guarded from now on. */
  attach(memory, heapBase) {
    this.#memory = memory;
    this.#heapBase = heapBase ?? 0;
    registerMemory(memory, this);
  }

  /** From now on views are tied to the allocations the hooks (or wrapped exports) report. */
  trackAllocations() {
    this.#tracksAllocations = true;
  }

  get tracksAllocations() {
    return this.#tracksAllocations;
  }

  /** The module's glue keeps cached views over the memory, as wasm-bindgen's does (cached-glue-views.js). */
  useCachedGlueViews() {
    this.#glue.end();
    this.#glue = new CachedGlueViews(this);
  }

  /**
   * Whether this session knows its glue's script: by the cached views it made
   * (cached-glue-views.js), or where it refreshes its views (glue-views.js).
   */
  knowsGlue() {
    return this.#glue.knowsGlue();
  }

  /** Whether `fn` (viewsan's function) was called from the glue's script, when known. */
  calledFromGlue(fn) {
    return this.#glue.calledFromGlue(fn);
  }

  /** The instance was handed back, or JS made the memory: a glue may make its views now (glue-views.js). */
  expectGlueRefresh() {
    if (!isSharedArrayBuffer(this.#memory.buffer)) this.#glue.expect();
  }

  /**
   * Remembers the JS stack of an allocator call JavaScript made through an export: after an
   * allocation (its id is the shim's newest), before a free (the live allocation at ptr). The
   * newest few thousand are kept (allocator-call-stacks.js).
   */
  rememberJsStack(role, ptr) {
    this.#glue.end();
    if (!ptr) return;
    // A memory64 module's pointers are BigInts; the shim's queries take Numbers (exact below 2^53).
    if (typeof ptr === 'bigint') this.#bigIntAddresses = true;
    // (The newest allocation is this call's unless other threads allocate in the same heap.)
    const allocId = role === 'alloc' && !this.shim.shared ? this.shim.lastAllocId() : this.shim.liveIdAt(Number(ptr));
    if (allocId === 0) return;
    const stack = captureStack(this.#options.mallocContextSize);
    if (stack === null) return;
    this.#facts.rememberAllocatorCall(role, allocId, stack);
  }

  /** The `viewsan` import object for the instrumented module. */
  hookImports() {
    return this.shim.hookImports();
  }

  // ---- views ---------------------------------------------------------------------------------

  /**
   * Explicit guarded view over [ptr, ptr + length * BYTES_PER_ELEMENT): a typed array, or a
   * DataView of `length` bytes.
   */
  view(Ctor, ptr, length) {
    if (!this.#memory) throw new Error('viewsan: the session has no memory attached');
    const raw = rawViewConstructor(Ctor);
    if (raw === null) throw new TypeError('viewsan: session.view() takes a typed-array constructor or DataView');
    return this.makeView(raw, [this.#memory.buffer, ptr, length], { explicit: true });
  }

  /**
   * Constructs `new Ctor(...args)` over this session's memory and returns it guarded; `Ctor` is
   * the engine's own typed-array constructor or DataView. The engine constructs first, from the
   * arguments as given: it converts each one as often as it always does (once, or not at all),
   * and its view, or its error, is the result. viewsan looks at the view it made (the real
   * byteOffset and length), or at the error: a misaligned typed array and a buffer growth
   * detached become reports (misaligned-view, use-after-grow) instead of the engine's bare
   * RangeError and TypeError; every other error propagates unchanged. A whole-buffer view made
   * in a glue's refresh of its own views is the glue's, unguarded (glue-views.js); `explicit`
   * views (session.view, a glue view's guarded property) never are.
   */
  makeView(Ctor, args, { explicit = false } = {}) {
    if (!explicit && args.length === 1 && args[0] === this.#memory?.buffer) {
      const glueView = this.#glue.claim(Ctor, args[0]);
      if (glueView !== null) return glueView;
    } else {
      this.#glue.end();
    }
    const creation = captureStack(this.#options.mallocContextSize);
    let target;
    try {
      target = Reflect.construct(Ctor, args, Ctor);
    } catch (error) {
      this.#constructionFailed(Ctor, args, error, creation);
      throw error;
    }
    const buffer = args[0];
    const whole = args.length === 1 || (target.byteOffset === 0 && target.byteLength === buffer.byteLength);
    return this.#guard(target, Ctor.name, whole, creation);
  }

  // The engine refused to construct a view: report it when viewsan can say why (then, with
  // haltOnError, the report is thrown instead of the engine's error).
  #constructionFailed(Ctor, args, error, creation) {
    const [buffer, offsetArg, lengthArg] = args;
    const bpe = Ctor.BYTES_PER_ELEMENT ?? 1;  // a DataView is never misaligned
    // The offset the engine converted, when viewsan can know it without converting it again: a
    // primitive's conversion runs no user code, an object's valueOf ran once, in the engine. For
    // an object, the engine's error is compared with the one it gives for a misaligned offset.
    const known = isPlainPrimitive(offsetArg);
    const offset = known ? toIndex(offsetArg) : null;
    if (bpe > 1 && error instanceof RangeError
        && (known ? offset !== null && offset % bpe !== 0 : error.message === engineError(Ctor, [buffer, 1])?.message)) {
      const createdAt = currentStack(creation);
      this.#reports.emit({
        kind: 'misaligned-view',
        view: { ctor: Ctor.name, byteOffset: offset, length: reportedLength(lengthArg), createdAt },
        detail: offset === null
          ? `${Ctor.name} needs a byteOffset that is a multiple of ${bpe}; the one given (an object, converted by the engine) is not`
          : `${Ctor.name} needs a byteOffset that is a multiple of ${bpe}; ${offset} is ${offset % bpe} bytes past one`,
        region: offset !== null && offset < buffer.byteLength ? this.#facts.regionAt(offset) : null,
        stack: createdAt,
      });
      return;
    }
    if (error instanceof TypeError && buffer.byteLength === 0 && buffer !== this.#memory.buffer
        && error.message === engineError(Ctor, [buffer])?.message) {
      this.#detachedAtConstruction(Ctor, buffer, offset, reportedLength(lengthArg), currentStack(creation));
    }
  }

  /** A subarray of a guarded view is guarded over whatever allocation it lands in. */
  subView(parent, target) {
    this.#glue.end();
    return this.#guard(target, parent.ctor, false, captureStack(this.#options.mallocContextSize));
  }

  /**
   * A sub-array `target` (a `ctor`) a glue took of one of its cached views, which may reach the
   * app: guarded, with the stack of its first use for its creation (LentViewRecord).
   */
  lentView(target, ctor) {
    // The glue lends one for each string and slice it passes: this path is #guard's, unbranched.
    const allocId = this.#resolveAllocation(target, ctor, target.length, null);
    return this.#handOut(new LentViewRecord(this, target, ctor, allocId, false, null));
  }

  #guard(target, ctor, whole, creation) {
    const dataView = ctor === 'DataView';
    const allocId = whole ? 0 : this.#resolveAllocation(target, ctor, dataView ? target.byteLength : target.length, creation);
    const Record = dataView ? DataViewRecord : needsStaleCheck(target.buffer, whole) ? SharedWholeViewRecord : ViewRecord;
    return this.#handOut(new Record(this, target, ctor, allocId, whole, creation));
  }

  #handOut(record) {
    record.id = this.stream.nextViewId();
    if (this.stream.active) {
      const { target } = record;
      this.stream.push({
        type: EventType.VIEW, viewId: record.id, ctor: record.ctor, byteOffset: target.byteOffset,
        length: record.length, byteLength: target.byteLength, allocId: record.allocId || null,
        whole: record.whole,
      });
    }
    return this.#options.mode === 'compat' ? compatView(record) : strictView(record);
  }

  // Which live allocation a sub-range view lies in (0: none, e.g. stack or static data).
  #resolveAllocation(target, ctor, length, creation) {
    if (!this.#tracksAllocations || target.byteLength === 0) return 0;
    const ptr = target.byteOffset;
    const end = ptr + target.byteLength;
    // Below the heap base and below every allocation ever made (the stack, static data: where
    // strings a glue decodes often are), no allocation, live or freed, can own a byte.
    if (end <= Math.min(this.#heapBase || Infinity, this.shim.heapLow())) return 0;
    // A view that runs to the end of the buffer was made without a length (`new Int32Array(buffer,
    // ptr)`, `HEAPU8.subarray(ptr)`): it claims no extent, and is the view of the allocation it
    // starts in. napi-wasm's asyncify setup writes two words through one over a 4 KiB block.
    const claimed = end === target.buffer.byteLength ? 1 : target.byteLength;
    const live = this.shim.liveAllocationAt(ptr, claimed);
    if (live !== 0) return live;
    const found = this.shim.lookup(ptr, claimed);
    if (found.state === RegionState.UNALLOCATED) {
      // Views over the stack or static data (below the heap) are everyday glue, not errors; and
      // without hooks, allocations made inside wasm are invisible, so no bytes are known unowned.
      const heapStart = this.#heapBase || this.shim.stats().heapLow;
      if (!this.sites.instrumented || !(ptr >= heapStart)) return 0;
    }
    if (!this.sites.coverageComplete && mayBeUnseenAllocation(this.sites, this.shim, found, ptr, ptr + claimed)) {
      return found.state === RegionState.STRADDLES ? found.allocId : 0;
    }
    const createdAt = currentStack(creation ?? captureStack(this.#options.mallocContextSize));
    const fields = { view: { ctor, byteOffset: ptr, length, createdAt }, stack: createdAt };
    switch (found.state) {
      case RegionState.STRADDLES:
        this.#reports.emit({
          ...fields, kind: 'view-out-of-bounds', region: this.#facts.region(found),
          detail: `the view covers [${hex(ptr)}, ${hex(end)}) but the allocation ends at ${hex(found.ptr + found.size)}`,
        });
        return found.ptr <= ptr ? found.allocId : 0;
      case RegionState.FREED:
      case RegionState.REUSED:
        this.#reports.emit({ ...fields, kind: 'use-after-free', region: this.#facts.region(found),
          detail: 'the view was created over an allocation that is already freed' });
        return 0;
      default:
        this.#reports.emit({ ...fields, kind: 'unallocated-view',
          detail: `no live allocation owns [${hex(ptr)}, ${hex(end)}) (the heap starts at ${hex(this.#heapBase || this.shim.stats().heapLow)})` });
        return 0;
    }
  }

  /**
   * The slow path of every check: the fast check saw a detached buffer or a free since this view
   * was last validated. Reports if the view is dead, else re-arms the fast check.
   */
  checkView(record, access) {
    if (record.detached()) {
      this.#reports.oncePerView(record, 'use-after-grow', () => ({
        view: record.describe(), access, grow: this.#facts.detachment(record.buffer, record.growCount),
        region: record.allocId ? this.#facts.allocation(record.allocId) : null,
      }));
      return;
    }
    record.followGrowth();
    if (record.allocId === 0) return;
    const epoch = this.shim.checkEpochFresh();
    if (epoch === record.epoch) return;
    const status = this.shim.allocStatus(record.allocId);
    if (status === RegionState.LIVE) {
      record.rearm(epoch);
      return;
    }
    const found = this.shim.describeAlloc(record.allocId);
    const kind = found.state === RegionState.REUSED ? 'use-after-reuse' : 'use-after-free';
    this.#reports.oncePerView(record, kind, () => ({
      view: record.describe(), access, region: this.#facts.region(found),
      newer: found.newer ? {
        allocId: found.newer.allocId, ptr: found.newer.ptr, size: found.newer.size,
        allocSite: this.#facts.site(found.newer.allocSite, 'alloc', found.newer.allocId),
      } : undefined,
    }));
  }

  /**
   * A whole-buffer view over shared memory used past its length after the memory grew past it
   * (stale-shared-views.js): named with the growth that did, on this thread or another.
   */
  staleSharedView(record, access, memoryBytes) {
    const index = this.#facts.growPast(record.byteLength);
    const grow = index === -1 ? null : { ...this.#facts.grow(index), shared: true };
    const where = grow?.site?.kind !== 'js' ? '' : this.#facts.grewHere(index) ? ' on this thread' : ' on another thread';
    this.#reports.oncePerView(record, 'use-after-grow', () => ({
      view: record.describe(), access, grow,
      detail: `the view covers the ${record.byteLength} bytes its SharedArrayBuffer had; the memory has grown to ${memoryBytes}${where}, and past its end the view reads undefined and drops writes`,
    }));
  }

  /**
   * Reports `kind` once for each place that makes it (session-reports.js); with `place`
   * ({entry, frames}), the place is that many frames above viewsan's function the program called.
   */
  reportPerPlace(how, kind, makeFields, place = undefined) {
    return this.#reports.perPlace(how, kind, makeFields, place);
  }

  // ---- hooks that run in JS ------------------------------------------------------------------

  /** WebAssembly.Memory.prototype.grow on a guarded memory (Emscripten grows from JS). */
  growFromJs(memory, delta, originalGrow) {
    const index = this.shim.growCount();
    this.#facts.rememberGrow(index, currentStack(captureStack(this.#options.mallocContextSize)));
    this.shim.exports.vs_hook_grow_begin(delta, VS_SITE_JS);
    let previous = -1;
    try {
      previous = originalGrow.call(memory, delta);
      return previous;
    } finally {
      this.shim.exports.vs_hook_grow_end(previous, delta, VS_SITE_JS);
      this.stream.flushSoon();
    }
  }

  // Called by the shim (env.vs_fill_freed) from a free hook, before the allocator runs: through a
  // real typed array, so that nothing here reaches back into the shim.
  #fillFreed(ptr, size) {
    if (this.#memory) new RawUint8Array(this.#memory.buffer, ptr, size).fill(this.#options.freeFillByte);
  }

  // Called by the shim (through the env.vs_on_error import) from inside the free hook, with its
  // verdict: the kind, and the allocation it names (0: none), described as the shim decided.
  #onShimError(kind, ptr, site, allocId) {
    const name = kind === ErrorKind.DOUBLE_FREE ? 'double-free' : 'invalid-free';
    const attempt = this.sites.describe(site, this.sites.calledFromJs(site) ? currentStack() : null);
    const region = allocId === 0 ? { ptr, size: null, allocId: null, allocSite: null, freeSite: null }
      : this.#facts.allocation(allocId);
    region.freedPtr = ptr;
    this.#reports.emit({ kind: name, region, attempt });
  }

  // ---- reports -------------------------------------------------------------------------------

  #detachedAtConstruction(Ctor, buffer, byteOffset, length, createdAt) {
    const replaced = this.#facts.replacement(buffer);
    this.#reports.emit({
      kind: 'use-after-grow',
      view: { ctor: Ctor.name, byteOffset, length: length ?? null, createdAt },
      detail: `the view is being created over a memory.buffer that ${replaced ? `memory.${replaced.method}()` : 'memory growth'} already detached`,
      grow: replaced ?? this.#facts.grow(this.shim.growCount() - 1),
      stack: createdAt,
    });
  }

  // ---- contract 2 surface --------------------------------------------------------------------

  /** Snapshot of live allocations: [{ptr, size, allocId, generation, allocSite}]. */
  regions() {
    const big = this.#bigIntAddresses || this.sites.memory64;
    return this.shim.regions().map((r) => ({
      ...r,
      ...(big ? { ptr: BigInt(r.ptr), size: BigInt(r.size) } : {}),  // contract 2: BigInt for memory64
      allocSite: this.#facts.site(r.allocSite, 'alloc', r.allocId),
    }));
  }

  stats() {
    const s = this.shim.stats();
    return {
      allocs: s.allocs, frees: s.frees, reallocs: s.reallocs, grows: s.grows,
      liveBytes: s.liveBytes, peakBytes: s.peakBytes, copyOutBytes: this.copies.bytes,
      errors: this.#reports.errors, warnings: this.#reports.warnings, unseenFrees: s.unseenFrees,
    };
  }

  /**
   * This session's part of the process's stats: a heap threads share is counted once, by the
   * thread that made its registry; the others add their own copies and reports.
   */
  processStats() {
    const stats = this.stats();
    if (!this.joinedHeap) return stats;
    for (const key of ['allocs', 'frees', 'reallocs', 'grows', 'liveBytes', 'peakBytes', 'unseenFrees']) stats[key] = 0;
    return stats;
  }

  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.stream.close();
    if (this.#memory) unregisterMemory(this.#memory, this);
  }
}

