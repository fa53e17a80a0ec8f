// Linear memory as rows of addresses: where each allocation sits and what became of it (live;
// quarantined: freed, bytes not reused yet; reused: freed, and a later allocation took its
// bytes), with the ranges of the guarded views under them. Drawn on a canvas at pixel level of
// detail: the ranges of each state mark the pixels they cover, and each run of covered pixels is
// one rectangle, so drawing costs what the pane's size does, not what the number of regions does.
// The map is drawn once per change of the session; a new selection only redraws its outline.

import { CanvasChart } from './canvas-chart.js';
import { describeRegion, formatAddress, formatBytes, formatRange, plural } from './format.js';
import { regionState, viewStatus } from './model.js';
import { WASM_PAGE_BYTES } from './viewsan/protocol.js';

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

/** Painted bottom to top: what lives at an address now is drawn over what was freed there. */
const STATE_ORDER = ['reused', 'quarantined', 'live'];

export class RegionMapView {
  #chart;
  #onSelectRegion;
  #drawn = null;
  /** What a session's map is made of, kept until the session changes. */
  #layout = { key: undefined };
  #prepared = null;

  /** @param {(allocId: number) => void} onSelectRegion */
  constructor(element, onSelectRegion) {
    this.element = element;
    this.#onSelectRegion = onSelectRegion;
    this.#chart = new CanvasChart(element, 'Regions in linear memory');
  }

  /**
   * Does the part of the next render that walks the session, so that a caller can spread a
   * redraw over two frames: the next render draws what the session was now, even if events
   * came in between. A render without it walks the session itself.
   */
  prepare(session) {
    const layoutKey = session ? `${session.key}/${session.revision}/${this.#chart.paneWidth}` : null;
    if (this.#layout.key !== layoutKey) this.#layout = lay(session, layoutKey);
    this.#prepared = session;
  }

  /**
   * @param {import('./model.js').SessionState|undefined} session
   * @param {{selectedAllocId: number|null, selectedView: object|null, errorAllocIds: Set<number>}} highlight
   *   errorAllocIds: the regions that error reports name
   */
  render(session, { selectedAllocId, selectedView, errorAllocIds, reportsKey = '' }) {
    if (this.#prepared !== session) this.prepare(session);
    this.#prepared = null;
    const layout = this.#layout;
    const layoutKey = layout.key;
    const key = `${layoutKey}/${selectedAllocId}/${selectedView?.viewId}/${errorAllocIds.size}/${reportsKey}`;
    if (layoutKey && key === this.#drawn) return;
    this.#drawn = key;

    if (layout.regions.length === 0 && layout.views.length === 0) {
      this.#drawn = null;
      this.#chart.showEmpty('No allocations to show.');
      return;
    }
    const { regions, views, rows, rowBytes, low, counts, staleViews } = layout;
    const context = this.#chart.begin(AXIS_HEIGHT + rows * ROW_HEIGHT, {
      hitTest: (x, y) => hitTest(layout, plotWidth, x, y),
      onPick: (allocId) => allocId != null && this.#onSelectRegion(allocId),
    });
    const { colors } = this.#chart;
    const plotWidth = this.#chart.width - GUTTER - RIGHT_MARGIN;
    this.#chart.layer(`${layoutKey}/${errorAllocIds.size}/${reportsKey}`, (base) => {
      drawBase(base, layout, plotWidth, colors);
      for (const allocId of errorAllocIds) {
        const region = session.regions.get(allocId);
        if (region) outline(base, layout, plotWidth, region.ptr, region.ptr + region.size, colors.error, REGION_TOP, REGION_HEIGHT);
      }
    });

    const selected = session.regions.get(selectedAllocId);
    if (selected) outline(context, layout, plotWidth, selected.ptr, selected.ptr + selected.size, colors.text, REGION_TOP, REGION_HEIGHT);
    if (selectedView && !selectedView.whole && selectedView.owner === session) {
      outline(context, layout, plotWidth, selectedView.byteOffset, selectedView.byteOffset + selectedView.byteLength,
        colors.text, VIEW_TOP - 1, VIEW_HEIGHT + 2);
    }

