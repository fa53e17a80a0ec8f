// Linear memory as rows of addresses: where each allocation sits and what became of it (live;
// quarantined: freed, bytes not reused yet; reused: freed, and a later allocation took its
// bytes), with the ranges of the guarded views under them. Drawn on a canvas at pixel level of
// detail: the ranges of each state mark the pixels they cover, and each run of covered pixels is
// one rectangle, so drawing costs what the pane's size does, not what the number of regions does.
// The map is drawn once per change of the session; a new selection only redraws its outline.
// Zoom and pan over addresses: ctrl+wheel zooms around the pointer, a drag pans, keys (+, -,
// arrows, 0) do the same once the map has focus, a double-click shows everything; goTo() shows an
// address and marks it.

import { CanvasChart } from './canvas-chart.js';
import { describeRegion, formatAddress, formatBytes, formatRange, plural } from './format.js';
import { regionState, viewStatus } from './model.js';
import { WASM_PAGE_BYTES } from './viewsan/protocol.js';
import { keyChange, wheelZoomFactor, ZoomWindow } from './zoom-window.js';

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
/** The narrowest address window: four rows of the narrowest row. */
const MIN_SPAN_BYTES = 4 * MIN_ROW_BYTES;
/** An address gone to is shown with at least this much around it. */
const GOTO_SPAN_BYTES = 256;

/** Painted bottom to top: what lives at an address now is drawn over what was freed there. */
const STATE_ORDER = ['reused', 'quarantined', 'live'];

export class RegionMapView {
  #chart;
  #onSelectRegion;
  #drawn = null;
  /** What a session's map is made of, kept until the session changes. */
  #layout = { key: undefined };
  #prepared = null;
  #addresses = new ZoomWindow(MIN_SPAN_BYTES);
  /** The address goTo() marks, with the session it was in. */
  #mark = null;
  #last = null;
  #frame = { plotWidth: 1, rowBytes: MIN_ROW_BYTES };
  #panFrom = null;

