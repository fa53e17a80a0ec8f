// Resizable columns for a list whose header and rows are CSS grids of the same columns, as in
// DevTools' data grids: a handle at each header cell's right edge, dragged, or focused and moved
// with ArrowLeft/ArrowRight; a double-click (or Enter) fits the column to what it shows. Every
// column keeps a minimum width and the last one shown takes the rest. The widths are one grid
// template in a custom property on the list, which its header and rows read, so virtual rows need
// nothing of their own; each list remembers them in localStorage.
//
// Until a column is resized the stylesheet's own templates apply (they differ with the dock's
// shape, and a narrow dock hides some columns). The first resize fixes the width of every column
// shown, as it is laid out then, so that only the one resized moves.

import { h } from './dom.js';

const MIN_WIDTH = 36;
const KEY_STEP = 10;
const SHIFT_KEY_STEP = 50;
const STORAGE_PREFIX = 'viewsan.column-widths.';

export class ColumnResize {
  #list;
  #cells;
  #columns;
  #storageKey;
  #handles;
  /** @type {Map<string, number>} px by column name: the columns with a width of their own */
  #widths;
  #shown = [];

  /**
   * @param {HTMLElement} list  the list's scroll container: its header and rows read the template
   * @param {HTMLElement[]} cells  the header cells, one a column, in order
   * @param {{name: string, minWidth?: number}[]} columns
   * @param {string} storageName  which list this is, for localStorage
   */
  constructor(list, cells, columns, storageName) {
    this.#list = list;
    this.#cells = cells;
    this.#columns = columns;
    this.#storageKey = STORAGE_PREFIX + storageName;
    this.#widths = readWidths(this.#storageKey, columns);
    this.#handles = columns.map((column, index) => {
      const handle = h('span', {
        class: 'column-resizer',
        role: 'separator',
        'aria-orientation': 'vertical',
        'aria-label': `Resize the ${column.name} column`,
        'aria-valuemin': String(minWidth(column)),
        tabindex: '0',
        title: 'Drag to resize; double-click to fit',
        onpointerdown: (event) => this.#drag(event, index),
        ondblclick: (event) => {
          event.stopPropagation();
          this.#fit(index);
        },
        onkeydown: (event) => this.#onKeyDown(event, index),
        // A resize is not a click on the header, which sorts.
        onclick: (event) => event.stopPropagation(),
        onfocus: () => handle.setAttribute('aria-valuenow', String(this.#widthOf(index))),
      });
      cells[index].append(handle);
      return handle;
    });
    // The columns shown change with the dock's shape (media queries): the template follows. The
    // header too, which the list puts in with its first items, and which may be wider than it.
    const observer = new ResizeObserver(() => this.#layOut());
    observer.observe(list);
    observer.observe(cells[0].parentElement);
  }

  /** Sets column `index` to `width` px (no less than its minimum), and remembers it. */
  setWidth(index, width) {
    this.#fixShownWidths();
    const column = this.#columns[index];
    this.#widths.set(column.name, Math.max(minWidth(column), Math.round(width)));
    this.#layOut(true);
  }

  #onKeyDown(event, index) {
    const step = event.shiftKey ? SHIFT_KEY_STEP : KEY_STEP;
    const change = { ArrowLeft: -step, ArrowRight: step }[event.key];
    if (change) {
      this.setWidth(index, this.#widthOf(index) + change);
      this.#save();
    } else if (event.key === 'Enter' || event.key === ' ') {
      this.#fit(index);
    } else {
      return;
    }
    // Not the header's keys (sorting) nor the list's (selection).
    event.preventDefault();
    event.stopPropagation();
  }

  #drag(event, index) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    const handle = this.#handles[index];
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = this.#widthOf(index);
    // The cursor stays col-resize wherever the pointer goes while dragging.
    document.documentElement.classList.add('column-resizing');
    handle.classList.add('resizing');
    const move = (moveEvent) => this.setWidth(index, startWidth + moveEvent.clientX - startX);
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('lostpointercapture', end);
      document.documentElement.classList.remove('column-resizing');
      handle.classList.remove('resizing');
      this.#save();
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('lostpointercapture', end);
  }