    Object.assign(this.#chart.canvas.dataset, {
      regions: regions.length, live: counts.live, quarantined: counts.quarantined, reused: counts.reused,
      views: views.length, staleViews, selected: selected ? selected.allocId : '', errorRegions: errorAllocIds.size,
    });
    const memory = session.pages == null
      ? ''
      : ` · linear memory ${formatBytes(session.pages * WASM_PAGE_BYTES)} (${plural(session.pages, 'page')})`;
    this.#chart.setCaption(`${formatAddress(low)}–${formatAddress(low + rows * rowBytes)} · ${formatBytes(rowBytes)} per row${memory}` +
      ` · ${plural(counts.live, 'live region')}, ${counts.quarantined} quarantined, ${counts.reused} reused, ` +
      `${plural(views.length, 'view')} (${staleViews} stale)`);
  }
}

// One pass over the session: what is drawn, by state, and the address range the rows span.
function lay(session, key) {
  const byState = { reused: [], quarantined: [], live: [] };
  const regions = [];
  const views = [];
  const stale = [];
  let lowest = Infinity;
  let highest = -Infinity;
  for (const region of session?.regions.values() ?? []) {
    if (region.size <= 0) continue;
    regions.push(region);
    byState[regionState(region)].push(region);
    if (region.ptr < lowest) lowest = region.ptr;
    if (region.ptr + region.size > highest) highest = region.ptr + region.size;
  }
  for (const view of session?.views ?? []) {
    if (view.whole || view.byteLength <= 0) continue;
    views.push(view);
    stale.push(viewStatus(view) !== 'live');
    if (view.byteOffset < lowest) lowest = view.byteOffset;
    if (view.byteOffset + view.byteLength > highest) highest = view.byteOffset + view.byteLength;
  }
  const rowBytes = rowBytesFor(highest - lowest);
  const low = Math.floor(lowest / rowBytes) * rowBytes;
  return {
    key, regions, views, stale, byState, rowBytes, low,
    rows: Math.max(1, Math.ceil((highest - low) / rowBytes)),
    counts: { live: byState.live.length, quarantined: byState.quarantined.length, reused: byState.reused.length },
    staleViews: stale.filter(Boolean).length,
  };
}

function drawBase(context, layout, plotWidth, colors) {
  const { rows, rowBytes, low, byState, views, stale } = layout;
  const xOf = (offsetInRow) => GUTTER + (offsetInRow / rowBytes) * plotWidth;

  // Row bands and axes.
  context.fillStyle = colors.band;
  for (let row = 0; row < rows; row++) context.fillRect(GUTTER, AXIS_HEIGHT + row * ROW_HEIGHT + 1, plotWidth, ROW_HEIGHT - 2);
  context.fillStyle = colors['text-secondary'];
  for (let tick = 0; tick <= AXIS_TICKS; tick++) {
    const fraction = tick / AXIS_TICKS;
    context.textAlign = tick === 0 ? 'left' : tick === AXIS_TICKS ? 'right' : 'center';
    context.fillText(`+0x${(fraction * rowBytes).toString(16)}`, GUTTER + fraction * plotWidth, 11);
  }
  context.textAlign = 'right';
  context.font = '11px ui-monospace, "DejaVu Sans Mono", monospace';
  for (let row = 0; row < rows; row++) {
    context.fillText(formatAddress(low + row * rowBytes), GUTTER - 8, AXIS_HEIGHT + row * ROW_HEIGHT + 15);
  }

  // Level of detail: each state is painted as runs of covered pixels, one fillRect per run,
  // however many ranges cover them; a pixel any range touches counts as covered.
  const columns = Math.ceil(plotWidth) + 1;
  const covered = new Uint8Array(rows * columns);
  const cover = (start, end) => {
    for (let row = Math.floor((start - low) / rowBytes); row < rows && low + row * rowBytes < end; row++) {
      const rowStart = low + row * rowBytes;
      const from = Math.floor(((Math.max(start, rowStart) - rowStart) / rowBytes) * plotWidth);
      const to = Math.max(from + 1, Math.ceil(((Math.min(end, rowStart + rowBytes) - rowStart) / rowBytes) * plotWidth));
      covered.fill(1, row * columns + from, row * columns + Math.min(to, columns));
    }
  };
  const paintCovered = (top, bandHeight) => {
    for (let row = 0; row < rows; row++) {
      const base = row * columns;
      for (let column = 0; column < columns; column++) {
        if (!covered[base + column]) continue;
        const runStart = column;
        while (column < columns && covered[base + column]) column++;
        context.fillRect(GUTTER + runStart, AXIS_HEIGHT + row * ROW_HEIGHT + top, column - runStart, bandHeight);
      }
    }
    covered.fill(0);
  };

  for (const state of STATE_ORDER) {
    context.fillStyle = colors[state];
    for (const region of byState[state]) cover(region.ptr, region.ptr + region.size);
    paintCovered(REGION_TOP, REGION_HEIGHT);
  }
  // Neighbouring live regions wide enough to tell apart get a gap at their start.
  context.fillStyle = colors.band;
  for (const region of byState.live) {
    if ((region.size / rowBytes) * plotWidth < 4) continue;
    const row = Math.floor((region.ptr - low) / rowBytes);
    context.fillRect(xOf(region.ptr - low - row * rowBytes), AXIS_HEIGHT + row * ROW_HEIGHT + REGION_TOP, 1, REGION_HEIGHT);
  }
  for (const staleOnes of [false, true]) {
    context.fillStyle = staleOnes ? colors['stale-view'] : colors.view;
    views.forEach((view, index) => {
      if (stale[index] === staleOnes) cover(view.byteOffset, view.byteOffset + view.byteLength);
    });
    paintCovered(VIEW_TOP, VIEW_HEIGHT);
  }
}