  /** @param {(allocId: number) => void} onSelectRegion */
  constructor(element, onSelectRegion) {
    this.element = element;
    this.#onSelectRegion = onSelectRegion;
    this.#chart = new CanvasChart(element, 'Regions in linear memory');
    this.#chart.navigable({
      wheel: (x, y, event) => this.#wheel(x, y, event),
      dragKind: () => (this.#addresses.zoomed ? 'pan' : null),
      drag: (kind, from, to, done) => this.#pan(from, to, done),
      key: (event) => this.#key(event),
      reset: () => this.#chart.navigate(() => this.#addresses.reset()),
      redraw: () => this.#last && this.render(this.#last.session, this.#last.highlight),
    }, '+ - ArrowLeft ArrowRight ArrowUp ArrowDown 0');
  }

  /**
   * Shows `address` of the session with the allocation that holds it (the newest one, live ones
   * first), and marks it; returns that allocation, or null when none holds it.
   */
  goTo(session, address) {
    if (this.#prepared !== session) this.prepare(session);
    const holders = this.#layout.regions.filter((region) => region.ptr <= address && address < region.ptr + region.size);
    const region = holders.findLast((candidate) => regionState(candidate) === 'live') ?? holders.at(-1) ?? null;
    const around = Math.max(GOTO_SPAN_BYTES, 2 * (region?.size ?? 0));
    const middle = region && region.size < around ? region.ptr + region.size / 2 : address;
    this.#mark = { session, address, region };
    this.#fitExtent(this.#mark);
    this.#addresses.show(middle - around / 2, middle + around / 2);
    this.#drawn = null;
    return region;
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
    this.#last = { session, highlight: { selectedAllocId, selectedView, errorAllocIds, reportsKey } };
    const layout = this.#layout;
    const layoutKey = layout.key;
    const mark = this.#mark?.session === session ? this.#mark : null;
    const addresses = this.#addresses;
    this.#fitExtent(mark);
    const viewport = viewportOf(layout, addresses);
    const viewportKey = `${viewport.low}/${viewport.rowBytes}/${viewport.rows}`;
    const key = `${layoutKey}/${selectedAllocId}/${selectedView?.viewId}/${errorAllocIds.size}/${reportsKey}/${viewportKey}/${mark?.address}`;
    if (layoutKey && key === this.#drawn) return;
    this.#drawn = key;

    if (layout.regions.length === 0 && layout.views.length === 0) {
      this.#drawn = null;
      this.#chart.showEmpty('No allocations to show.');
      return;
    }
    const { regions, views, counts, staleViews } = layout;
    const { rows, rowBytes, low } = viewport;
    const context = this.#chart.begin(AXIS_HEIGHT + rows * ROW_HEIGHT, {
      hitTest: (x, y) => hitTest(layout, viewport, plotWidth, x, y),
      onPick: (allocId) => allocId != null && this.#onSelectRegion(allocId),
    });
    const { colors } = this.#chart;
    const plotWidth = this.#chart.width - GUTTER - RIGHT_MARGIN;
    this.#frame = { plotWidth, rowBytes };
    this.#chart.layer(`${layoutKey}/${errorAllocIds.size}/${reportsKey}/${viewportKey}`, (base) => {
      drawBase(base, layout, viewport, plotWidth, colors);
      for (const allocId of errorAllocIds) {
        const region = session.regions.get(allocId);
        if (region) outline(base, viewport, plotWidth, region.ptr, region.ptr + region.size, colors.error, REGION_TOP, REGION_HEIGHT);
      }
    });

    const selected = session.regions.get(selectedAllocId);
    if (selected) outline(context, viewport, plotWidth, selected.ptr, selected.ptr + selected.size, colors.text, REGION_TOP, REGION_HEIGHT);
    if (selectedView && !selectedView.whole && selectedView.owner === session) {
      outline(context, viewport, plotWidth, selectedView.byteOffset, selectedView.byteOffset + selectedView.byteLength,
        colors.text, VIEW_TOP - 1, VIEW_HEIGHT + 2);
    }
    if (mark) drawMark(context, viewport, plotWidth, mark.address, colors.text);

    Object.assign(this.#chart.canvas.dataset, {
      regions: regions.length, live: counts.live, quarantined: counts.quarantined, reused: counts.reused,
      views: views.length, staleViews, selected: selected ? selected.allocId : '', errorRegions: errorAllocIds.size,
      low, rowBytes, rows, zoomed: addresses.zoomed, address: mark ? mark.address : '',
    });
    const memory = session.pages == null
      ? ''
      : ` · linear memory ${formatBytes(session.pages * WASM_PAGE_BYTES)} (${plural(session.pages, 'page')})`;
    const marked = !mark ? ''
      : mark.region ? ` · ${formatAddress(mark.address)}: in alloc #${mark.region.allocId} (${regionState(mark.region)})`
        : ` · ${formatAddress(mark.address)}: no allocation holds it`;
    const zoom = addresses.zoomed ? ' (zoomed: double-click or 0 shows all)' : '';
    this.#chart.setCaption(`${formatAddress(low)}–${formatAddress(low + rows * rowBytes)}${zoom} · ${formatBytes(rowBytes)} per row${memory}` +
      ` · ${plural(counts.live, 'live region')}, ${counts.quarantined} quarantined, ${counts.reused} reused, ` +
      `${plural(views.length, 'view')} (${staleViews} stale)${marked}`);
  }

  // The addresses the map may show: what the session holds, and the address gone to if outside it.
  #fitExtent(mark) {
    const { lowest, highest } = this.#layout;
    this.#addresses.setExtent(Math.min(lowest, mark?.address ?? Infinity), Math.max(highest, (mark?.address ?? -Infinity) + 1));
  }

  // ctrl+wheel (a pinch on a touchpad) zooms around the address under the pointer.
  #wheel(x, y, event) {
    if (!event.ctrlKey && !event.metaKey) return false;
    const { plotWidth, rowBytes } = this.#frame;
    const viewport = viewportOf(this.#layout, this.#addresses);
    const row = Math.min(viewport.rows - 1, Math.max(0, Math.floor((y - AXIS_HEIGHT) / ROW_HEIGHT)));
    const pivot = viewport.low + row * rowBytes + Math.min(1, Math.max(0, (x - GUTTER) / plotWidth)) * rowBytes;
    this.#chart.navigate(() => this.#addresses.zoom(wheelZoomFactor(event), pivot));
    return true;
  }

  // A drag moves the bytes with the pointer: across a row sideways, from row to row up and down.
  #pan([x0, y0], [x1, y1], done) {
    const { plotWidth, rowBytes } = this.#frame;
    if (this.#panFrom === null) this.#panFrom = this.#addresses.from;
    const target = this.#panFrom - ((x1 - x0) / plotWidth) * rowBytes - ((y1 - y0) / ROW_HEIGHT) * rowBytes;
    this.#chart.navigate(() => this.#addresses.pan(target - this.#addresses.from));
    if (done) this.#panFrom = null;
  }

  // The arrows move by an eighth of a row sideways, by a row up and down.
  #key(event) {
    const { rowBytes } = this.#frame;
    return this.#chart.navigate(keyChange(event, this.#addresses, { ArrowLeft: -rowBytes / 8, ArrowRight: rowBytes / 8, ArrowUp: -rowBytes, ArrowDown: rowBytes }));
  }

}

