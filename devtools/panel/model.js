// Folds contract-4 events into the state every view reads: regions by allocId, views, growth,
// reports and stats, per viewsan session, and the JavaScript contexts (pages, workers) they came
// from. Pure and synchronous, shared by the CLI (which writes the report file from it) and the
// panel (which renders it), so it is tested in Node alone. Folding is O(1) per event, so a run of
// 100,000 events folds in tens of milliseconds.

import { EventType, REPORT_VERSION, STAT_FIELDS, mergeRepeatedReports } from './viewsan/protocol.js';

const emptyStats = () => Object.fromEntries(STAT_FIELDS.map((field) => [field, 0]));

/**
 * A page may hold several viewsan sessions, and session numbers restart in every JavaScript
 * context (each navigation, each worker), so a session is named by both.
 */
const sessionKey = (context, session) => `${context}/${session}`;

/** One viewsan session: one module instance and its linear memory. */
export class SessionState {
  constructor(context, session) {
    this.key = sessionKey(context, session);
    this.context = context;
    this.session = session;
    /** @type {Map<number, Region>} live and freed regions, by allocId, in allocation order */
    this.regions = new Map();
    /** Freed regions whose bytes no later allocation took, sorted by ptr; they never overlap. */
    this.quarantined = [];
    this.views = [];
    this.grows = [];
    this.reports = [];
    /** The report entries by the stream's reportId, for the counts that follow them. */
    this.reportsById = new Map();
    /** Bumped by every event folded into this session: views redraw only when it moved. */
    this.revision = 0;
    /** Memory size in wasm pages, known once a grow event says. */
    this.pages = null;
    /** Latest `t` seen: the session's time axis runs from 0 to here. */
    this.endT = 0;
    this.stats = emptyStats();
    /** Whether `stats` events count the bytes copied out (else the copy-out reports' bytes add up). */
    this.copyOutCounted = false;
    /** Allocator events the runtime could not stream (overflow): the counts and charts miss them. */
    this.lostEvents = 0;
  }
}

/**
 * @typedef {object} Region
 * @property {number} allocId
 * @property {number} ptr
 * @property {number} size
 * @property {number|null} generation
 * @property {object|null} allocSite
 * @property {number} allocT
 * @property {number|null} freeT     null while live
 * @property {object|null} freeSite
 * @property {'free'|'realloc'|null} endedBy
 * @property {number|null} reusedBy  allocId of the first later allocation over its bytes
 */

/**
 * `live`; `quarantined`: freed, its bytes not handed out again, so a stale view still reads the
 * old data (use-after-free); `reused`: freed, and a later allocation took some of its bytes, so a
 * stale view reads someone else's data (use-after-reuse).
 */
export function regionState(region) {
  if (region.freeT === null) return 'live';
  return region.reusedBy === null ? 'quarantined' : 'reused';
}

// Index of the first quarantined region that ends after `address`.
function firstEndingAfter(quarantined, address) {
  let low = 0;
  let high = quarantined.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const { ptr, size } = quarantined[middle];
    if (ptr + size <= address) low = middle + 1;
    else high = middle;
  }
  return low;
}

function openRegion(state, { allocId, ptr, size, generation = null, site = null, t }) {
  if (allocId == null) return; // a failed allocation, or realloc(ptr, 0)
  state.regions.set(allocId, {
    allocId, ptr, size, generation, allocSite: site, allocT: t, freeT: null, freeSite: null, endedBy: null, reusedBy: null,
  });
  state.stats.liveBytes += size;
  state.stats.peakBytes = Math.max(state.stats.peakBytes, state.stats.liveBytes);
  takeBytes(state, allocId, ptr, size);
}

// An allocation takes the bytes of the quarantined regions it overlaps: they become reused.
function takeBytes(state, allocId, ptr, size) {
  const { quarantined } = state;
  const first = firstEndingAfter(quarantined, ptr);
  let last = first;
  while (last < quarantined.length && quarantined[last].ptr < ptr + Math.max(size, 1)) {
    quarantined[last].reusedBy = allocId;
    last++;
  }
  if (last > first) quarantined.splice(first, last - first);
}

// An unknown allocId means the allocation predates the binding (attach mid-run): nothing to close.
function closeRegion(state, allocId, { t, site = null }, endedBy) {
  const region = state.regions.get(allocId);
  if (!region || region.freeT !== null) return;
  Object.assign(region, { freeT: t, freeSite: site, endedBy });
  state.stats.liveBytes -= region.size;
  if (region.size > 0) state.quarantined.splice(firstEndingAfter(state.quarantined, region.ptr), 0, region);
}

