// Allocation lifetimes over the session's time: live bytes as an area on top (summed per pixel,
// so it stays exact however many allocations there are), then one bar per allocation from alloc
// to free (open-ended while live) packed into lanes, with memory growth and reports marked. When
// more allocations overlap than the lanes hold, the rest are drawn as a density strip under the
// lanes (how many of them are live at each pixel), so that none is left out of the picture.
// Drawn on a canvas; the packing and the drawing are redone only when the session changed, a new
// selection only redraws its outline.

import { CanvasChart } from './canvas-chart.js';
import { describeRegion, formatBytes, formatMs, plural } from './format.js';
import { reportHeadline } from './viewsan/report-format.js';

const GUTTER = 88;
const AXIS_HEIGHT = 24;
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

export class TimelineView {
  #chart;
  #onSelectRegion;
  #onSelectReport;
  #drawn = null;
  #packed = { key: null, lanes: [], hidden: 0, overflow: [], endT: 1 };
  #prepared = null;
  #heightFor = { key: null, lanes: 1 };

  /**
   * @param {(allocId: number) => void} onSelectRegion
   * @param {(entry: object) => void} onSelectReport
   */
  constructor(element, onSelectRegion, onSelectReport) {
    this.element = element;
    this.#onSelectRegion = onSelectRegion;
    this.#onSelectReport = onSelectReport;
    this.#chart = new CanvasChart(element, 'Allocation lifetimes');
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
  render(session, { selectedAllocId, errorAllocIds, reports: shownReports, reportsKey = '' }) {
    if (session && this.#prepared !== session) this.#pack(session);
    this.#prepared = null;
    const width = this.#chart.paneWidth;
    const reports = shownReports ?? session?.reports ?? [];
    const key = session && `${this.#packed.key}/${selectedAllocId}/${errorAllocIds.size}/${reportsKey}/${width}`;
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
    const x = (t) => GUTTER + (t / endT) * plotWidth;
    const tAt = (px) => ((px - GUTTER) / plotWidth) * endT;

    const hitTest = (px, py) => {
      if (py < AXIS_HEIGHT) {
        const entry = reports.findLast((report) => Math.abs(x(report.t ?? 0) - px) <= MARKER_HALF_WIDTH);
        if (entry) return { text: `${formatMs(entry.t ?? 0)}: ${reportHeadline(entry.report)}`, pick: { entry } };
        const grow = session.grows.findLast((g) => Math.abs(x(g.t) - px) <= 3);
        if (grow) return { text: describeGrow(grow), pick: null };
        return null;
      }
      if (py < lanesTop) {
        if (px < GUTTER) return null;
        return { text: `live bytes at ${formatMs(Math.max(0, tAt(px)))}: ${formatBytes(liveAt(session, tAt(px)))}`, pick: null };
      }
      if (overflow && py >= overflowTop && py < overflowTop + OVERFLOW_HEIGHT) {
        const live = overflow.counts[Math.floor(px - GUTTER)] ?? 0;
        return { text: `${plural(live, 'more allocation')} live at ${formatMs(Math.max(0, tAt(px)))} than the lanes show`, pick: null };
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
    overflow = hidden > 0 ? overflowDensity(overflowRegions, endT, plotWidth) : null;
    const barTop = (lane) => lanesTop + lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2;
    // Everything but the selection, drawn once per change of the session.
    this.#chart.layer(`${this.#packed.key}/${errorAllocIds.size}/${reportsKey}`, (context) => {
      // Time axis.
      const step = tickStep(endT);
      context.strokeStyle = colors.border;
      context.lineWidth = 1;
      context.fillStyle = colors['text-secondary'];
      context.fillText('time', 12, 10);
      context.fillText('live bytes', 12, AXIS_HEIGHT + 12);
      for (let t = 0; t <= endT; t += step) {
        const tx = Math.round(x(t)) + 0.5;
        context.beginPath();
        context.moveTo(tx, AXIS_HEIGHT - 4);
        context.lineTo(tx, height);
        context.stroke();
        context.textAlign = t === 0 ? 'left' : tx > GUTTER + plotWidth - 24 ? 'right' : 'center';
        context.fillText(formatMs(t), tx, 10);
      }
      context.textAlign = 'left';

      drawLiveArea(context, session, endT, { x0: GUTTER, top: AXIS_HEIGHT, width: plotWidth, height: AREA_HEIGHT, colors });

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
            if ((region.freeT === null) !== live) continue;
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
          if (!errorAllocIds.has(region.allocId)) continue;
          const left = x(region.allocT);
          context.strokeRect(left, barTop(index), Math.max(2, x(region.freeT ?? endT) - left), BAR_HEIGHT);
        }
      });

      // Growth: a dashed line through everything, labelled with the page counts.
      context.strokeStyle = colors.grow;
      context.fillStyle = colors.grow;
      context.lineWidth = 1.5;
      context.setLineDash([3, 2]);
      let labelEnd = -Infinity;
      for (const grow of session.grows) {
        const gx = x(grow.t);
        context.beginPath();
        context.moveTo(gx, AXIS_HEIGHT - 6);
        context.lineTo(gx, height);
        context.stroke();
        if (gx > labelEnd) {
          const label = `${grow.fromPages}→${grow.toPages}`;
          context.fillText(label, gx + 3, AXIS_HEIGHT - 1);
          labelEnd = gx + 3 + context.measureText(label).width + 4;
        }
      }
      context.setLineDash([]);

      // Reports: a triangle on the axis each.
      for (const entry of reports) {
        const cx = x(entry.t ?? 0);
        context.fillStyle = entry.report.severity === 'warning' ? colors.warning : colors.error;
        context.beginPath();
        context.moveTo(cx - MARKER_HALF_WIDTH, AXIS_HEIGHT - 14);
        context.lineTo(cx + MARKER_HALF_WIDTH, AXIS_HEIGHT - 14);
        context.lineTo(cx, AXIS_HEIGHT - 7);
        context.closePath();
        context.fill();
      }

    });