  // The widest of the column's header and rows in sight, each laid out at its own max-content width.
  #fit(index) {
    const cells = [...this.#list.querySelectorAll(`[role="row"] > :nth-child(${index + 1})`)];
    for (const cell of cells) cell.style.width = 'max-content';
    const widest = Math.max(...cells.map((cell) => cell.getBoundingClientRect().width));
    for (const cell of cells) cell.style.width = '';
    this.setWidth(index, Math.ceil(widest));
    this.#save();
  }

  #widthOf(index) {
    return this.#widths.get(this.#columns[index].name) ?? Math.round(this.#cells[index].getBoundingClientRect().width);
  }

  // Gives each column shown, but the last, the width it has now unless it has one of its own.
  #fixShownWidths() {
    const missing = this.#shownIndexes().slice(0, -1).filter((index) => !this.#widths.has(this.#columns[index].name));
    if (missing.length === 0) return;
    // As the stylesheet lays them out, not as a template of fewer columns would.
    delete this.#list.dataset.sizedColumns;
    for (const index of missing) this.#widths.set(this.#columns[index].name, Math.round(this.#cells[index].getBoundingClientRect().width));
  }

  #shownIndexes() {
    return this.#cells.flatMap((cell, index) => (getComputedStyle(cell).display === 'none' ? [] : [index]));
  }

  // Writes the template of the columns shown, once one has a width of its own; `force` after a
  // width changed, else only when the columns shown did.
  #layOut(force = false) {
    if (!this.#cells[0].isConnected) return;  // the list has not put its header in yet
    const shown = this.#shownIndexes();
    if (!force && shown.join() === this.#shown.join()) return;
    if (shown.length === 0) return;  // not laid out (a hidden panel)
    this.#shown = shown;
    const last = shown.at(-1);
    for (const [index, handle] of this.#handles.entries()) handle.hidden = index === last;
    if (this.#widths.size === 0) return;
    this.#fixShownWidths();
    const fixed = shown.slice(0, -1).map((index) => this.#widths.get(this.#columns[index].name));
    const lastMin = minWidth(this.#columns[last]);
    const header = getComputedStyle(this.#cells[0].parentElement);
    // What the row needs at least: past that, the list scrolls sideways in its pane.
    const needed = fixed.reduce((sum, width) => sum + width, lastMin)
      + (shown.length - 1) * parseFloat(header.columnGap) + parseFloat(header.paddingLeft) + parseFloat(header.paddingRight);
    this.#list.style.setProperty('--column-widths', [...fixed.map((width) => `${width}px`), `minmax(${lastMin}px, 1fr)`].join(' '));
    this.#list.style.setProperty('--columns-min-width', `${Math.ceil(needed)}px`);
    this.#list.dataset.sizedColumns = '';
    for (const [n, index] of shown.slice(0, -1).entries()) this.#handles[index].setAttribute('aria-valuenow', String(fixed[n]));
  }

  #save() {
    try {
      localStorage.setItem(this.#storageKey, JSON.stringify(Object.fromEntries(this.#widths)));
    } catch {
      // No storage here (an opaque origin, storage turned off, or full): the widths last as long as the page.
    }
  }
}

function minWidth(column) {
  return column.minWidth ?? MIN_WIDTH;
}

/** The widths a list saved, those of columns it still has and no narrower than they may be. */
function readWidths(storageKey, columns) {
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(storageKey));
  } catch {
    // No storage, or not ours: the stylesheet's widths.
  }
  const widths = new Map();
  for (const column of columns) {
    const width = saved?.[column.name];
    if (Number.isFinite(width)) widths.set(column.name, Math.max(minWidth(column), Math.round(width)));
  }
  return widths;
}