/**
 * What a guarded view can still do: `live`, `freed` (its allocation was freed: reading it is a
 * use-after-free) or `detached` (memory grew after it was made; a resizable buffer would not
 * detach, which the stream does not say). `owner` is the view's SessionState.
 */
export function viewStatus(view) {
  const { owner } = view;
  if (view.allocId != null && owner.regions.get(view.allocId)?.freeT != null) return 'freed';
  if (view.growsBefore < owner.grows.length) return 'detached';
  return 'live';
}

const FOLDERS = {
  [EventType.ALLOC](state, event) {
    state.stats.allocs++;
    openRegion(state, event);
  },
  [EventType.FREE](state, event) {
    state.stats.frees++;
    closeRegion(state, event.allocId, event, 'free');
  },
  [EventType.REALLOC](state, event) {
    state.stats.reallocs++;
    const old = state.regions.get(event.oldAllocId);
    if (event.allocId != null && event.allocId === event.oldAllocId && old && old.freeT === null) {
      // Resized in place: one region, one bar.
      state.stats.liveBytes += event.size - old.size;
      state.stats.peakBytes = Math.max(state.stats.peakBytes, state.stats.liveBytes);
      Object.assign(old, { ptr: event.ptr, size: event.size });
      takeBytes(state, old.allocId, old.ptr, old.size);
      return;
    }
    closeRegion(state, event.oldAllocId, event, 'realloc');
    openRegion(state, event);
  },
  [EventType.GROW](state, { fromPages, toPages, site = null, origin = null, t }) {
    state.stats.grows++;
    state.pages = toPages;
    state.grows.push({ fromPages, toPages, site, origin, t });
  },
  [EventType.VIEW](state, { viewId, ctor, byteOffset, length, byteLength, allocId = null, whole = false, t }, model) {
    // growsBefore: growth after the view was made detached its buffer (a non-resizable one).
    const view = {
      viewId, ctor, byteOffset, length, byteLength, allocId, whole, t, growsBefore: state.grows.length, owner: state,
    };
    state.views.push(view);
    model.views.push(view);
  },
  [EventType.REPORT](state, { report, reportId = null, t, seq }, model) {
    if (!report || typeof report !== 'object') return;
    countReports(state, report, Number.isInteger(report.count) && report.count > 0 ? report.count : 1);
    // A runtime that counts every copy's bytes sends them in `stats` events; an older one, only
    // with the reports it made (once a place).
    if (report.kind === 'copy-out' && Number.isFinite(report.bytes) && !state.copyOutCounted) {
      state.stats.copyOutBytes += report.bytes;
    }
    const entry = { report, sessionKey: state.key, context: state.context, t, seq };
    state.reports.push(entry);
    if (reportId !== null) state.reportsById.set(reportId, entry);
    model.reports.push(entry);
  },
  // A deduplicated report made again: its entry takes the new count, the stats the difference.
  [EventType.REPORT_COUNT](state, { reportId, count }, model) {
    const entry = state.reportsById.get(reportId);
    if (!entry || !Number.isInteger(count)) return;
    const before = entry.report.count ?? 1;
    if (count <= before) return;
    countReports(state, entry.report, count - before);
    entry.report = { ...entry.report, count };
    model.reportCounts++;
  },
  [EventType.OVERFLOW](state, { lost }) {
    if (Number.isFinite(lost) && lost > 0) state.lostEvents += lost;
  },
  // The counts the runtime keeps without an event for each: the latest holds.
  [EventType.STATS](state, { unseenFrees, copyOutBytes }) {
    if (Number.isFinite(unseenFrees)) state.stats.unseenFrees = unseenFrees;
    if (Number.isFinite(copyOutBytes)) {
      state.stats.copyOutBytes = copyOutBytes;
      state.copyOutCounted = true;
    }
  },
};

function countReports(state, report, times) {
  if (report.severity === 'error') state.stats.errors += times;
  else if (report.severity === 'warning') state.stats.warnings += times;
}

