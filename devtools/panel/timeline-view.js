// Allocation lifetimes over the session's time: live bytes as an area on top (summed per pixel,
// so it stays exact however many allocations there are), then one bar per allocation from alloc
// to free (open-ended while live) packed into lanes, with memory growth and reports marked. When
// more allocations overlap than the lanes hold, the rest are drawn as a density strip under the
// lanes (how many of them are live at each pixel), so that none is left out of the picture.
// Drawn on a canvas; the packing and the drawing are redone only when the session changed, a new
// selection only redraws its outline.
// Zoom and pan like DevTools' Performance panel: ctrl+wheel zooms around the pointer, a drag over
// the lanes pans, shift+wheel or a sideways wheel pans, and a drag over the axis or the live-bytes
// area brushes a time range, which becomes the panel's time filter and the window shown; keys
// (+, -, arrows, 0) do the same once the chart has focus, and a double-click shows everything.

import { CanvasChart } from './canvas-chart.js';
import { describeRegion, formatBytes, formatMs, plural } from './format.js';
import { liveBytesAt, liveBytesPerColumn, liveCountPerColumn, meetsWindow } from './lifetime-columns.js';
import { packLanes, regionAt } from './lifetime-lanes.js';
import { reportHeadline } from './viewsan/report-format.js';
import { keyChange, wheelPixels, wheelZoomFactor, ZoomWindow } from './zoom-window.js';

const GUTTER = 88;
/** Rows of the axis, top down: tick labels, report markers, growth labels. */
const TICK_LABEL_Y = 10;
const MARKER_TOP = 13;
const MARKER_BOTTOM = 20;
const GROW_LABEL_Y = 31;
const AXIS_HEIGHT = 34;
const AREA_HEIGHT = 40;
const AREA_GAP = 6;
const LANE_HEIGHT = 12;
const BAR_HEIGHT = 8;
const MAX_LANES = 40;
const TARGET_TICKS = 6;
const RIGHT_MARGIN = 12;
const MARKER_HALF_WIDTH = 5;
const NARROW_BAR_PX = 3;
const OVERFLOW_HEIGHT = 16;
/** The narrowest time window, in ms. */
const MIN_SPAN_MS = 0.01;
const KEY_PAN_SHARE = 0.1;
const BRUSH_MIN_PX = 4;

export class TimelineView {
  #chart;
  #onSelectRegion;
  #onSelectReport;
  #drawn = null;
  #packed = { key: null, lanes: [], hidden: 0, overflow: [], endT: 1 };
  #prepared = null;
  #heightFor = { key: null, lanes: 1 };
  #timeWindow = new ZoomWindow(MIN_SPAN_MS);
  #timeRangeKey = '';
  #onBrush;
  /** What the last render drew, for redrawing at once when the user zooms or pans. */
  #last = null;
  /** The geometry of the last frame, which the gestures read: {plotWidth, lanesTop, height}. */
  #frame = { plotWidth: 1, lanesTop: AXIS_HEIGHT, height: AXIS_HEIGHT };
  #panFrom = null;

  /**
   * @param {(allocId: number) => void} onSelectRegion
   * @param {(entry: object) => void} onSelectReport
   * @param {(from: number, to: number) => void} onBrush  a time range brushed, in ms
   */
  constructor(element, onSelectRegion, onSelectReport, onBrush = () => {}) {
    this.element = element;
    this.#onSelectRegion = onSelectRegion;
    this.#onSelectReport = onSelectReport;
    this.#onBrush = onBrush;
    this.#chart = new CanvasChart(element, 'Allocation lifetimes');
    this.#chart.navigable({
      wheel: (x, y, event) => this.#wheel(x, event),
      dragKind: (x, y) => (x < GUTTER ? null : y < this.#frame.lanesTop ? 'brush' : this.#timeWindow.zoomed ? 'pan' : null),
      drag: (kind, from, to, done) => (kind === 'pan' ? this.#pan(from, to, done) : this.#brush(from, to, done)),
      key: (event) => this.#key(event),
      reset: () => this.#chart.navigate(() => this.#timeWindow.reset()),
      redraw: () => this.#last && this.render(this.#last.session, this.#last.highlight),
    }, '+ - ArrowLeft ArrowRight 0');
  }

