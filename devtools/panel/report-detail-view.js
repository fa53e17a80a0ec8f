// One report in full: its text (viewsan's one formatter, as the runtime prints it), the view, the region with
// both sites, growth, the bytes under it when it was made (byte-view.js), and the stacks (the
// faulting access, where the view was made, and where JavaScript grew the memory).

import { byteView } from './byte-view.js';
import { h, setContent } from './dom.js';
import { describeContext, formatAddress, formatMs, formatRange } from './format.js';
import { linkedText } from './source-links.js';
import { formatReport, siteLabel } from './viewsan/report-format.js';

export class ReportDetailView {
  #shown = undefined;
  #onCopied;

  /** @param {(location: string|null) => void} [onCopied] told what a click on a location copied */
  constructor(element, onCopied = () => {}) {
    this.element = element;
    this.#onCopied = onCopied;
  }

  /**
   * @param {{report: object, sessionKey: string|null, context: number|null, t: number|null}|null} entry
   * @param {Map<number, object>} contexts
   */
  render(entry, contexts) {
    if (entry === this.#shown) return;
    this.#shown = entry;
    if (!entry) {
      setContent(this.element, h('p', { class: 'empty' }, 'Select a report to see it in full.'));
      return;
    }
    const { report, sessionKey, t } = entry;
    const { view, region, grow } = report;
    const where = describeContext(contexts.get(entry.context));
    const fields = [
      ['Severity', report.severity],
      ['Occurrences', report.count > 1 && `${report.count} at this place (deduplicated)`],
      ['Where', where && `${where} (context ${entry.context})`],
      ['Session', sessionKey && `${sessionKey}${t == null ? '' : ` at ${formatMs(t)}`}`],
      ['Module', report.module],
      ['Access', report.access && describeAccess(report.access)],
      ['View', view && `${view.ctor}, byteOffset ${formatAddress(view.byteOffset)}, length ${view.length ?? '—'}`],
      ['Region', region && region.size != null &&
        `${formatRange(region.ptr, region.size)}, ${region.size} bytes, alloc #${region.allocId}`],
      ['Allocated by', region?.allocSite && siteLabel(region.allocSite)],
      ['Freed by', region?.freeSite && siteLabel(region.freeSite)],
      ['Reused by', report.newer && `alloc #${report.newer.allocId} ${formatRange(report.newer.ptr, report.newer.size)}` +
        (report.newer.allocSite ? `, allocated by ${siteLabel(report.newer.allocSite)}` : '')],
      ['Grow', grow && `${grow.method ? `memory.${grow.method}(), ${grow.toPages} pages` : `${grow.fromPages} → ${grow.toPages} pages`}${grow.site ? ` in ${siteLabel(grow.site)}` : ''}`],
      ['Copied out', Number.isFinite(report.bytes) && `${report.bytes} bytes`],
    ].filter(([, value]) => value);

    // The report's text, stacks included, from its JSON by the formatter the runtime prints with;
    // a stack the text does not already hold gets a block of its own.
    const message = formatReport(report);
    const stackBlock = (title, stack, name) => {
      if (!stack || message.includes(stack.trim())) return null;
      return h('section', { class: 'detail-stack', 'data-stack': name }, h('h4', {}, title), h('pre', {}, linkedText(stack, this.#onCopied)));
    };
    setContent(this.element,
      h('h3', { class: `detail-title severity-${report.severity}` }, h('span', { class: 'severity-dot' }), report.kind),
      h('dl', { class: 'detail-fields' }, fields.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
      h('pre', { class: 'detail-message' }, linkedText(message, this.#onCopied)),
      byteView(report),
      stackBlock('Faulting access', report.stack, 'access'),
      stackBlock('View created', view?.createdAt, 'view'),
      stackBlock(grow?.method ? `memory.${grow.method}() called` : 'Memory grown from JavaScript', grow?.site?.stack, 'grow'),
      stackBlock('Free attempted', report.attempt?.stack, 'free'),
    );
  }
}

function describeAccess({ op, index, method }) {
  if (method) return `${op ?? 'call'} ${method}`;
  return index == null ? op : `${op} of element [${index}]`;
}
