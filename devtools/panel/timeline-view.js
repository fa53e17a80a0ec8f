// Allocation lifetimes over the session's time: one bar from alloc to free (open-ended while
// live), packed into as few lanes as possible, with memory growth and reports marked on top.

import { h, setContent, svg } from './dom.js';
import { describeRegion, firstLine, formatMs } from './format.js';

const GUTTER = 88;
const AXIS_HEIGHT = 22;
const LANE_HEIGHT = 12;
const BAR_HEIGHT = 8;
const MAX_LANES = 40;
const MIN_BAR_WIDTH = 2;
const TARGET_TICKS = 6;
const RIGHT_MARGIN = 12;

export class TimelineView {
  #onSelectRegion;
  #onSelectReport;

  /**
   * @param {(allocId: number) => void} onSelectRegion
   * @param {(entry: object) => void} onSelectReport
   */
  constructor(element, onSelectRegion, onSelectReport) {
    this.element = element;
    this.#onSelectRegion = onSelectRegion;
    this.#onSelectReport = onSelectReport;
  }

  /**
   * @param {import('./model.js').SessionState|undefined} session
   * @param {{selectedAllocId: number|null, errorAllocIds: Set<number>}} highlight
   *   errorAllocIds: the regions that error reports name
   */
  render(session, { selectedAllocId, errorAllocIds }) {
    if (!session || (session.regions.size === 0 && session.grows.length === 0 && session.reports.length === 0)) {
      setContent(this.element, h('p', { class: 'empty' }, 'No lifetimes to show.'));
      return;
    }
    const endT = Math.max(session.endT, 1);
    const width = Math.max(320, this.element.clientWidth);
    const plotWidth = width - GUTTER - RIGHT_MARGIN;
    const x = (t) => GUTTER + (t / endT) * plotWidth;

    const { lanes, hidden } = packLanes([...session.regions.values()], endT);
    const height = AXIS_HEIGHT + Math.max(1, lanes.length) * LANE_HEIGHT + 4;

    const step = tickStep(endT);
    const ticks = [];
    for (let t = 0; t <= endT; t += step) {
      ticks.push(
        svg('line', { class: 'tick', x1: x(t), x2: x(t), y1: AXIS_HEIGHT - 4, y2: height }),
        svg('text', { class: 'axis-label', x: x(t), y: 10, 'text-anchor': t === 0 ? 'start' : 'middle' }, formatMs(t)),
      );
    }

    const bars = lanes.flatMap((lane, index) => lane.map((region) => {
      const end = region.freeT ?? endT;
      return svg('rect', {
        class: [
          'lifetime',
          region.freeT === null ? 'live' : 'freed',
          errorAllocIds.has(region.allocId) && 'has-error',
          region.allocId === selectedAllocId && 'selected',
        ].filter(Boolean).join(' '),
        'data-alloc-id': region.allocId,
        x: x(region.allocT),
        y: AXIS_HEIGHT + index * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2,
        width: Math.max(MIN_BAR_WIDTH, x(end) - x(region.allocT)),
        height: BAR_HEIGHT,
        rx: 2,
        onclick: () => this.#onSelectRegion(region.allocId),
      }, svg('title', {}, describeRegion(region)));
    }));

    const grows = session.grows.map((grow) => svg('g', { class: 'grow-marker' },
      svg('title', {}, `memory.grow ${grow.fromPages} → ${grow.toPages} pages at ${formatMs(grow.t)}` +
        (grow.origin ? ` (from ${grow.origin === 'js' ? 'JavaScript' : 'wasm'})` : '')),
      svg('line', { x1: x(grow.t), x2: x(grow.t), y1: AXIS_HEIGHT - 6, y2: height }),
      svg('text', { x: x(grow.t) + 3, y: AXIS_HEIGHT - 2 }, `${grow.fromPages}→${grow.toPages}`)));

    const reports = session.reports.map((entry) => {
      const cx = x(entry.t ?? 0);
      return svg('path', {
        class: `report-marker severity-${entry.report.severity}`,
        d: `M${cx - 5},${AXIS_HEIGHT - 10} h10 l-5,7 z`,
        onclick: () => this.#onSelectReport(entry),
      }, svg('title', {}, `${entry.report.kind} at ${formatMs(entry.t ?? 0)}: ${firstLine(entry.report.message)}`));
    });

    setContent(this.element,
      svg('svg', { class: 'timeline', width, height, role: 'img', 'aria-label': 'Allocation lifetimes' },
        svg('text', { class: 'axis-label', x: 12, y: 10 }, 'time'),
        ticks, bars, grows, reports),
      hidden > 0 ? h('p', { class: 'caption' }, `${hidden} more allocations overlap and are not drawn.`) : null,
    );
  }
}

/** First-fit by start time: a bar goes into the first lane free at its start. */
function packLanes(regions, endT) {
  const lanes = [];
  const laneEnds = [];
  let hidden = 0;
  const byStart = regions.toSorted((a, b) => a.allocT - b.allocT || a.allocId - b.allocId);
  for (const region of byStart) {
    const lane = laneEnds.findIndex((end) => end <= region.allocT);
    const end = region.freeT ?? endT;
    if (lane !== -1) {
      lanes[lane].push(region);
      laneEnds[lane] = end;
    } else if (lanes.length < MAX_LANES) {
      lanes.push([region]);
      laneEnds.push(end);
    } else {
      hidden++;
    }
  }
  return { lanes, hidden };
}

/** 1, 2 or 5 times a power of ten, giving about TARGET_TICKS ticks. */
function tickStep(span) {
  const raw = span / TARGET_TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= raw);
}
