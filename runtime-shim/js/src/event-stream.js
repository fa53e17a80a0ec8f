// Contract 4: batches of JSON events for DevTools, each `{v, events}` as protocol.js writes it.
// Batches go to `globalThis.__viewsan_devtools` (installed by viewsan-devtools with
// Runtime.addBinding) and, when the viewsan extension's content script has announced itself, to
// window.postMessage. With no consumer nothing is collected: the shim does not even fill its
// event ring.
//
// A consumer may come after the runtime started (viewsan-devtools attaching to a running page, the
// extension enabled late): streams without one are watched cheaply, by one slow timer for the
// binding and one MutationObserver on the extension's attribute, and start sending from then on.
//
// Allocation events are written by the shim into its ring buffer (the hooks never leave wasm);
// the stream drains the ring before each JS event so the order is preserved, and on a timer.
// Sending is batched: the page never waits on the transport. A stream's first batch goes out as
// soon as it has a consumer, even empty: a guarded page that allocates nothing still tells
// viewsan-devtools that the runtime ran (contract 4's exit code 3 is for pages it never ran on).

import { monotonicNow } from './environment.js';
import { BINDING_NAME, EventType, MESSAGE_SOURCE, encodeBatch } from './protocol.js';
import { EventKind, VS_SITE_JS } from './shim-layout.js';

const DRAIN_INTERVAL_MS = 100;
const CONSUMER_POLL_MS = 1000;
const EXTENSION_ATTRIBUTE = 'data-viewsan-extension';

function consumerPresent() {
  return typeof globalThis[BINDING_NAME] === 'function'
    || globalThis.document?.documentElement?.dataset?.viewsanExtension === '1';
}

// The streams that have no consumer yet, and what watches for one while there are any.
const waiting = new Set();
let pollTimer = null;
let observer = null;

function refreshWaiting() {
  if (!consumerPresent()) return;
  for (const stream of [...waiting]) stream.refresh();
}

function watchForConsumer(stream) {
  waiting.add(stream);
  if (pollTimer === null) {
    pollTimer = setInterval(refreshWaiting, CONSUMER_POLL_MS);
    pollTimer.unref?.();
  }
  const root = globalThis.document?.documentElement;
  if (observer === null && root && typeof MutationObserver === 'function') {
    observer = new MutationObserver(refreshWaiting);
    observer.observe(root, { attributes: true, attributeFilter: [EXTENSION_ATTRIBUTE] });
  }
}

function stopWatching(stream) {
  waiting.delete(stream);
  if (waiting.size > 0) return;
  clearInterval(pollTimer);
  pollTimer = null;
  observer?.disconnect();
  observer = null;
}

export class EventStream {
  #session;
  #seq = 0;
  #viewIds = 0;
  #queue = [];
  #timer = null;
  #flushScheduled = false;
  #active = false;
  #closed = false;
  #announced = false;
  #sentReports = new WeakMap();     // report -> its reportId in this stream
  #reportIds = 0;
  #countsChanged = new Set();       // reports sent whose count went up since the last batch
  /** The shim's unseen-free count when the consumer came, and the count sent since. */
  #unseenFreesBefore = 0;
  #unseenFreesSent = 0;
  /** The session's bytes copied out when the consumer came, and the count sent since. */
  #copyOutBytesBefore = 0;
  #copyOutBytesSent = 0;

  constructor(session) {
    this.#session = session;
    this.refresh();
  }

  /** Whether a consumer is there: else push() drops events, and callers may skip making them. */
  get active() {
    return this.#active;
  }

