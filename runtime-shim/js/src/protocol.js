// Contract 4, the DevTools event stream, and the report file, in one place: the runtime writes the
// stream with it, and viewsan-devtools (its CLI and its panel) reads the stream with it. Browser-safe
// and free of imports, so the panel loads it as it is.
//
// A batch is JSON text, `{"v":1,"events":[…]}`; each event has `type`, `seq`, `t` (ms since its
// session started) and `session`. Runtimes before protocol version 1 sent the bare array of events.

/** The stream's version, `v` in every batch: raised when a consumer of the last one would misread it. */
export const PROTOCOL_VERSION = 1;

/** The global function the runtime calls with each batch; viewsan-devtools installs it with Runtime.addBinding. */
export const BINDING_NAME = '__viewsan_devtools';

/** `source` of the messages the runtime posts to the window for the DevTools extension: `{source, batch}`. */
export const MESSAGE_SOURCE = 'viewsan';

/** The `type` of each event the runtime sends. */
export const EventType = Object.freeze({
  ALLOC: 'alloc',
  FREE: 'free',
  REALLOC: 'realloc',
  GROW: 'grow',
  VIEW: 'view',
  REPORT: 'report',
  /** The shim's event ring filled up before it was drained: `lost` events are missing. */
  OVERFLOW: 'overflow',
  /**
   * Stats no other event shows, as they change, since the consumer came: `unseenFrees`, and
   * `copyOutBytes` (copies out are reported once a place; this counts every copy's bytes).
   */
  STATS: 'stats',
  /**
   * A report made again at the same place (deduplicated, contract 3): `reportId` (the `report`
   * event's) now has `count`. Sent at most once a batch for each report, with the latest count.
   */
  REPORT_COUNT: 'report-count',
});

/** Every event type, in the order contract 4 lists them. */
export const EVENT_NAMES = Object.freeze(Object.values(EventType));

/** Report kinds of contract 3, in the order the panel's filter menu lists them. */
export const REPORT_KINDS = Object.freeze([
  'use-after-grow', 'use-after-free', 'use-after-reuse', 'misaligned-view', 'view-out-of-bounds',
  'unallocated-view', 'double-free', 'invalid-free', 'resizable-view', 'copy-out',
]);

/** The fields of contract 2's `session.stats()`, in its order: also the report file's `stats`. */
export const STAT_FIELDS = Object.freeze([
  'allocs', 'frees', 'reallocs', 'grows', 'liveBytes', 'peakBytes', 'copyOutBytes', 'errors', 'warnings',
  'unseenFrees',
]);

/** `version` of the report file (the Node runtime's `report_path`, and viewsan-devtools' `--report`). */
export const REPORT_VERSION = 1;

/** Bytes in a page of WebAssembly memory: grow events count pages. */
export const WASM_PAGE_BYTES = 65536;

/**
 * A report file's reports with repeats merged, as contract 3 deduplicates them (by kind and
 * faulting place) within a session: reports made at the same place in other sessions (the same
 * module instantiated in each of a process's threads, or of a page's workers) are counted into
 * the first one. `entries` hold `report` and are oldest first. `sourceOf(entry)` names the
 * session that made it: a place takes one report from each (two of one session's were kept apart
 * by the runtime: thrown reports), and none from null (keep it apart). `placeOf(entry)`: its
 * place, by default its kind and stack. Returns the reports, each merged one a copy with the
 * counts summed.
 */
export function mergeRepeatedReports(entries, sourceOf, placeOf = stackPlace) {
  const places = new Map();  // place -> { index in the result, sources merged there }
  const reports = [];
  for (const entry of entries) {
    const { report } = entry;
    const source = sourceOf(entry);
    const key = source === null ? null : placeOf(entry) || null;
    const place = key === null ? undefined : places.get(key);
    if (place !== undefined && !place.sources.has(source)) {
      place.sources.add(source);
      const first = reports[place.index];
      reports[place.index] = { ...first, count: (first.count ?? 1) + (report.count ?? 1) };
      continue;
    }
    if (key !== null && place === undefined) places.set(key, { index: reports.length, sources: new Set([source]) });
    reports.push(report);
  }
  return reports;
}

function stackPlace({ report }) {
  return typeof report?.stack === 'string' && report.stack !== '' ? `${report.kind}\n${report.stack}` : null;
}

/** One batch of events as the runtime sends it. */
export function encodeBatch(events) {
  return JSON.stringify({ v: PROTOCOL_VERSION, events });
}

/**
 * Reads a batch sent by any runtime. Returns `{version, events}`, with `events` null when the
 * batch is of a version this module cannot read (a newer runtime: skip it, and say so); a bare
 * array, from a runtime before version 1, holds the same events as version 1. Returns null for
 * text that is no batch at all.
 * @param {string} text
 * @returns {{version: number, events: object[]|null} | null}
 */
export function decodeBatch(text) {
  let batch;
  try {
    batch = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(batch)) return { version: 0, events: batch };
  if (!batch || typeof batch !== 'object' || !Number.isInteger(batch.v) || batch.v < 1) return null;
  if (batch.v !== PROTOCOL_VERSION) return { version: batch.v, events: null };
  return Array.isArray(batch.events) ? { version: batch.v, events: batch.events } : null;
}