// The rows the map shows: the whole of what the session holds, or the zoomed window, in rows of a
// power of two bytes that start at a multiple of it.
function viewportOf(layout, addresses) {
  if (!addresses.zoomed) return { low: layout.low, rowBytes: layout.rowBytes, rows: layout.rows };
  const rowBytes = rowBytesFor(addresses.span);
  const low = Math.floor(addresses.from / rowBytes) * rowBytes;
  return { low, rowBytes, rows: Math.max(1, Math.ceil((addresses.to - low) / rowBytes)) };
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
  if (lowest > highest) lowest = highest = 0;
  const rowBytes = rowBytesFor(highest - lowest);
  const low = Math.floor(lowest / rowBytes) * rowBytes;
  return {
    key, regions, views, stale, byState, rowBytes, low, lowest, highest,
    rows: Math.max(1, Math.ceil((highest - low) / rowBytes)),
    counts: { live: byState.live.length, quarantined: byState.quarantined.length, reused: byState.reused.length },
    staleViews: stale.filter(Boolean).length,
  };
}

function drawBase(context, layout, { rows, rowBytes, low }, plotWidth, colors) {
  const { byState, views, stale } = layout;
  const high = low + rows * rowBytes;
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
    if (end <= low || start >= high) return;
    for (let row = Math.max(0, Math.floor((start - low) / rowBytes)); row < rows && low + row * rowBytes < end; row++) {
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
    if ((region.size / rowBytes) * plotWidth < 4 || region.ptr < low || region.ptr >= high) continue;
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
  for (let row = Math.max(0, Math.floor((start - low) / rowBytes)); row < rows && low + row * rowBytes < end; row++) {
    const rowStart = low + row * rowBytes;
    const x0 = xOf(Math.max(start, rowStart) - rowStart);
    const x1 = xOf(Math.min(end, rowStart + rowBytes) - rowStart);
    context.strokeRect(x0, AXIS_HEIGHT + row * ROW_HEIGHT + top, Math.max(2, x1 - x0), bandHeight);
  }
}

// An address gone to: a line across its row's bands, with a notch above.
function drawMark(context, { rows, rowBytes, low }, plotWidth, address, color) {
  const row = Math.floor((address - low) / rowBytes);
  if (row < 0 || row >= rows) return;
  const x = GUTTER + ((address - low - row * rowBytes) / rowBytes) * plotWidth;
  const top = AXIS_HEIGHT + row * ROW_HEIGHT;
  context.fillStyle = color;
  context.fillRect(x - 1, top, 2, ROW_HEIGHT - 1);
  context.beginPath();
  context.moveTo(x - 4, top);
  context.lineTo(x + 4, top);
  context.lineTo(x, top + 4);
  context.closePath();
  context.fill();
}

// What is under the pointer: a view in the view band, else the topmost region, as drawn.
function hitTest({ regions, views, stale }, { rows, rowBytes, low }, plotWidth, x, y) {
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
