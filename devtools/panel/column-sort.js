// Sortable columns for a list: a click (or Enter, or Space) on a column's header sorts the rows by
// it, ascending; again, descending; a third time, back to the order the rows came in. The headers
// say which with aria-sort. Sorting is stable, and done again only when the rows or the order
// changed.

import { h } from './dom.js';

const compare = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));

export class ColumnSort {
  #columns;
  #onChange;
  #headers;
  #sort = null;      // {column, descending}; null: the order the rows came in
  #rows = [];
  #sorted = null;

  /**
   * @param {{name: string, key: (row: object) => number|string}[]} columns
   * @param {() => void} onChange  called when the order changed
   */
  constructor(columns, onChange) {
    this.#columns = columns;
    this.#onChange = onChange;
    this.#headers = columns.map((column) => h('span', {
      role: 'columnheader',
      class: 'sortable',
      tabindex: '0',
      'aria-sort': 'none',
      title: `Sort by ${column.name.toLowerCase()}`,
      onclick: () => this.#sortBy(column),
      onkeydown: (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        this.#sortBy(column);
      },
    }, column.name));
  }

  /** The header cells, for the list's header row. */
  get headers() {
    return this.#headers;
  }

  /** `rows` in the chosen order (`rows` itself when unsorted). */
  apply(rows) {
    if (rows !== this.#rows) {
      this.#rows = rows;
      this.#sorted = null;
    }
    if (!this.#sort) return rows;
    if (!this.#sorted) {
      const { column, descending } = this.#sort;
      const keyed = rows.map((row, index) => [column.key(row), index, row]);
      keyed.sort((a, b) => compare(a[0], b[0]) * (descending ? -1 : 1) || a[1] - b[1]);
      this.#sorted = keyed.map(([, , row]) => row);
    }
    return this.#sorted;
  }

  #sortBy(column) {
    const current = this.#sort?.column === column ? this.#sort : null;
    this.#sort = !current ? { column, descending: false } : !current.descending ? { column, descending: true } : null;
    this.#sorted = null;
    for (const [index, header] of this.#headers.entries()) {
      const sorted = this.#sort?.column === this.#columns[index];
      header.setAttribute('aria-sort', !sorted ? 'none' : this.#sort.descending ? 'descending' : 'ascending');
    }
    this.#onChange();
  }
}
