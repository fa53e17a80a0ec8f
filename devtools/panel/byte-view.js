// The bytes under a report (`report.memory`: the runtime's memory-snapshot.js) as a hex dump, as
// Chrome's Memory Inspector shows memory: 16 bytes a row, the row's address in a gutter, the bytes
// in hex and as ASCII, each byte coloured by what the report says of it (its region freed or live,
// reused by a newer allocation, inside the view, touched by the faulting access). A table, so that
// a screen reader can walk it by row and column; a legend names each mark with its range.

import { h } from './dom.js';
import { formatAddress, formatRange, plural } from './format.js';

const ROW = 16;
const COLUMNS = Array.from({ length: ROW }, (_, i) => i.toString(16).padStart(2, '0'));
// Kinds whose view was dead when used: it is drawn as a stale view, as the memory map draws it.
const STALE_VIEW_KINDS = new Set(['use-after-grow', 'use-after-free', 'use-after-reuse']);
const REGION_STATES = new Set(['freed', 'live', 'reused']);

/** The hex dump of `report.memory`, or null for a report without one (a file from before it). */
export function byteView(report) {
  const snapshot = report.memory;
  if (!isSnapshot(snapshot)) return null;
  const marks = snapshot.marks.filter(isMark);
  const labels = markLabels(report, marks);
  const rows = [];
  let shownUpTo = null;
  for (const span of snapshot.spans) {
    const bytes = decodeHex(span.hex);
    const end = span.start + bytes.length;
    if (shownUpTo !== null && span.start > shownUpTo) rows.push(gapRow(span.start - shownUpTo));
    for (let row = alignDown(span.start); row < end; row += ROW) rows.push(byteRow(row, span.start, bytes, marks, labels));
    shownUpTo = end;
  }
  const total = snapshot.spans.reduce((sum, span) => sum + span.hex.length / 2, 0);
  const first = snapshot.spans[0].start;
  const severity = report.severity === 'warning' ? 'warning' : 'error';
  return h('section', { class: `byte-view access-${severity}${STALE_VIEW_KINDS.has(report.kind) ? ' stale' : ''}`, 'aria-label': 'Memory when reported' },
    h('h4', {}, 'Memory when reported'),
    legend(marks, labels),
    h('div', { class: 'byte-view-scroll', tabindex: '0', role: 'region', 'aria-label': 'Hex dump, scrolls sideways' },
      h('table', { class: 'byte-dump' },
        h('caption', {}, `${plural(total, 'byte')} from ${formatAddress(first)}, as they were when the report was made`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'byte-gutter' }, 'Address'),
          COLUMNS.map((column) => h('th', { scope: 'col', class: 'byte-column' }, column)),
          h('th', { scope: 'col', class: 'byte-ascii' }, 'ASCII'))),
        h('tbody', {}, rows))));
}

function byteRow(rowStart, spanStart, bytes, marks, labels) {
  const cells = [];
  const chars = [];
  for (let column = 0; column < ROW; column++) {
    const address = rowStart + column;
    const index = address - spanStart;
    if (index < 0 || index >= bytes.length) {
      cells.push(h('td', { class: 'byte byte-none' }));
      chars.push(h('span', { class: 'byte byte-none' }, ' '));
      continue;
    }
    const value = bytes[index];
    const { classes, description } = describeByte(address, marks, labels);
    const hex = value.toString(16).padStart(2, '0');
    cells.push(h('td', {
      class: classes, 'data-address': address, title: `${formatAddress(address)}: 0x${hex} (${value})${description}`,
    }, hex));
    chars.push(h('span', { class: classes }, value >= 0x20 && value < 0x7f ? String.fromCharCode(value) : '.'));
  }
  return h('tr', { 'data-address': rowStart },
    h('th', { scope: 'row', class: 'byte-gutter' }, formatAddress(rowStart)),
    cells,
    h('td', { class: 'byte-ascii' }, chars));
}

// The classes and the tooltip text of the byte at `address`: the last region mark over it sets
// its colour (a newer allocation's is drawn over the freed one it reused), the view underlines
// it, the faulting access outlines it.
function describeByte(address, marks, labels) {
  let region = null;
  let inView = false;
  let inAccess = false;
  const said = [];
  for (const mark of marks) {
    if (address < mark.start || address >= mark.end) continue;
    said.push(labels.get(mark));
    if (REGION_STATES.has(mark.state)) region = mark.state;
    else if (mark.state === 'view') inView = true;
    else if (mark.state === 'access') inAccess = true;
  }
  const classes = ['byte', region && `byte-${region}`, inView && 'in-view', inAccess && 'in-access'].filter(Boolean).join(' ');
  return { classes, description: said.length === 0 ? '' : ` · ${said.join(' · ')}` };
}

function gapRow(bytes) {
  return h('tr', { class: 'byte-gap' }, h('td', { colspan: ROW + 2 }, `… ${plural(bytes, 'byte')} not shown …`));
}

function legend(marks, labels) {
  return h('ul', { class: 'byte-legend' }, marks.map((mark) => h('li', {},
    h('span', { class: `byte-swatch swatch-${mark.state}`, 'aria-hidden': 'true' }),
    `${labels.get(mark)} ${formatRange(mark.start, mark.end - mark.start)}`)));
}

// What each mark is, in words, for the legend and the tooltips.
function markLabels(report, marks) {
  const stale = STALE_VIEW_KINDS.has(report.kind);
  const access = report.kind === 'copy-out' ? 'bytes copied'
    : report.kind === 'double-free' || report.kind === 'invalid-free' ? 'pointer freed' : 'faulting access';
  const alloc = (mark) => (mark.allocId == null ? 'allocation' : `alloc #${mark.allocId}`);
  const words = {
    freed: (mark) => `freed ${alloc(mark)}`,
    live: (mark) => `live ${alloc(mark)}`,
    reused: (mark) => `reused by ${alloc(mark)}`,
    view: () => (stale ? 'stale view' : 'view'),
    access: () => access,
  };
  return new Map(marks.map((mark) => [mark, words[mark.state](mark)]));
}

function isSnapshot(snapshot) {
  return snapshot != null && Array.isArray(snapshot.spans) && snapshot.spans.length > 0
    && snapshot.spans.every((span) => Number.isFinite(span.start) && /^([0-9a-f]{2})*$/i.test(span.hex ?? '') && span.hex.length > 0)
    && Array.isArray(snapshot.marks);
}

function isMark(mark) {
  return mark != null && Number.isFinite(mark.start) && Number.isFinite(mark.end) && mark.end > mark.start
    && (REGION_STATES.has(mark.state) || mark.state === 'view' || mark.state === 'access');
}

function decodeHex(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const alignDown = (address) => Math.floor(address / ROW) * ROW;
