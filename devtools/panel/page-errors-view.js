// The page's own errors: uncaught exceptions (a viewsan error thrown at a faulting access among
// them), console.error calls, and browser-side errors such as a failed fetch of the module.

import { h, setContent } from './dom.js';

const TYPE_LABELS = { exception: 'Uncaught', console: 'console.error', log: 'Browser' };

export class PageErrorsView {
  constructor(element) {
    this.element = element;
  }

  render(pageErrors) {
    if (pageErrors.length === 0) {
      setContent(this.element, h('p', { class: 'empty' }, 'No page errors.'));
      return;
    }
    setContent(this.element, h('ul', { class: 'page-errors' }, pageErrors.map((pageError) => {
      const location = pageError.url ? `${pageError.url}${pageError.line ? `:${pageError.line}` : ''}` : '';
      const summary = [
        h('span', { class: 'badge' }, TYPE_LABELS[pageError.type] ?? pageError.type),
        h('span', { class: 'page-error-message' }, pageError.message),
        location && h('span', { class: 'page-error-location' }, location),
      ];
      return h('li', { 'data-type': pageError.type }, pageError.stack
        ? h('details', {}, h('summary', {}, summary), h('pre', {}, pageError.stack))
        : h('div', {}, summary));
    })));
  }
}