export class ViewsanModel {
  /** Every event received, in arrival order, each stamped with its `context`. */
  events = [];
  /** `{report, sessionKey, context, t, seq}`, oldest first across all sessions. */
  reports = [];
  /** Bumped whenever a report's count goes up (its entry takes a new report object). */
  reportCounts = 0;
  /** Guarded views of every session, in creation order; `owner` is each one's SessionState. */
  views = [];
  /** Uncaught exceptions and console errors of the inspected pages. */
  pageErrors = [];
  /** @type {Map<number, {context: number, target: string, url: string|null, name: string|null}>} where each context ran */
  contexts = new Map();
  /** @type {Map<string, SessionState>} in order of first appearance */
  sessions = new Map();
  #listeners = new Set();
  #lastSession = null;
  /** Stats read from a report file that came without events. */
  #importedStats = null;

  /**
   * Folds one batch, and takes its events: each is stamped with `context`, the JavaScript context
   * the batch came from (events read back from a report file already carry theirs).
   */
  ingest(batch, context) {
    const accepted = [];
    for (const event of batch) {
      if (!event || typeof event !== 'object' || typeof event.type !== 'string') continue;
      if (context !== undefined) event.context = context;
      accepted.push(event);
      this.events.push(event);
      const fold = FOLDERS[event.type];
      if (fold) fold(this.#sessionFor(event), event, this);
    }
    if (accepted.length) this.#notify({ type: 'events', events: accepted });
    return accepted;
  }

  /**
   * Says where a context ran: `target` is the kind of target (`page`, `worker`, `iframe`,
   * `shared_worker`, `service_worker`), `url` its document or script, `name` a worker's name.
   */
  addContext({ context, target, url = null, name = null }) {
    const info = { context, target, url, name };
    this.contexts.set(context, info);
    this.#notify({ type: 'context', context: info });
  }

  addPageError(pageError) {
    this.pageErrors.push(pageError);
    this.#notify({ type: 'pageError', pageError });
  }

  /** Stats summed over sessions, as the Node runtime's `report_path` file sums them. */
  get stats() {
    if (this.#importedStats) return { ...emptyStats(), ...this.#importedStats };
    const total = emptyStats();
    for (const { stats } of this.sessions.values()) {
      for (const field of STAT_FIELDS) total[field] += stats[field];
    }
    return total;
  }

  /** Allocator events lost over every session (the runtime's overflow events). */
  get lostEvents() {
    let lost = 0;
    for (const session of this.sessions.values()) lost += session.lostEvents;
    return lost;
  }

  /**
   * Called with `{type: 'events', events}`, `{type: 'pageError', pageError}` or
   * `{type: 'context', context}`; returns an unsubscribe function.
   */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The report file: contract 3's `report_path` shape plus the raw events and page errors. */
  toJSON() {
    return {
      version: REPORT_VERSION,
      // A page's workers each report their places: one place, several sessions, one report.
      reports: mergeRepeatedReports(this.reports, (entry) => entry.sessionKey),
      stats: this.stats,
      events: this.events,
      pageErrors: this.pageErrors,
      contexts: [...this.contexts.values()],
    };
  }

  /**
   * Reads a report file back. One with events is refolded, so regions and timelines come back too;
   * a Node `report_path` file has only reports and stats, and those are taken as they are.
   */
  static fromJSON(json) {
    if (!json || typeof json !== 'object' || !Array.isArray(json.reports)) {
      throw new TypeError('not a viewsan report: expected an object with a "reports" array');
    }
    const model = new ViewsanModel();
    for (const context of json.contexts ?? []) model.contexts.set(context.context, context);
    if (Array.isArray(json.events) && json.events.length > 0) {
      model.ingest(json.events);
    } else {
      model.reports = json.reports.map((report) => ({ report, sessionKey: null, context: null, t: null, seq: null }));
      model.#importedStats = json.stats ?? null;
    }
    for (const pageError of json.pageErrors ?? []) model.pageErrors.push(pageError);
    return model;
  }

  #sessionFor(event) {
    const context = event.context ?? 0;
    const session = event.session ?? 0;
    // Batches come from one session at a time: skip the lookup while it stays the same.
    let state = this.#lastSession;
    if (!state || state.context !== context || state.session !== session) {
      const key = sessionKey(context, session);
      state = this.sessions.get(key);
      if (!state) {
        state = new SessionState(context, session);
        this.sessions.set(key, state);
      }
      this.#lastSession = state;
    }
    if (Number.isFinite(event.t)) state.endT = Math.max(state.endT, event.t);
    state.revision++;
    return state;
  }

  #notify(change) {
    for (const listener of this.#listeners) listener(change);
  }
}
