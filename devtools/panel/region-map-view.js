// Linear memory as rows of addresses: where each allocation sits, which are live and which freed
// (a newer allocation drawn over an older freed one is reuse), and which bytes views cover.

import { h, setContent, svg } from './dom.js';
import { describeRegion, formatAddress, formatBytes, formatRange } from './format.js';
import { WASM_PAGE_BYTES } from './protocol.js';

const MAX_ROWS = 8;
const MIN_ROW_BYTES = 16;
const GUTTER = 88;
const AXIS_HEIGHT = 16;
const ROW_HEIGHT = 28;
const REGION_TOP = 3;
const REGION_HEIGHT = 15;
const VIEW_TOP = 21;
const VIEW_HEIGHT = 4;
const AXIS_TICKS = 4;
const RIGHT_MARGIN = 12;

export class RegionMapView {
  #onSelectRegion;

  /** @param {(allocId: number) => void} onSelectRegion */
  constructor(element, onSelectRegion) {
    this.element = element;
    this.#onSelectRegion = onSelectRegion;
  }

  /**
   * @param {import('./model.js').SessionState|undefined} session
   * @param {{selectedAllocId: number|null, errorAllocIds: Set<number>}} highlight
   *   errorAllocIds: the regions that error reports name
   */
  render(session, { selectedAllocId, errorAllocIds }) {
    const regions = session ? [...session.regions.values()] : [];
    const views = session ? session.views.filter((view) => !view.whole && view.byteLength > 0) : [];
    if (regions.length === 0 && views.length === 0) {
      setContent(this.element, h('p', { class: 'empty' }, 'No allocations to show.'));
      return;
    }

    const { lowest, highest } = addressBounds(regions, views);
    const rowBytes = rowBytesFor(highest - lowest);
    const low = Math.floor(lowest / rowBytes) * rowBytes;
    const rows = Math.max(1, Math.ceil((highest - low) / rowBytes));
    const width = Math.max(320, this.element.clientWidth);
    const plotWidth = width - GUTTER - RIGHT_MARGIN;

    // A range that crosses row ends is drawn as one rectangle per row.
    const segments = (start, end, top, height) => {
      const rects = [];
      for (let row = Math.floor((start - low) / rowBytes); row * rowBytes + low < end; row++) {
        const rowStart = low + row * rowBytes;
        const from = Math.max(start, rowStart);
        const to = Math.min(end, rowStart + rowBytes);
        rects.push(svg('rect', {
          x: GUTTER + ((from - rowStart) / rowBytes) * plotWidth,
          y: AXIS_HEIGHT + row * ROW_HEIGHT + top,
          width: Math.max(1, ((to - from) / rowBytes) * plotWidth),
          height,
        }));
      }
      return rects;
    };

    // Freed first, so that what lives there now is drawn on top.
    const ordered = regions.toSorted((a, b) => (a.freeT === null) - (b.freeT === null));
    const regionShapes = ordered.map((region) => svg('g', {
      class: [
        'region',
        region.freeT === null ? 'live' : 'freed',
        errorAllocIds.has(region.allocId) && 'has-error',
        region.allocId === selectedAllocId && 'selected',
      ].filter(Boolean).join(' '),
      'data-alloc-id': region.allocId,
      onclick: () => this.#onSelectRegion(region.allocId),
    },
    svg('title', {}, describeRegion(region)),
    segments(region.ptr, region.ptr + region.size, REGION_TOP, REGION_HEIGHT)));

    const viewShapes = views.map((view) => {
      const stale = session.regions.get(view.allocId)?.freeT != null;
      return svg('g', { class: `view${stale ? ' stale' : ''}` },
        svg('title', {}, `${view.ctor} view #${view.viewId} ${formatRange(view.byteOffset, view.byteLength)}` +
          (stale ? ' over a freed region' : '')),
        segments(view.byteOffset, view.byteOffset + view.byteLength, VIEW_TOP, VIEW_HEIGHT));
    });

    const axis = Array.from({ length: AXIS_TICKS + 1 }, (_, tick) => {
      const fraction = tick / AXIS_TICKS;
      const anchor = tick === 0 ? 'start' : tick === AXIS_TICKS ? 'end' : 'middle';
      return svg('text', { class: 'axis-label', x: GUTTER + fraction * plotWidth, y: 11, 'text-anchor': anchor },
        `+0x${(fraction * rowBytes).toString(16)}`);
    });
    const rowBands = Array.from({ length: rows }, (_, row) => {
      const top = AXIS_HEIGHT + row * ROW_HEIGHT;
      return [
        svg('rect', { class: 'row-band', x: GUTTER, y: top + 1, width: plotWidth, height: ROW_HEIGHT - 2 }),
        svg('text', { class: 'address-label', x: GUTTER - 8, y: top + 15, 'text-anchor': 'end' },
          formatAddress(low + row * rowBytes)),
      ];
    });

    const memory = session.pages == null
      ? ''
      : ` · linear memory ${formatBytes(session.pages * WASM_PAGE_BYTES)} (${session.pages} pages)`;
    setContent(this.element,
      svg('svg', {
        class: 'region-map',
        width,
        height: AXIS_HEIGHT + rows * ROW_HEIGHT,
        role: 'img',
        'aria-label': 'Regions in linear memory',
      }, axis, rowBands, regionShapes, viewShapes),
      h('p', { class: 'caption' },
        `${formatAddress(low)}–${formatAddress(low + rows * rowBytes)} · ${formatBytes(rowBytes)} per row${memory}`),
    );
  }
}

function addressBounds(regions, views) {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const { ptr, size } of regions) {
    lowest = Math.min(lowest, ptr);
    highest = Math.max(highest, ptr + size);
  }
  for (const { byteOffset, byteLength } of views) {
    lowest = Math.min(lowest, byteOffset);
    highest = Math.max(highest, byteOffset + byteLength);
  }
  return { lowest, highest };
}

function rowBytesFor(span) {
  let rowBytes = MIN_ROW_BYTES;
  while (rowBytes * MAX_ROWS < span) rowBytes *= 2;
  return rowBytes;
}
