// The violation list: one row per report, oldest first; selecting a row opens it in the detail view.

import { h, setContent } from './dom.js';
import { firstLine, formatAddress, formatSite } from './format.js';

export class ReportListView {
  #onSelect;
  #entries = [];
  #revealed = null;

  /** @param {(entry: object) => void} onSelect */
  constructor(element, onSelect) {
    this.element = element;
    this.#onSelect = onSelect;
    element.addEventListener('keydown', (event) => this.#onKeyDown(event));
  }

  render(entries, selected) {
    this.#entries = entries;
    if (entries.length === 0) {
      setContent(this.element, h('p', { class: 'empty' }, 'No reports.'));
      return;
    }
    // One row takes the Tab stop: the selected one, else the first.
    const focusable = selected && entries.includes(selected) ? selected : entries[0];
    const rows = entries.map((entry) => this.#row(entry, entry === selected, entry === focusable));
    setContent(this.element, h('table', { class: 'report-list' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'Kind'), h('th', {}, 'Message'), h('th', {}, 'View'),
        h('th', {}, 'Allocated at'), h('th', {}, 'Freed at'))),
      h('tbody', {}, rows)));
    if (selected !== this.#revealed) this.#reveal(selected);
  }

  // Scrolls the pane, and only the pane, to a newly selected row; renders for new events leave
  // the scroll position alone.
  #reveal(selected) {
    this.#revealed = selected;
    const row = this.element.querySelector('tr[aria-selected="true"]');
    if (!row) return;
    const pane = this.element.getBoundingClientRect();
    const box = row.getBoundingClientRect();
    if (box.top < pane.top) this.element.scrollTop -= pane.top - box.top;
    else if (box.bottom > pane.bottom) this.element.scrollTop += box.bottom - pane.bottom;
  }

  #row(entry, isSelected, isFocusable) {
    const { report } = entry;
    const { view, region } = report;
    return h('tr', {
      class: `report-row severity-${report.severity}`,
      'data-kind': report.kind,
      'aria-selected': String(isSelected),
      tabindex: isFocusable ? 0 : -1,
      onclick: () => this.#onSelect(entry),
    },
    h('td', { class: 'report-kind' }, h('span', { class: 'severity-dot' }), report.kind),
    h('td', { class: 'report-message' }, firstLine(report.message)),
    h('td', { class: 'mono' }, view ? `${view.ctor} @ ${formatAddress(view.byteOffset)}` : '—'),
    h('td', {}, region?.allocSite ? formatSite(region.allocSite) : '—'),
    h('td', {}, region?.freeSite ? formatSite(region.freeSite) : '—'));
  }

  #onKeyDown(event) {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    const rows = [...this.element.querySelectorAll('tr.report-row')];
    if (!step || rows.length === 0) return;
    event.preventDefault();
    const current = rows.findIndex((row) => row.getAttribute('aria-selected') === 'true');
    const next = current === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, current + step));
    this.#onSelect(this.#entries[next]);
    // Rows are rebuilt on render; keep the keyboard focus on the selection.
    requestAnimationFrame(() => this.element.querySelector('tr[aria-selected="true"]')?.focus());
  }
}
