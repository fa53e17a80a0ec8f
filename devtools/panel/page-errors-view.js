// The page's own errors: uncaught exceptions (a viewsan error thrown at a faulting access among
// them), console.error calls, and browser-side errors such as a failed fetch of the module.

import { h, setContent } from './dom.js';

const TYPE_LABELS = { exception: 'Uncaught', console: 'console.error', log: 'Browser' };

// A page that logs an error per frame must not bury the panel: the first ones are listed.
const LISTED = 200;

export class PageErrorsView {
  #shown = -1;

  constructor(element) {
    this.element = element;
  }

  render(pageErrors) {
    if (pageErrors.length === this.#shown) return;
    this.#shown = pageErrors.length;
    if (pageErrors.length === 0) {
      setContent(this.element, h('p', { class: 'empty' }, 'No page errors.'));
      return;
    }
    const more = pageErrors.length - LISTED;
    setContent(this.element, h('ul', { class: 'page-errors' }, pageErrors.slice(0, LISTED).map((pageError) => {
      const location = pageError.url ? `${pageError.url}${pageError.line ? `:${pageError.line}` : ''}` : '';
      // The first line as the summary; the rest of a multi-line message (a viewsan report as
      // printed) and the stack when opened.
      const [first, ...rest] = String(pageError.message ?? '').split('\n');
      const body = [rest.join('\n'), pageError.stack].filter(Boolean).join('\n');
      const summary = [
        h('span', { class: 'badge' }, TYPE_LABELS[pageError.type] ?? pageError.type),
        h('span', { class: 'page-error-message' }, first),
        location && h('span', { class: 'page-error-location' }, location),
      ];
      return h('li', { 'data-type': pageError.type }, body
        ? h('details', {}, h('summary', {}, summary), h('pre', {}, body))
        : h('div', {}, summary));
    })), more > 0 ? h('p', { class: 'caption' }, `… and ${more} more, in the report file.`) : null);
  }
}
