// One report in full: its message, the view, the region with both sites, growth and the stacks.

import { h, setContent } from './dom.js';
import { formatAddress, formatMs, formatRange, formatSite } from './format.js';

export class ReportDetailView {
  constructor(element) {
    this.element = element;
  }

  /** @param {{report: object, sessionKey: string|null, t: number|null}|null} entry */
  render(entry) {
    if (!entry) {
      setContent(this.element, h('p', { class: 'empty' }, 'Select a report to see it in full.'));
      return;
    }
    const { report, sessionKey, t } = entry;
    const { view, region, grow } = report;
    const fields = [
      ['Severity', report.severity],
      ['Session', sessionKey && `${sessionKey}${t == null ? '' : ` at ${formatMs(t)}`}`],
      ['View', view && `${view.ctor}, byteOffset ${formatAddress(view.byteOffset)}, length ${view.length}`],
      ['Region', region && `${formatRange(region.ptr, region.size)}, ${region.size} bytes, alloc #${region.allocId}`],
      ['Allocated at', region?.allocSite && formatSite(region.allocSite)],
      ['Freed at', region?.freeSite && formatSite(region.freeSite)],
      ['Grow', grow && `${grow.fromPages} → ${grow.toPages} pages${grow.site ? ` at ${formatSite(grow.site)}` : ''}`],
      ['Copied out', Number.isFinite(report.bytes) && `${report.bytes} bytes`],
    ].filter(([, value]) => value);

    setContent(this.element,
      h('h3', { class: `detail-title severity-${report.severity}` }, h('span', { class: 'severity-dot' }), report.kind),
      h('pre', { class: 'detail-message' }, report.message),
      h('dl', { class: 'detail-fields' }, fields.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
      stackBlock('Faulting access', report.stack),
      stackBlock('View created', view?.createdAt),
    );
  }
}

function stackBlock(title, stack) {
  if (!stack) return null;
  return h('section', { class: 'detail-stack' }, h('h4', {}, title), h('pre', {}, stack));
}
