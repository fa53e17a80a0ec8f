// A list that builds only the rows in sight: rows have one fixed height, a sizer gives the scroll
// container the height of every row, and scrolling rebuilds the visible slice in the next frame.
// A list of 100,000 items costs what a list of 40 does. Given onSelect, the list is a tab stop
// whose arrow keys move the selection.

import { h, setContent } from './dom.js';

const OVERSCAN_ROWS = 8;

// How far each key moves the selection.
const SELECTION_STEPS = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };

export class VirtualList {
  #element;
  #header;
  #sizer;
  #rowHeight;
  #renderRow;
  #items = [];
  #selected = null;
  #version = 0;
  #painted = null;
  #paintQueued = false;
  /** Sizes kept from the ResizeObserver: reading them from the DOM would force a layout. */
  #viewportHeight = 0;
  #headerHeight = 0;
  #scrollTop = 0;

  /**
   * @param {HTMLElement} element  the scroll container
   * @param {object} options
   * @param {number} options.rowHeight  px, as the CSS of a row says
   * @param {HTMLElement|null} [options.header]  a header row that stays on top
   * @param {(item: any, index: number) => HTMLElement} options.renderRow
   * @param {(item: any) => void} [options.onSelect]  called with the item the keys moved to
   */
  constructor(element, { rowHeight, header = null, renderRow, onSelect = null }) {
    this.#element = element;
    this.#rowHeight = rowHeight;
    this.#renderRow = renderRow;
    this.#header = header;
    this.#sizer = h('div', { class: 'virtual-sizer', role: 'rowgroup' });
    element.classList.add('virtual-list');
    element.addEventListener('scroll', () => {
      this.#scrollTop = element.scrollTop;
      this.#queuePaint();
    }, { passive: true });
    new ResizeObserver(() => {
      this.#viewportHeight = element.clientHeight;
      this.#headerHeight = header?.offsetHeight ?? 0;
      this.#queuePaint();
    }).observe(element);
    if (onSelect) {
      element.tabIndex = 0;
      element.addEventListener('keydown', (event) => {
        const step = SELECTION_STEPS[event.key];
        const items = this.#items;
        if (!step || items.length === 0) return;
        event.preventDefault();
        const current = items.indexOf(this.#selected);
        onSelect(items[current === -1 ? 0 : Math.min(items.length - 1, Math.max(0, current + step))]);
      });
    }
  }

  get items() {
    return this.#items;
  }

  /** The selected item, which the keys move from; the list scrolls to it when it changes. */
  select(item) {
    if (item === this.#selected) return;
    this.#selected = item;
    this.reveal(this.#items.indexOf(item));
  }

  /**
   * Shows `items`. `version` is anything that changes when rows must be rebuilt although the
   * items did not (the selection, say); rows in sight are rebuilt only when it or the items change.
   */
  setItems(items, version = 0) {
    if (items === this.#items && version === this.#version && this.#painted) return;
    this.#items = items;
    this.#version = version;
    this.#painted = null;
    if (!this.#sizer.isConnected) setContent(this.#element, this.#header, this.#sizer);
    this.#sizer.style.height = `${items.length * this.#rowHeight}px`;
    this.#element.dataset.count = String(items.length);
    this.#paint();
  }

  /** Scrolls the container, and only it, so that row `index` is in sight. */
  reveal(index) {
    if (index < 0) return;
    const top = index * this.#rowHeight;
    const view = this.#viewportHeight - this.#headerHeight;
    if (top < this.#scrollTop) this.#scrollTop = top;
    else if (top + this.#rowHeight > this.#scrollTop + view) this.#scrollTop = top + this.#rowHeight - view;
    else return;
    this.#element.scrollTop = this.#scrollTop;
    this.#paint();
  }

  /** The row element of item `index`, when it is built. */
  rowAt(index) {
    return this.#sizer.querySelector(`[data-index="${index}"]`);
  }

  #queuePaint() {
    if (this.#paintQueued) return;
    this.#paintQueued = true;
    requestAnimationFrame(() => {
      this.#paintQueued = false;
      this.#paint();
    });
  }

  #paint() {
    // The scroll position as the last scroll event left it: reading it here would force a layout.
    const scrollTop = this.#scrollTop;
    // A pane not laid out yet (hidden) shows its first rows.
    const height = this.#viewportHeight || 400;
    const first = Math.max(0, Math.floor(scrollTop / this.#rowHeight) - OVERSCAN_ROWS);
    const last = Math.min(this.#items.length, Math.ceil((scrollTop + height - this.#headerHeight) / this.#rowHeight) + OVERSCAN_ROWS);
    const painted = `${first}:${last}`;
    if (painted === this.#painted) return;
    this.#painted = painted;
    const rows = [];
    for (let index = first; index < last; index++) {
      const row = this.#renderRow(this.#items[index], index);
      row.dataset.index = String(index);
      row.style.transform = `translateY(${index * this.#rowHeight}px)`;
      rows.push(row);
    }
    this.#sizer.replaceChildren(...rows);
  }
}

/** The text an empty list shows in place of rows (drawn by CSS), or none. */
export function setEmptyText(element, text) {
  if (text) element.dataset.emptyText = text;
  else delete element.dataset.emptyText;
}
