// The violation list: one row per report that passes the filters, oldest first, each with the
// first line (report-format.js); selecting a row opens the report in the detail view. Virtualized:
// only the rows in sight exist.

import { ColumnResize } from './column-resize.js';
import { ColumnSort } from './column-sort.js';
import { h } from './dom.js';
import { describeContext, formatAddress, formatMs } from './format.js';
import { reportHeadline, siteLabel } from './viewsan/report-format.js';
import { setEmptyText, VirtualList } from './virtual-list.js';

export const REPORT_ROW_HEIGHT = 24;

// Each column with what it sorts by (a click on its header; again for the other direction), and
// the narrowest it may be made (column-resize.js).
const COLUMNS = [
  { name: 'Time', key: (entry) => entry.t ?? -1 },
  { name: 'Kind', key: (entry) => entry.report.kind },
  { name: 'Message', key: (entry) => reportHeadline(entry.report), minWidth: 80 },
  { name: 'Where', key: (entry) => entry.context ?? -1 },
  { name: 'View', key: (entry) => entry.report.view?.byteOffset ?? -1 },
  { name: 'Allocated by', key: (entry) => (entry.report.region?.allocSite ? siteLabel(entry.report.region.allocSite) : '') },
];

export class ReportListView {
  #onSelect;
  #list;
  #selected = null;
  #contexts = new Map();
  #sort = new ColumnSort(COLUMNS, () => this.#list.setItems(this.#sort.apply(this.#entries), this.#version()));
  #entries = [];       // as given, in arrival order
  #counts = 0;
  #ids = new Map();    // entry -> a number, for the version the list compares

  /** @param {(entry: object) => void} onSelect */
  constructor(element, onSelect) {
    this.element = element;
    this.#onSelect = onSelect;
    this.#list = new VirtualList(element, {
      rowHeight: REPORT_ROW_HEIGHT,
      header: h('div', { class: 'list-header report-columns', role: 'row' },
        this.#sort.headers),
      renderRow: (entry) => this.#row(entry),
      onSelect,
    });
    new ColumnResize(element, this.#sort.headers, COLUMNS, 'reports');
    element.setAttribute('role', 'grid');
    element.setAttribute('aria-label', 'Reports');
  }

  /**
   * @param {object[]} entries  the reports that pass the filters
   * @param {object|null} selected
   * @param {Map<number, object>} contexts  the model's contexts, for the Where column
   * @param {number} total  reports before filtering, for the empty message
   * @param {number} [counts]  the model's reportCounts: rows in sight show the latest counts
   */
  render(entries, selected, contexts, total, counts = 0) {
    this.#selected = selected;
    this.#contexts = contexts;
    setEmptyText(this.element, entries.length > 0 ? null : total === 0 ? 'No reports.' : `No report matches the filters (${total} hidden).`);
    this.#entries = entries;
    entries = this.#sort.apply(entries);
    this.#counts = counts;
    this.#list.setItems(entries, this.#version());
    this.#list.select(selected);
  }

  // What, besides the items, changes the rows in sight: the selection and the reports' counts.
  #version() {
    const selected = this.#selected;
    if (selected && !this.#ids.has(selected)) this.#ids.set(selected, this.#ids.size + 1);
    return `${selected ? this.#ids.get(selected) : 0}:${this.#counts}`;
  }

  #row(entry) {
    const { report } = entry;
    const { view, region } = report;
    const message = reportHeadline(report);
    const where = describeContext(this.#contexts.get(entry.context)) ?? '—';
    const allocated = region?.allocSite ? siteLabel(region.allocSite) : '—';
    return h('div', {
      class: `list-row report-row report-columns severity-${report.severity}`,
      role: 'row',
      'data-kind': report.kind,
      'aria-selected': String(entry === this.#selected),
      onclick: () => this.#onSelect(entry),
    },
    h('span', { class: 'report-time mono', role: 'gridcell', title: 'since its session started' }, entry.t == null ? '—' : formatMs(entry.t)),
    h('span', { class: 'report-kind', role: 'gridcell' }, h('span', { class: 'severity-dot' }), report.kind,
      report.count > 1 ? h('span', { class: 'report-count', title: `made ${report.count} times at this place` }, `×${report.count}`) : null),
    h('span', { class: 'report-message', role: 'gridcell', title: message }, message),
    h('span', { class: 'report-where', role: 'gridcell', title: where }, where),
    h('span', { class: 'mono', role: 'gridcell' }, view ? `${view.ctor} @ ${formatAddress(view.byteOffset)}` : '—'),
    h('span', { class: 'report-site', role: 'gridcell', title: allocated }, allocated));
  }
}