  /** The time window shown, in ms since the session started. */
  get window() {
    return { from: this.#timeWindow.from, to: this.#timeWindow.to, zoomed: this.#timeWindow.zoomed };
  }

  /**
   * Packs the lanes ahead of the next render, which then draws the session as it was now, even
   * if events came in between. A render without it packs them itself.
   */
  prepare(session) {
    if (session) this.#pack(session);
    this.#prepared = session;
  }

  /**
   * @param {import('./model.js').SessionState|undefined} session
   * @param {{selectedAllocId: number|null, errorAllocIds: Set<number>, reports?: object[], reportsKey?: string}} highlight
   *   reports: the session's reports the filters let through (all of them when absent)
   */
  render(session, highlight) {
    const { selectedAllocId, errorAllocIds, reports: shownReports, reportsKey = '', timeRange = null } = highlight;
    this.#last = { session, highlight };
    if (session && this.#prepared !== session) this.#pack(session);
    this.#prepared = null;
    const width = this.#chart.paneWidth;
    const reports = shownReports ?? session?.reports ?? [];
    const timeWindow = this.#timeWindow;
    timeWindow.setExtent(0, this.#packed.endT);
    // A new time filter (a brush, or the filter bar) is shown; clearing it shows everything.
    const timeRangeKey = timeRange ? `${timeRange.from}-${timeRange.to}` : '';
    if (timeRangeKey !== this.#timeRangeKey) {
      this.#timeRangeKey = timeRangeKey;
      if (timeRange) timeWindow.show(timeRange.from, timeRange.to);
      else timeWindow.reset();
    }
    const windowKey = `${timeWindow.from}-${timeWindow.to}`;
    const key = session && `${this.#packed.key}/${selectedAllocId}/${errorAllocIds.size}/${reportsKey}/${width}/${windowKey}/${timeRangeKey}`;
    if (key && key === this.#drawn) return;
    this.#drawn = key;
    if (!session || (session.regions.size === 0 && session.grows.length === 0 && session.reports.length === 0)) {
      this.#drawn = null;
      this.#chart.showEmpty('No lifetimes to show.');
      return;
    }

    const { lanes, hidden, overflow: overflowRegions, endT } = this.#packed;
    const lanesTop = AXIS_HEIGHT + AREA_HEIGHT + AREA_GAP;
    // The height only grows within a session: a canvas that changes size is reallocated.
    if (this.#heightFor.key !== session.key) this.#heightFor = { key: session.key, lanes: 1 };
    this.#heightFor.lanes = Math.max(this.#heightFor.lanes, lanes.length);
    const overflowTop = lanesTop + this.#heightFor.lanes * LANE_HEIGHT + 4;
    const height = overflowTop + (hidden > 0 ? OVERFLOW_HEIGHT + 4 : 0);
    let overflow = null;  // {counts per pixel column of the plot, peak}: the strip and its tooltip
    let plotWidth = 0;
    const { from, to, span } = timeWindow;
    const x = (t) => GUTTER + ((t - from) / span) * plotWidth;
    const tAt = (px) => from + ((px - GUTTER) / plotWidth) * span;
    const inWindow = (t) => t >= from && t <= to;

    const hitTest = (px, py) => {
      const at = formatMs(Math.max(0, tAt(px)), span / plotWidth);
      if (py < AXIS_HEIGHT) {
        const entry = reports.findLast((report) => inWindow(report.t ?? 0) && Math.abs(x(report.t ?? 0) - px) <= MARKER_HALF_WIDTH);
        if (entry) return { text: `${formatMs(entry.t ?? 0, span / plotWidth)}: ${reportHeadline(entry.report)}`, pick: { entry } };
        const grow = session.grows.findLast((g) => inWindow(g.t) && Math.abs(x(g.t) - px) <= 3);
        if (grow) return { text: describeGrow(grow), pick: null };
        return null;
      }
      if (px < GUTTER) return null;
      if (py < lanesTop) return { text: `live bytes at ${at}: ${formatBytes(liveBytesAt(session.regions.values(), tAt(px)))}`, pick: null };
      if (overflow && py >= overflowTop && py < overflowTop + OVERFLOW_HEIGHT) {
        const live = overflow.counts[Math.floor(px - GUTTER)] ?? 0;
        return { text: `${plural(live, 'more allocation')} live at ${at} than the lanes show`, pick: null };
      }
      const lane = lanes[Math.floor((py - lanesTop) / LANE_HEIGHT)];
      if (!lane) return null;
      const region = regionAt(lane, tAt(px - 1), tAt(px + 1), endT);
      return region ? { text: describeRegion(region), pick: { allocId: region.allocId } } : null;
    };
    const context = this.#chart.begin(height, {
      hitTest,
      onPick: (pick) => (pick.entry ? this.#onSelectReport(pick.entry) : this.#onSelectRegion(pick.allocId)),
    });
    const { colors } = this.#chart;
    plotWidth = this.#chart.width - GUTTER - RIGHT_MARGIN;
    this.#frame = { plotWidth, lanesTop, height };
    overflow = hidden > 0 ? liveCountPerColumn(overflowRegions, timeWindow, plotWidth) : null;
    const barTop = (lane) => lanesTop + lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2;
    // Everything but the selection, drawn once per change of the session or of the window.
    this.#chart.layer(`${this.#packed.key}/${errorAllocIds.size}/${reportsKey}/${windowKey}`, (context) => {
      // Time axis.
      const step = tickStep(span);
      context.strokeStyle = colors.border;
      context.lineWidth = 1;
      context.fillStyle = colors['text-secondary'];
      context.fillText('time', 12, TICK_LABEL_Y);
      context.fillText('live bytes', 12, AXIS_HEIGHT + 12);
      for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
        const tx = Math.round(x(t)) + 0.5;
        context.beginPath();
        context.moveTo(tx, TICK_LABEL_Y + 2);
        context.lineTo(tx, height);
        context.stroke();
        context.textAlign = tx < GUTTER + 24 ? 'left' : tx > GUTTER + plotWidth - 24 ? 'right' : 'center';
        context.fillText(formatMs(t, step), tx, TICK_LABEL_Y);
      }
      context.textAlign = 'left';

      drawLiveArea(context, session, timeWindow, { x0: GUTTER, top: AXIS_HEIGHT, width: plotWidth, height: AREA_HEIGHT, colors });

      // What follows is cut at the plot's edges: bars and lines before or after the window.
      context.save();
      context.beginPath();
      context.rect(GUTTER, 0, plotWidth, height);
      context.clip();

      // Bars: freed first, then live, then the outlines. Level of detail: narrow bars that follow
      // one another within a pixel are painted as one run; wide ones keep a gap between them.
      for (const live of [false, true]) {
        context.fillStyle = live ? colors.live : colors.quarantined;
        lanes.forEach((lane, index) => {
          const top = barTop(index);
          let runStart = 0;
          let runEnd = -Infinity;
          const flush = () => {
            if (runEnd > runStart) context.fillRect(runStart, top, runEnd - runStart, BAR_HEIGHT);
          };
          for (const region of lane) {
            if ((region.freeT === null) !== live || !meetsWindow(region, timeWindow)) continue;
            const left = x(region.allocT);
            const right = Math.max(left + 1, x(region.freeT ?? endT));
            if (right - left < NARROW_BAR_PX && left - runEnd < 1) {
              runEnd = Math.max(runEnd, right);
            } else {
              flush();
              runStart = left;
              runEnd = right - (right - left >= NARROW_BAR_PX ? 1 : 0);
            }
          }
          flush();
        });
      }
      if (overflow) drawOverflow(context, overflow, { x0: GUTTER, top: overflowTop, colors });
      context.lineWidth = 2;
      context.strokeStyle = colors.error;
      lanes.forEach((lane, index) => {
        for (const region of lane) {
          if (!errorAllocIds.has(region.allocId) || !meetsWindow(region, timeWindow)) continue;
          const left = x(region.allocT);
          context.strokeRect(left, barTop(index), Math.max(2, x(region.freeT ?? endT) - left), BAR_HEIGHT);
        }
      });

      // Growth: a dashed line through everything below the axis' labels, then the page counts
      // on a background of their own, so that no later line crosses them out; a label that
      // would cover the one before it is left out (zoom in to see it; the tooltip names each).
      context.strokeStyle = colors.grow;
      context.lineWidth = 1.5;
      context.setLineDash([3, 2]);
      const grows = session.grows.filter((grow) => inWindow(grow.t));
      for (const grow of grows) {
        const gx = x(grow.t);
        context.beginPath();
        context.moveTo(gx, GROW_LABEL_Y - 9);
        context.lineTo(gx, height);
        context.stroke();
      }
      context.setLineDash([]);
      let labelEnd = -Infinity;
      for (const grow of grows) {
        const gx = x(grow.t) + 3;
        const label = `${grow.fromPages}→${grow.toPages}`;
        const labelWidth = context.measureText(label).width;
        if (gx <= labelEnd || gx + labelWidth > GUTTER + plotWidth) continue;
        context.fillStyle = colors.background;
        context.fillRect(gx - 1, GROW_LABEL_Y - 9, labelWidth + 2, 11);
        context.fillStyle = colors.grow;
        context.fillText(label, gx, GROW_LABEL_Y);
        labelEnd = gx + labelWidth + 4;
      }

      // Reports: a triangle each, on a row of its own between the tick labels and the growth labels.
      for (const entry of reports) {
        if (!inWindow(entry.t ?? 0)) continue;
        const cx = x(entry.t ?? 0);
        context.fillStyle = entry.report.severity === 'warning' ? colors.warning : colors.error;
        context.beginPath();
        context.moveTo(cx - MARKER_HALF_WIDTH, MARKER_TOP);
        context.lineTo(cx + MARKER_HALF_WIDTH, MARKER_TOP);
        context.lineTo(cx, MARKER_BOTTOM);
        context.closePath();
        context.fill();
      }
      context.restore();
    });

    // Outside the time filter's range, when the window shows more than it: dimmed.
    if (timeRange) {
      context.fillStyle = colors.background;
      context.globalAlpha = 0.6;
      const left = Math.max(GUTTER, x(timeRange.from));
      const right = Math.min(GUTTER + plotWidth, x(timeRange.to));
      if (left > GUTTER) context.fillRect(GUTTER, 0, left - GUTTER, height);
      if (right < GUTTER + plotWidth) context.fillRect(right, 0, GUTTER + plotWidth - right, height);
      context.globalAlpha = 1;
    }

    const selectedLane = lanes.findIndex((lane) => lane.some((region) => region.allocId === selectedAllocId));
    if (selectedLane !== -1) {
      const region = lanes[selectedLane].find((candidate) => candidate.allocId === selectedAllocId);
      const left = Math.max(GUTTER - 2, x(region.allocT));
      const right = Math.min(GUTTER + plotWidth + 2, x(region.freeT ?? endT));
      context.lineWidth = 2;
      context.strokeStyle = colors.text;
      if (right >= GUTTER) context.strokeRect(left, barTop(selectedLane), Math.max(2, right - left), BAR_HEIGHT);
    }

    const bars = lanes.reduce((sum, lane) => sum + lane.length, 0);
    Object.assign(this.#chart.canvas.dataset, {
      bars, hidden, lanes: lanes.length, grows: session.grows.length, reports: reports.length,
      overflowPeak: overflow?.peak ?? 0, from, to, zoomed: timeWindow.zoomed,
    });
    const shown = timeWindow.zoomed
      ? `${formatMs(from, span / 100)}–${formatMs(to, span / 100)} of ${formatMs(endT)} (double-click or 0: all)`
      : formatMs(endT);
    this.#chart.setCaption(`${shown} · ${plural(bars, 'allocation')} in ${plural(lanes.length, 'lane')}` +
      (hidden > 0 ? `; ${hidden} more overlap them: their density is the strip below the lanes` : '') +
      ` · ${plural(session.grows.length, 'grow')} · ${plural(reports.length, 'report')}` +
      (reports.length < session.reports.length ? ` (of ${session.reports.length}: filtered)` : ''));
  }

  // ctrl+wheel (a pinch on a touchpad) zooms around the pointer; a sideways or shift+wheel pans.
  #wheel(px, event) {
    const { plotWidth } = this.#frame;
    if (event.ctrlKey || event.metaKey) {
      const pivot = this.#timeWindow.from + ((px - GUTTER) / plotWidth) * this.#timeWindow.span;
      this.#chart.navigate(() => this.#timeWindow.zoom(wheelZoomFactor(event), pivot));
      return true;
    }
    const sideways = event.shiftKey ? event.deltaY || event.deltaX : Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : 0;
    if (!sideways || !this.#timeWindow.zoomed) return false;
    this.#chart.navigate(() => this.#timeWindow.pan((wheelPixels(event, sideways) / plotWidth) * this.#timeWindow.span));
    return true;
  }

  #pan([x0], [x1], done) {
    if (this.#panFrom === null) this.#panFrom = this.#timeWindow.from;
    const target = this.#panFrom - ((x1 - x0) / this.#frame.plotWidth) * this.#timeWindow.span;
    this.#chart.navigate(() => this.#timeWindow.pan(target - this.#timeWindow.from));
    if (done) this.#panFrom = null;
  }

  #brush([x0], [x1], done) {
    const { plotWidth, height } = this.#frame;
    const clampX = (x) => Math.min(GUTTER + plotWidth, Math.max(GUTTER, x));
    if (!done) {
      this.#chart.showBand({ x0: clampX(x0), x1: clampX(x1), top: 0, bottom: height });
      return;
    }
    this.#chart.showBand(null);
    if (Math.abs(clampX(x1) - clampX(x0)) < BRUSH_MIN_PX) return;
    const tAt = (x) => this.#timeWindow.from + ((clampX(x) - GUTTER) / plotWidth) * this.#timeWindow.span;
    this.#onBrush(Math.min(tAt(x0), tAt(x1)), Math.max(tAt(x0), tAt(x1)));
  }

  #key(event) {
    const step = KEY_PAN_SHARE * this.#timeWindow.span;
    return this.#chart.navigate(keyChange(event, this.#timeWindow, { ArrowLeft: -step, ArrowRight: step }));
  }


  // The lanes (lifetime-lanes.js), packed again only when the session changed.
  #pack(session) {
    const key = `${session.key}/${session.revision}`;
    if (this.#packed.key === key) return this.#packed;
    // The time axis ends where the session was when packed: live bars run to there.
    const endT = Math.max(session.endT, 1);
    const { lanes, overflow } = packLanes(session.regions.values(), MAX_LANES);
    this.#packed = { key, lanes, hidden: overflow.length, overflow, endT };
    return this.#packed;
  }
}

