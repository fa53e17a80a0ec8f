// The filter bar: search, report kind, severity and session. Each menu lists what the run has,
// with counts; a menu is rebuilt only when its entries change, so it stays open while events stream.
// A time range brushed on the timeline shows as a chip that clears it.

import { h, setContent } from './dom.js';
import { describeSession, formatMs } from './format.js';
import { REPORT_KINDS } from './viewsan/protocol.js';

const SEARCH_DEBOUNCE_MS = 120;

export class FilterBarView {
  #onChange;
  #menus = {};
  #built = {};
  #searchTimer = null;
  #timeChip;
  #timeText;
  #shownTime = null;

  /**
   * @param {HTMLElement} element
   * @param {(change: Partial<import('./filters.js').Filter>) => void} onChange
   */
  constructor(element, onChange) {
    this.element = element;
    this.#onChange = onChange;
    const search = h('input', {
      id: 'filter-search', type: 'search', placeholder: 'Search reports and views (message, site, stack, type)',
      'aria-label': 'Search reports and views', spellcheck: 'false',
    });
    search.addEventListener('input', () => {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => this.#onChange({ search: search.value }), SEARCH_DEBOUNCE_MS);
    });
    const menu = (name, label) => {
      const select = h('select', { id: `filter-${name}`, 'aria-label': label });
      select.addEventListener('change', () => this.#onChange({ [name === 'session' ? 'sessionKey' : name]: select.value }));
      this.#menus[name] = select;
      return h('label', { class: 'filter' }, h('span', {}, label), select);
    };
    this.#timeText = h('span', {});
    this.#timeChip = h('span', { class: 'filter filter-time', hidden: true }, h('span', {}, 'Time'), this.#timeText,
      h('button', {
        type: 'button', class: 'chip-clear', 'aria-label': 'Clear the time range', title: 'Clear the time range',
        onclick: () => this.#onChange({ time: null }),
      }, '×'));
    setContent(element, search, menu('kind', 'Kind'), menu('severity', 'Severity'), menu('session', 'Session'), this.#timeChip);
  }

  /**
   * @param {import('./model.js').ViewsanModel} model
   * @param {import('./filters.js').Filter} filter
   */
  render(model, filter) {
    const kinds = new Map();
    const severities = new Map();
    for (const { report } of model.reports) {
      kinds.set(report.kind, (kinds.get(report.kind) ?? 0) + 1);
      severities.set(report.severity, (severities.get(report.severity) ?? 0) + 1);
    }
    const kindNames = [...REPORT_KINDS.filter((kind) => kinds.has(kind)), ...[...kinds.keys()].filter((kind) => !REPORT_KINDS.includes(kind))];
    this.#fill('kind', filter.kind, [['', `All kinds (${model.reports.length})`],
      ...kindNames.map((kind) => [kind, `${kind} (${kinds.get(kind)})`])]);
    this.#fill('severity', filter.severity, [['', 'All severities'],
      ...['error', 'warning'].filter((severity) => severities.has(severity))
        .map((severity) => [severity, `${severity}s (${severities.get(severity)})`])]);
    this.#fill('session', filter.sessionKey, [['', `All sessions (${model.sessions.size})`],
      ...[...model.sessions.values()].map((session) => [session.key, describeSession(session, model.contexts)])]);
    if (filter.time !== this.#shownTime) {
      this.#shownTime = filter.time;
      this.#timeChip.hidden = !filter.time;
      if (filter.time) {
        const resolution = (filter.time.to - filter.time.from) / 100;
        this.#timeText.textContent = `${formatMs(filter.time.from, resolution)}–${formatMs(filter.time.to, resolution)}`;
      }
    }
  }

  #fill(name, value, entries) {
    // A filter value the run no longer has still shows, so the user sees why the lists are empty.
    if (value && !entries.some(([optionValue]) => optionValue === value)) entries.push([value, value]);
    const select = this.#menus[name];
    const signature = JSON.stringify(entries);
    if (this.#built[name] !== signature) {
      this.#built[name] = signature;
      select.replaceChildren(...entries.map(([optionValue, label]) => new Option(label, optionValue)));
    }
    select.value = value;
  }
}
