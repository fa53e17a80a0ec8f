// The panel's charts driven as a user drives them, with real input through CDP (Input.*):
// ctrl+wheel zooms, a drag pans, a drag over the timeline's axis brushes a time range that
// filters the reports, keys work once a chart has focus, and the memory map goes to a typed
// address. Then a run of 50,000 allocations, judged by the boxes the layout gives (nothing wider
// than the page, the captions say what is drawn), with a screenshot left in the working
// directory: devtools-panel-50k.png.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ViewsanModel } from '../../devtools/lib/index.js';
import { startBrowser } from './support/browser.js';
import { doubleClick, drag, press, typeText, wheel } from './support/input.js';
import { withReportOpen as openReport } from './support/panel-page.js';
import { busyBatch, manyEvents } from './fixtures/events.js';

/** A height inside the timeline's first lane, below its axis and live-bytes area. */
const LANES_Y = 86;

function reportOf(...batches) {
  const model = new ViewsanModel();
  batches.forEach((batch, index) => model.ingest(batch, index + 1));
  return model.toJSON();
}

const dataset = (chart) => `({ ...document.querySelector('${chart} canvas')?.dataset })`;
const caption = (chart) => `document.querySelector('${chart} .caption')?.textContent`;

describe('charts', () => {
  let browser;

  before(async () => {
    browser = await startBrowser();
  });

  after(() => browser?.close());

  const withReportOpen = (report, use, pageOptions) => openReport(browser, report, (page) => use(page, inputOf(page)), pageOptions);

  // Real input (support/input.js) at points given relative to a chart's canvas.
  function inputOf(page) {
    const origin = async (chart) => page.evaluate(`(() => {
      const canvas = document.querySelector('${chart} canvas');
      canvas.scrollIntoView({ block: 'center' });
      const box = canvas.getBoundingClientRect();
      return { left: box.left, top: box.top, width: box.width, height: box.height };
    })()`);
    const at = async (chart, x, y) => {
      const box = await origin(chart);
      return { x: box.left + x, y: box.top + y };
    };
    return {
      origin,
      wheel: async (chart, x, y, deltaY) => wheel(page, await at(chart, x, y), deltaY, { ctrl: true }),
      drag: async (chart, [x0, y0], [x1, y1]) => drag(page, await at(chart, x0, y0), await at(chart, x1, y1)),
      key: (key) => press(page, key),
      typeText: (text) => typeText(page, text),
    };
  }

  test('the timeline zooms with ctrl+wheel around the pointer, pans with a drag, and the keys do both', async () => {
    await withReportOpen(reportOf(busyBatch()), async (page, input) => {
      await page.waitFor(`${dataset('#timeline')}.bars > 0`);
      const before = await page.evaluate(dataset('#timeline'));
      assert.equal(before.zoomed, 'false');
      const { width } = await input.origin('#timeline');
      // The pointer at the middle of the plot, over the lanes: the time there stays under it.
      const plotMiddle = 88 + (width - 88 - 12) / 2;
      await input.wheel('#timeline', plotMiddle, LANES_Y, -400);
      const zoomed = await page.waitFor(`(() => { const d = ${dataset('#timeline')}; return d.zoomed === 'true' && d; })()`);
      const middle = (Number(before.from) + Number(before.to)) / 2;
      assert.ok(Number(zoomed.to) - Number(zoomed.from) < (Number(before.to) - Number(before.from)) / 2, JSON.stringify(zoomed));
      assert.ok(Math.abs((Number(zoomed.from) + Number(zoomed.to)) / 2 - middle) < 0.2, 'zoomed around the pointer');
      assert.match(await page.evaluate(caption('#timeline')), /–.* of .*double-click or 0: all/);

      // Dragging the lanes to the right shows earlier times.
      await input.drag('#timeline', [plotMiddle, LANES_Y], [plotMiddle + 120, LANES_Y]);
      const panned = await page.waitFor(`(() => { const d = ${dataset('#timeline')}; return d.from !== ${JSON.stringify(zoomed.from)} && d; })()`);
      assert.ok(Number(panned.from) < Number(zoomed.from));
      assert.ok(Math.abs((Number(panned.to) - Number(panned.from)) - (Number(zoomed.to) - Number(zoomed.from))) < 1e-9, 'a pan keeps the span');
      assert.equal(await page.evaluate(`document.querySelector('#report-detail .detail-title')`), null, 'a drag selects nothing');

      // The chart takes focus from a click, then the keys: + zooms in, an arrow pans, 0 shows all.
      await page.evaluate(`document.querySelector('#timeline canvas').focus()`);
      await input.key('+');
      await page.waitFor(`${dataset('#timeline')}.to - ${dataset('#timeline')}.from < ${Number(panned.to) - Number(panned.from)} * 0.6`);
      const beforeArrow = await page.evaluate(dataset('#timeline'));
      await input.key('ArrowRight');
      await page.waitFor(`${dataset('#timeline')}.from > ${beforeArrow.from}`);
      await input.key('0');
      await page.waitFor(`${dataset('#timeline')}.zoomed === 'false'`);
      assert.equal(await page.evaluate(`document.activeElement === document.querySelector('#timeline canvas')`), true);
    });
  });

  test("a drag over the timeline's axis brushes a time range: the reports, views and charts keep what it holds", async () => {
    await withReportOpen(reportOf(busyBatch()), async (page, input) => {
      await page.waitFor(`${dataset('#timeline')}.bars > 0`);
      assert.equal(await page.evaluate(`document.querySelectorAll('.report-row').length`), 2);
      const { width } = await input.origin('#timeline');
      // busyBatch's session runs to 12 ms, with reports at 11 and 12 ms: brush from 10.5 to 11.5 ms.
      const endT = Number((await page.evaluate(dataset('#timeline'))).to);
      const xOf = (t) => 88 + (t / endT) * (width - 88 - 12);
      await input.drag('#timeline', [xOf(10.5), 30], [xOf(11.5), 30]);
      await page.waitFor(`document.querySelectorAll('.report-row').length === 1`);
      assert.equal(await page.evaluate(`document.querySelector('.report-row').dataset.kind`), 'use-after-reuse');
      assert.equal(await page.evaluate(`document.querySelector('.filter-time').hidden`), false);
      assert.match(await page.evaluate(`document.querySelector('.filter-time').textContent`), /^Time10\.\d+ ms–11\.\d+ ms×$/);
      const brushed = await page.waitFor(`(() => { const d = ${dataset('#timeline')}; return d.zoomed === 'true' && d; })()`);
      assert.ok(Math.abs(Number(brushed.from) - 10.5) < 0.1 && Math.abs(Number(brushed.to) - 11.5) < 0.1, JSON.stringify(brushed));
      assert.equal(brushed.reports, '1', 'the timeline marks the reports the range holds');
      assert.equal(await page.evaluate(`document.querySelector('.chart-band').hidden`), true, 'the band goes with the release');

      await page.evaluate(`document.querySelector('.filter-time button').click()`);
      await page.waitFor(`document.querySelectorAll('.report-row').length === 2`);
      await page.waitFor(`${dataset('#timeline')}.zoomed === 'false'`);
      assert.equal(await page.evaluate(`document.querySelector('.filter-time').hidden`), true);
    });
  });

  test('the memory map goes to a typed address, marks it and selects the allocation that holds it; ctrl+wheel zooms it', async () => {
    // busyBatch's regions, and one far above them: the map's rows span 448 KiB.
    const far = { type: 'alloc', seq: 100, t: 12.5, session: 1, ptr: 0x80000, size: 16, allocId: 9, generation: 1, site: null };
    await withReportOpen(reportOf([...busyBatch(), far]), async (page, input) => {
      await page.waitFor(`${dataset('#region-map')}.regions > 0`);
      const whole = await page.evaluate(dataset('#region-map'));
      // 0x10080 is inside alloc #2, [0x10060, 0x10160).
      await page.evaluate(`document.querySelector('#map-address').focus()`);
      await input.typeText('0x10080');
      await input.key('Enter');
      const shown = await page.waitFor(`(() => { const d = ${dataset('#region-map')}; return d.address === '65664' && d; })()`);
      assert.equal(shown.selected, '2');
      assert.equal(shown.zoomed, 'true');
      assert.ok(Number(shown.rowBytes) < Number(whole.rowBytes) || Number(shown.low) > Number(whole.low), JSON.stringify(shown));
      assert.match(await page.evaluate(caption('#region-map')), /0x0*10080: in alloc #2 \(quarantined\)/);
      assert.match(await page.evaluate(`document.querySelector('#report-detail, #views-list') && document.title`), /viewsan/);

      await page.evaluate(`document.querySelector('#map-address').value = ''`);
      await input.typeText('0x9');
      await input.key('Enter');
      await page.waitFor(`${dataset('#region-map')}.address === '9'`);
      assert.match(await page.evaluate(caption('#region-map')), /0x0*9: no allocation holds it/);
      assert.equal((await page.evaluate(dataset('#region-map'))).selected, '');

      await page.evaluate(`document.querySelector('#map-address').value = ''`);
      await input.typeText('here');
      await input.key('Enter');
      await page.waitFor(`document.querySelector('#map-address').getAttribute('aria-invalid') === 'true'`);
      assert.match(await page.evaluate(`document.querySelector('#status').textContent`), /Not an address: here/);

      // Double-click shows everything again; ctrl+wheel over a row zooms in on it.
      const { width } = await input.origin('#region-map');
      await doubleClick(page, await center(input));
      await page.waitFor(`${dataset('#region-map')}.zoomed === 'false'`);
      await input.wheel('#region-map', 88 + (width - 100) / 2, 16 + 14, -500);
      const wheeled = await page.waitFor(`(() => { const d = ${dataset('#region-map')}; return d.zoomed === 'true' && d; })()`);
      assert.ok(Number(wheeled.rowBytes) < Number(whole.rowBytes), JSON.stringify(wheeled));
    });

    async function center(input) {
      const box = await input.origin('#region-map');
      return { x: box.left + box.width / 2, y: box.top + 30 };
    }
  });

  test("a tooltip stays inside its chart's pane, above the pointer near the bottom", async () => {
    await withReportOpen(reportOf(busyBatch()), async (page, input) => {
      await page.waitFor(`${dataset('#timeline')}.bars > 0`);
      const box = await input.origin('#timeline');
      // Along the lowest lane, until a bar answers.
      for (let x = 90; x < box.width - 12; x += 4) {
        await page.client.Input.dispatchMouseEvent({ type: 'mouseMoved', x: box.left + x, y: box.top + box.height - 8 });
        if (!await page.evaluate(`document.querySelector('#timeline .chart-tooltip').hidden`)) break;
      }
      const boxes = JSON.parse(await page.evaluate(`JSON.stringify({
        tooltip: document.querySelector('#timeline .chart-tooltip').getBoundingClientRect(),
        pane: document.querySelector('#timeline').getBoundingClientRect(),
        hidden: document.querySelector('#timeline .chart-tooltip').hidden,
      })`));
      assert.equal(boxes.hidden, false, 'a bar of the lowest lane shows its tooltip');
      assert.ok(boxes.tooltip.bottom <= boxes.pane.bottom + 0.5 && boxes.tooltip.top >= boxes.pane.top - 0.5, JSON.stringify(boxes));
      assert.ok(boxes.tooltip.right <= boxes.pane.right + 0.5, JSON.stringify(boxes));
    });
  });

  test('50,000 allocations: the charts say what they hold, nothing is wider than the page, and zoom reaches single bars', async () => {
    const report = reportOf(manyEvents(132_000));
    const allocations = report.events.filter((event) => event.type === 'alloc' || event.type === 'realloc').length;
    assert.ok(allocations >= 50_000, `${allocations} allocations`);
    await withReportOpen(report, async (page, input) => {
      const timeline = await page.waitFor(`(() => { const d = ${dataset('#timeline')}; return d.bars > 0 && d; })()`, 20_000);
      assert.equal(Number(timeline.bars) + Number(timeline.hidden), allocations, 'every allocation in a lane or in the strip');
      assert.equal(timeline.lanes, '40');
      assert.ok(Number(timeline.overflowPeak) > 0);
      await page.waitFor(`${dataset('#region-map')}.regions > 0`, 20_000);
      const layout = JSON.parse(await page.evaluate(`JSON.stringify({
        page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
        charts: [...document.querySelectorAll('.chart canvas')].map((c) => c.getBoundingClientRect().right),
        captions: [...document.querySelectorAll('.chart .caption')].map((c) => c.scrollWidth <= c.clientWidth),
      })`));
      assert.ok(layout.page <= layout.viewport, JSON.stringify(layout));
      assert.ok(layout.charts.every((right) => right <= layout.viewport), JSON.stringify(layout));
      assert.ok(layout.captions.every(Boolean), 'the captions wrap inside their panes');
      assert.match(await page.evaluate(caption('#timeline')), new RegExp(`more overlap them`));
      await page.screenshot(path.resolve('devtools-panel-50k.png'));

      // Zoomed in far enough, a bar is wider than a pixel per 0.1 ms.
      const { width } = await input.origin('#timeline');
      for (let turn = 0; turn < 6; turn++) await input.wheel('#timeline', 88 + (width - 100) / 2, 120, -1000);
      const zoomed = await page.waitFor(`(() => { const d = ${dataset('#timeline')}; return d.to - d.from < ${Number(timeline.to) / 100} && d; })()`);
      assert.equal(zoomed.zoomed, 'true');
    }, { width: 1280, height: 900 });
  });
});
