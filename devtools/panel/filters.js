// What the filter bar selects: report kind, severity, session, a search text and a time range
// (brushed on the timeline), applied to the report list and the views list. Pure, so it is tested in Node; results are cached by the
// lists' lengths, so a frame that brings no new report or view does not filter again.

import { viewStatus } from './model.js';

/**
 * @typedef {{kind: string, severity: string, sessionKey: string, search: string, liveViewsOnly: boolean,
 *   time: {from: number, to: number}|null}} Filter
 *   time: ms since the session started; what has no time (a report file without events) is outside any range
 */

/** @returns {Filter} everything shown, views limited to live ones */
export function emptyFilter() {
  return { kind: '', severity: '', sessionKey: '', search: '', liveViewsOnly: true, time: null };
}

const inTimeRange = (t, time) => !time || (t != null && t >= time.from && t <= time.to);

/** Words of the search box; a report or view matches when its text contains every one. */
function searchTerms(search) {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

const siteText = (site) => (site ? [site.func, site.callee, site.kind, site.stack].filter(Boolean).join(' ') : '');

// Search text of a report: everything a user might remember of it, from the message to the stacks.
const reportTexts = new WeakMap();
function reportText(entry) {
  let text = reportTexts.get(entry);
  if (text === undefined) {
    const { report } = entry;
    text = [
      report.kind, report.severity, report.message, report.stack, report.module,
      report.view?.ctor, report.view?.createdAt,
      siteText(report.region?.allocSite), siteText(report.region?.freeSite), siteText(report.grow?.site),
    ].filter(Boolean).join('\n').toLowerCase();
    reportTexts.set(entry, text);
  }
  return text;
}

function viewText(view) {
  return `${view.ctor} #${view.viewId} ${view.allocId == null ? '' : `alloc #${view.allocId}`} 0x${view.byteOffset.toString(16)}`.toLowerCase();
}

/** @param {Filter} filter */
export function matchesReport(entry, filter, terms = searchTerms(filter.search)) {
  if (filter.kind && entry.report.kind !== filter.kind) return false;
  if (filter.severity && entry.report.severity !== filter.severity) return false;
  if (filter.sessionKey && entry.sessionKey !== filter.sessionKey) return false;
  if (!inTimeRange(entry.t, filter.time)) return false;
  if (terms.length === 0) return true;
  const text = reportText(entry);
  return terms.every((term) => text.includes(term));
}

/** Views follow the session filter, the search and the time range (when they were made); kind and severity are about reports. */
export function matchesView(view, filter, terms = searchTerms(filter.search)) {
  if (filter.sessionKey && view.owner.key !== filter.sessionKey) return false;
  if (!inTimeRange(view.t, filter.time)) return false;
  if (filter.liveViewsOnly && viewStatus(view) !== 'live') return false;
  if (terms.length === 0) return true;
  const text = viewText(view);
  return terms.every((term) => text.includes(term));
}

/** Filters a list that only grows: re-filters from scratch when the filter changes, else only the new tail. */
export class FilteredList {
  #match;
  #source = null;
  #seen = 0;
  #key = null;
  /** The matching items, in source order. */
  items = [];

  /** @param {(item: any, filter: Filter, terms: string[]) => boolean} match */
  constructor(match) {
    this.#match = match;
  }

  /**
   * @param {any[]} source  a list that only grows (the model's reports, a session's views)
   * @param {Filter} filter
   * @param {unknown} [epoch]  anything else that changes which items match (a grow detaching views)
   * @returns {any[]} the matching items; the same array while nothing changed
   */
  update(source, filter, epoch = null) {
    const key = JSON.stringify(filter) + String(epoch);
    if (source !== this.#source || key !== this.#key || source.length < this.#seen) {
      this.#source = source;
      this.#key = key;
      this.#seen = 0;
      this.items = [];
    }
    if (this.#seen === source.length) return this.items;
    const terms = searchTerms(filter.search);
    const added = [];
    for (let i = this.#seen; i < source.length; i++) {
      if (this.#match(source[i], filter, terms)) added.push(source[i]);
    }
    this.#seen = source.length;
    // A new array, so that a list view can tell that its items changed.
    if (added.length) this.items = this.items.concat(added);
    return this.items;
  }
}