  /** Starts or stops collecting as a consumer appears or goes away. */
  refresh() {
    if (this.#closed) return;
    const present = consumerPresent();
    if (present) stopWatching(this);
    else watchForConsumer(this);
    if (present === this.#active) return;
    this.#active = present;
    // A heap another thread made is streamed by that thread: it owns the registry's event ring.
    if (!this.#session.joinedHeap) this.#session.shim.setEventsEnabled(present);
    if (present) {
      if (!this.#session.joinedHeap) this.#unseenFreesBefore = this.#session.shim.unseenFrees();
      this.#unseenFreesSent = 0;
      this.#copyOutBytesBefore = this.#session.copies.bytes;
      this.#copyOutBytesSent = 0;
      this.#timer = setInterval(() => this.flush(), DRAIN_INTERVAL_MS);
      this.#timer.unref?.();
      this.flushSoon();
    } else {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  nextViewId() {
    return ++this.#viewIds;
  }

  push(event) {
    if (!this.#active) return;
    this.#drainShim();
    this.#enqueue(event, this.#now());
  }

  /**
   * A report, once for each consumer that is there to get it; made again (deduplicated), its new
   * count follows in the next batch (report-count), or rides in the report itself if that has not
   * gone out yet.
   */
  pushReport(report) {
    if (!this.#active) return;
    if (this.#sentReports.has(report)) {
      this.#countsChanged.add(report);
    } else {
      const reportId = ++this.#reportIds;
      this.#sentReports.set(report, reportId);
      this.push({ type: EventType.REPORT, reportId, report });
    }
    this.flushSoon();
  }

  flushSoon() {
    if (!this.#active || this.#flushScheduled) return;
    this.#flushScheduled = true;
    setTimeout(() => this.flush(), 0);
  }

  flush() {
    this.#flushScheduled = false;
    if (!this.#active) return;
    this.#drainShim();
    for (const report of this.#countsChanged) {
      this.#enqueue({ type: EventType.REPORT_COUNT, reportId: this.#sentReports.get(report), count: report.count }, this.#now());
    }
    this.#countsChanged.clear();
    this.#send();
  }

  /**
   * The shim's ring is full in the middle of a wasm call (vs_on_events_full: thousands of
   * allocations with no JavaScript between them): its records are read now and sent, so that
   * none is lost and none waits in memory for the call to return. The shim is inside a hook
   * (holding a shared heap's lock): nothing here calls it.
   */
  drainFull() {
    if (!this.#active || this.#session.joinedHeap) return;
    this.#readRing((visit) => this.#session.shim.drainEventsInHook(visit));
    this.#send();
  }

  #send() {
    if (this.#queue.length === 0 && this.#announced) return;
    this.#announced = true;
    const batch = encodeBatch(this.#queue);
    this.#queue = [];
    if (typeof globalThis[BINDING_NAME] === 'function') globalThis[BINDING_NAME](batch);
    if (globalThis.document?.documentElement?.dataset?.viewsanExtension === '1') {
      globalThis.postMessage({ source: MESSAGE_SOURCE, batch }, '*');
    }
  }

  close() {
    this.flush();
    clearInterval(this.#timer);
    this.#timer = null;
    this.#active = false;
    this.#closed = true;
    stopWatching(this);
  }

  #now() {
    return monotonicNow() - this.#session.startTime;
  }

  #enqueue(event, t) {
    event.seq = this.#seq++;
    event.t = Math.round(t * 1000) / 1000;
    event.session = this.#session.id;
    this.#queue.push(event);
  }

  #drainShim() {
    const session = this.#session;
    if (!session.joinedHeap) this.#readRing((visit) => session.shim.drainEvents(visit));
    this.#sendMovedStats();
  }

  // Counts no other event shows, since the consumer came, sent when they move: unseen frees (the
  // shim only counts them), and the bytes copied out (a copy-out is reported once a place, and
  // the copies between a glue's looks at their place are only counted).
  #sendMovedStats() {
    const session = this.#session;
    const moved = {};
    if (!session.joinedHeap) {
      const unseenFrees = session.shim.unseenFrees() - this.#unseenFreesBefore;
      if (unseenFrees !== this.#unseenFreesSent) moved.unseenFrees = this.#unseenFreesSent = unseenFrees;
    }
    const copyOutBytes = session.copies.bytes - this.#copyOutBytesBefore;
    if (copyOutBytes !== this.#copyOutBytesSent) moved.copyOutBytes = this.#copyOutBytesSent = copyOutBytes;
    if (moved.unseenFrees !== undefined || moved.copyOutBytes !== undefined) {
      this.#enqueue({ type: EventType.STATS, ...moved }, this.#now());
    }
  }

  // The ring's records as events, through `drain` (the shim's drainEvents or its in-hook twin).
  #readRing(drain) {
    const sites = this.#session.sites;
    const lost = drain((e) => {
      const site = sites.describe(e.site);
      const t = e.t;
      switch (e.kind) {
        case EventKind.ALLOC:
          this.#enqueue({ type: EventType.ALLOC, ptr: e.ptr, size: e.size, allocId: e.allocId, generation: e.aux, site }, t);
          break;
        case EventKind.FREE:
          this.#enqueue({ type: EventType.FREE, ptr: e.ptr, size: e.size, allocId: e.allocId, site }, t);
          break;
        case EventKind.REALLOC:
          this.#enqueue({ type: EventType.REALLOC, oldPtr: e.oldPtr, ptr: e.ptr, size: e.size, oldAllocId: e.aux, allocId: e.allocId, site }, t);
          break;
        case EventKind.GROW:
          this.#enqueue({ type: EventType.GROW, fromPages: e.ptr, toPages: e.ptr < 0 ? e.ptr : e.ptr + e.size, site, origin: e.site === VS_SITE_JS ? 'js' : 'wasm' }, t);
          break;
        default:
          break;  // bad frees arrive as `report` events from the session
      }
    });
    if (lost > 0) this.#enqueue({ type: EventType.OVERFLOW, lost }, this.#now());
  }
}