function outline(context, { rows, rowBytes, low }, plotWidth, start, end, color, top, bandHeight) {
  const xOf = (offsetInRow) => GUTTER + (offsetInRow / rowBytes) * plotWidth;
  context.strokeStyle = color;
  context.lineWidth = 2;
  for (let row = Math.floor((start - low) / rowBytes); row < rows && low + row * rowBytes < end; row++) {
    const rowStart = low + row * rowBytes;
    const x0 = xOf(Math.max(start, rowStart) - rowStart);
    const x1 = xOf(Math.min(end, rowStart + rowBytes) - rowStart);
    context.strokeRect(x0, AXIS_HEIGHT + row * ROW_HEIGHT + top, Math.max(2, x1 - x0), bandHeight);
  }
}

// What is under the pointer: a view in the view band, else the topmost region, as drawn.
function hitTest({ rows, rowBytes, low, regions, views, stale }, plotWidth, x, y) {
  const row = Math.floor((y - AXIS_HEIGHT) / ROW_HEIGHT);
  if (row < 0 || row >= rows || x < GUTTER || x > GUTTER + plotWidth) return null;
  const bytesPerPixel = rowBytes / plotWidth;
  const from = low + row * rowBytes + (x - GUTTER - 1) * bytesPerPixel;
  const to = from + 2 * bytesPerPixel;
  if (y - AXIS_HEIGHT - row * ROW_HEIGHT >= VIEW_TOP - 1) {
    const index = views.findLastIndex((v) => v.byteOffset < to && v.byteOffset + v.byteLength > from);
    if (index !== -1) {
      const view = views[index];
      return {
        text: `${view.ctor} view #${view.viewId} ${formatRange(view.byteOffset, view.byteLength)}, ${stale[index] ? viewStatus(view) : 'live'}`,
        pick: view.allocId,
      };
    }
  }
  for (const state of STATE_ORDER.toReversed()) {
    const region = regions.findLast((r) => r.ptr < to && r.ptr + r.size > from && regionState(r) === state);
    if (region) return { text: describeRegion(region), pick: region.allocId };
  }
  return null;
}

function rowBytesFor(span) {
  let rowBytes = MIN_ROW_BYTES;
  while (rowBytes * MAX_ROWS < span) rowBytes *= 2;
  return rowBytes;
}