    const selectedLane = lanes.findIndex((lane) => lane.some((region) => region.allocId === selectedAllocId));
    if (selectedLane !== -1) {
      const region = lanes[selectedLane].find((candidate) => candidate.allocId === selectedAllocId);
      const left = x(region.allocT);
      context.lineWidth = 2;
      context.strokeStyle = colors.text;
      context.strokeRect(left, barTop(selectedLane), Math.max(2, x(region.freeT ?? endT) - left), BAR_HEIGHT);
    }

    const bars = lanes.reduce((sum, lane) => sum + lane.length, 0);
    Object.assign(this.#chart.canvas.dataset, {
      bars, hidden, lanes: lanes.length, grows: session.grows.length, reports: reports.length,
      overflowPeak: overflow?.peak ?? 0,
    });
    this.#chart.setCaption(`${formatMs(endT)} · ${plural(bars, 'allocation')} in ${plural(lanes.length, 'lane')}` +
      (hidden > 0 ? `; ${hidden} more overlap them: their density is the strip below the lanes` : '') +
      ` · ${plural(session.grows.length, 'grow')} · ${plural(reports.length, 'report')}` +
      (reports.length < session.reports.length ? ` (of ${session.reports.length}: filtered)` : ''));
  }

  // First fit in allocation order (the order the session's map keeps, which is by start time):
  // a bar goes into the first lane that is free at its start.
  #pack(session) {
    const key = `${session.key}/${session.revision}`;
    if (this.#packed.key === key) return this.#packed;
    // The time axis ends where the session was when packed: live bars run to there.
    const endT = Math.max(session.endT, 1);
    const lanes = [];
    const laneEnds = [];
    const overflow = [];
    for (const region of session.regions.values()) {
      const end = region.freeT ?? Infinity;  // a live bar shares its lane with nothing after it
      let lane = -1;
      for (let i = 0; i < laneEnds.length; i++) {
        if (laneEnds[i] <= region.allocT) {
          lane = i;
          break;
        }
      }
      if (lane !== -1) {
        lanes[lane].push(region);
        laneEnds[lane] = end;
      } else if (lanes.length < MAX_LANES) {
        lanes.push([region]);
        laneEnds.push(end);
      } else {
        overflow.push(region);
      }
    }
    this.#packed = { key, lanes, hidden: overflow.length, overflow, endT };
    return this.#packed;
  }
}

// The allocations the lanes could not hold: how many are live at each pixel column of the plot,
// and the most at any.
function overflowDensity(regions, endT, width) {
  const columns = Math.max(1, Math.floor(width));
  const deltas = new Int32Array(columns + 1);
  const column = (t) => Math.min(columns, Math.max(0, Math.floor((t / endT) * columns)));
  for (const region of regions) {
    const start = Math.min(columns - 1, column(region.allocT));  // made at the very end: the last column
    deltas[start]++;
    deltas[Math.max(start + 1, region.freeT === null ? columns : column(region.freeT))]--;
  }
  const counts = new Int32Array(columns);
  let live = 0;
  let peak = 0;
  for (let i = 0; i < columns; i++) {
    live += deltas[i];
    counts[i] = live;
    peak = Math.max(peak, live);
  }
  return { counts, peak };
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

// Live bytes per pixel column: allocation and free deltas bucketed by time, then summed. Each
// column shows the level at its end and, fainter, the peak within it.
function drawLiveArea(context, session, endT, { x0, top, width, height, colors }) {
  const columns = Math.max(1, Math.floor(width));
  const deltas = new Float64Array(columns + 1);
  const peaks = new Float64Array(columns + 1);
  const column = (t) => Math.min(columns, Math.max(0, Math.floor((t / endT) * columns)));
  for (const region of session.regions.values()) {
    const start = column(region.allocT);
    deltas[start] += region.size;
    peaks[start] = Math.max(peaks[start], region.size);
    if (region.freeT !== null) deltas[column(region.freeT)] -= region.size;
  }
  let level = 0;
  let highest = 1;
  const levels = new Float64Array(columns + 1);
  for (let i = 0; i <= columns; i++) {
    const before = level;
    level += deltas[i];
    levels[i] = level;
    // An allocation and its free within one column still show as a peak.
    peaks[i] = Math.max(level, before + peaks[i]);
    highest = Math.max(highest, peaks[i]);
  }
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

function liveAt(session, t) {
  let bytes = 0;
  for (const region of session.regions.values()) {
    if (region.allocT <= t && (region.freeT === null || region.freeT > t)) bytes += region.size;
  }
  return bytes;
}

// Regions in a lane are in start order and do not overlap: binary search for the one at [from, to].
function regionAt(lane, from, to, endT) {
  let low = 0;
  let high = lane.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (lane[middle].allocT <= to) low = middle + 1;
    else high = middle;
  }
  const candidate = lane[low - 1];
  return candidate && (candidate.freeT ?? endT) >= from ? candidate : null;
}

/** 1, 2 or 5 times a power of ten, giving about TARGET_TICKS ticks. */
function tickStep(span) {
  const raw = span / TARGET_TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= raw);
}