// Those counts as a strip whose opacity follows the count, the busiest column full.
function drawOverflow(context, { counts, peak }, { x0, top, colors }) {
  context.fillStyle = colors.quarantined;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    context.globalAlpha = 0.25 + 0.75 * (counts[i] / peak);
    context.fillRect(x0 + i, top, 1, OVERFLOW_HEIGHT);
  }
  context.globalAlpha = 1;
}

function describeGrow(grow) {
  const from = grow.origin ? ` from ${grow.origin === 'js' ? 'JavaScript' : 'wasm'}` : '';
  return `memory.grow ${grow.fromPages} → ${grow.toPages} pages at ${formatMs(grow.t)}${from}`;
}

// Live bytes per pixel column (lifetime-columns.js): the level at each column's end and, fainter,
// the peak within it.
function drawLiveArea(context, session, timeWindow, { x0, top, width, height, colors }) {
  const { columns, levels, peaks, highest } = liveBytesPerColumn(session.regions.values(), timeWindow, width);
  context.fillStyle = colors.band;
  context.fillRect(x0, top, width, height);
  const y = (bytes) => top + height - (bytes / highest) * (height - 2);
  // One step-shaped path per series.
  const area = (series) => {
    context.beginPath();
    context.moveTo(x0, top + height);
    for (let i = 0; i < columns; i++) {
      context.lineTo(x0 + i, y(series[i]));
      context.lineTo(x0 + i + 1, y(series[i]));
    }
    context.lineTo(x0 + columns, top + height);
    context.closePath();
    context.fill();
  };
  context.fillStyle = colors.live;
  context.globalAlpha = 0.35;
  area(peaks);
  context.globalAlpha = 1;
  area(levels);
  context.fillStyle = colors['text-secondary'];
  context.fillText(`max ${formatBytes(highest)}`, 12, top + 26);
}

/** 1, 2 or 5 times a power of ten, giving about TARGET_TICKS ticks. */
function tickStep(span) {
  const raw = span / TARGET_TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= raw);
}
