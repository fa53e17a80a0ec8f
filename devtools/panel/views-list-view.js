// The guarded views: every typed-array view viewsan handed out over linear memory, with what it
// can still do (live; its allocation freed; its buffer detached by memory growth). By default
// only the live ones, those the page may still read safely. Virtualized like the report list, and
// as it, the arrow keys move the selection.

import { ColumnResize } from './column-resize.js';
import { ColumnSort } from './column-sort.js';
import { h } from './dom.js';
import { describeContext, formatAddress, formatBytes, formatMs } from './format.js';
import { viewStatus } from './model.js';
import { setEmptyText, VirtualList } from './virtual-list.js';

export const VIEW_ROW_HEIGHT = 22;

const STATUS_LABELS = { live: 'live', freed: 'allocation freed', detached: 'detached by grow' };

// Each column with what it sorts by (column-sort.js); each is resizable (column-resize.js).
const COLUMNS = [
  { name: 'View', key: (view) => view.viewId },
  { name: 'Type', key: (view) => view.ctor },
  { name: 'Range', key: (view) => (view.whole ? -1 : view.byteOffset) },
  { name: 'Length', key: (view) => view.length },
  { name: 'Allocation', key: (view) => view.allocId ?? -1 },
  { name: 'Status', key: (view) => STATUS_LABELS[viewStatus(view)] },
  { name: 'Where', key: (view) => `${view.owner.context}/${view.owner.session}` },
  { name: 'Created', key: (view) => view.t ?? -1 },
];

export class ViewsListView {
  #list;
  #onSelect;
  #selectedView = null;
  #contexts = new Map();
  #views = [];
  #version = '';
  #sort = new ColumnSort(COLUMNS, () => this.#list.setItems(this.#sort.apply(this.#views), this.#version));

  /** @param {(view: object) => void} onSelect */
  constructor(element, onSelect) {
    this.element = element;
    this.#onSelect = onSelect;
    this.#list = new VirtualList(element, {
      rowHeight: VIEW_ROW_HEIGHT,
      header: h('div', { class: 'list-header view-columns', role: 'row' },
        this.#sort.headers),
      renderRow: (view) => this.#row(view),
      onSelect,
    });
    new ColumnResize(element, this.#sort.headers, COLUMNS, 'views');
    element.setAttribute('role', 'grid');
    element.setAttribute('aria-label', 'Guarded views');
  }

  /**
   * @param {object[]} views  the views that pass the filters
   * @param {{selectedView: object|null, contexts: Map<number, object>, total: number, liveOnly: boolean, epoch: unknown}} state
   *   epoch changes whenever a view's status may have (a free, a grow)
   */
  render(views, { selectedView, contexts, total, liveOnly, epoch }) {
    this.#selectedView = selectedView;
    this.#contexts = contexts;
    setEmptyText(this.element, views.length > 0 ? null
      : total === 0 ? 'No guarded views.'
        : liveOnly ? `No live view: ${total} ${total === 1 ? 'view is' : 'views are'} detached, freed or filtered out.`
          : `No view matches the filters (${total} hidden).`);
    this.#views = views;
    this.#version = `${epoch}/${selectedView?.viewId}/${selectedView?.owner.key}`;
    this.#list.setItems(this.#sort.apply(views), this.#version);
    this.#list.select(selectedView);
  }

  #row(view) {
    const status = viewStatus(view);
    const where = `${describeContext(this.#contexts.get(view.owner.context)) ?? `context ${view.owner.context}`} · ${view.owner.session}`;
    return h('div', {
      class: `list-row view-row view-columns status-${status}`,
      role: 'row',
      'data-view-id': view.viewId,
      'data-status': status,
      'aria-selected': String(view === this.#selectedView),
      onclick: () => this.#onSelect(view),
    },
    h('span', { class: 'mono', role: 'gridcell' }, `#${view.viewId}`),
    h('span', { role: 'gridcell' }, view.ctor),
    h('span', { class: 'mono', role: 'gridcell' },
      view.whole ? 'whole buffer' : `${formatAddress(view.byteOffset)} +${formatBytes(view.byteLength)}`),
    h('span', { class: 'numeric', role: 'gridcell' }, String(view.length)),
    h('span', { role: 'gridcell' }, view.allocId == null ? '—' : `#${view.allocId}`),
    h('span', { class: 'view-status', role: 'gridcell' }, h('span', { class: 'status-dot' }), STATUS_LABELS[status]),
    h('span', { class: 'view-where', role: 'gridcell', title: where }, where),
    h('span', { class: 'numeric', role: 'gridcell' }, view.t == null ? '' : formatMs(view.t)));
  }
}
