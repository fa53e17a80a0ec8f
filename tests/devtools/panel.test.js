// The panel in headless Chromium, fed a report file by URL and live from the CLI's server.
// Leaves devtools-panel.png in the working directory (CTest's: the build tree) for a look.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPanelServer, ViewsanModel } from '../../devtools/lib/index.js';
import { startBrowser } from './support/browser.js';
import { fixtureReport, PANEL_DIR, withReportOpen as openReport } from './support/panel-page.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { useAfterFreeBatch } from './fixtures/events.js';
import { encodeBatch } from 'viewsan/protocol';

const SCREENSHOT = path.resolve('devtools-panel.png');

const texts = (selector) => `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent)`;
const count = (selector) => `document.querySelectorAll(${JSON.stringify(selector)}).length`;
const mapData = (name) => `document.querySelector('#region-map canvas')?.dataset.${name}`;

describe('panel', () => {
  let browser;

  before(async () => {
    browser = await startBrowser();
  });

  after(() => browser?.close());

  const withReportOpen = (report, use, pageOptions) => openReport(browser, report, use, pageOptions);

  test('opens a report file given by ?report=URL', async () => {
    await withReportOpen(fixtureReport(), async (page) => {
      await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      assert.deepEqual(await page.evaluate(texts('.report-row .report-kind')), ['use-after-reuse', 'copy-out', 'use-after-free']);
      assert.equal(await page.evaluate(`document.querySelector('#status').dataset.state`), 'ready');
      assert.equal(await page.evaluate(`document.querySelector('[data-counter="Errors"] .counter-value').textContent`), '2');
      assert.equal(await page.evaluate(`document.title`), 'viewsan: 2 errors');
      assert.equal(await page.evaluate(count('#page-errors li')), 1);
      // The list shows a report's first line as viewsan's formatter words it; the worker context
      // names the row's Where.
      assert.equal(await page.evaluate(`document.querySelector('.report-row[data-kind="use-after-free"] .report-message').textContent`),
        'use-after-free on a Float32Array view of 16 elements at 0x10010');
      assert.equal(await page.evaluate(`document.querySelector('.report-row[data-kind="use-after-free"] .report-where').textContent`),
        'worker decoder');

      // The map and timeline follow the newest report's session until a report is picked (they
      // draw on the next frame).
      await page.waitFor(`${mapData('regions')} === '1'`);
      await page.evaluate(`document.querySelector('.report-row[data-kind="use-after-reuse"]').click()`);
      await page.waitFor(`document.querySelector('#report-detail h3')?.textContent === 'use-after-reuse'`);
      const detail = await page.evaluate(`document.querySelector('#report-detail').textContent`);
      assert.match(detail, /Freed byrender_frame \(calls free\) at code offset 0x1f0/);
      assert.match(detail, /ERROR: viewsan: use-after-reuse on a Float32Array view of 16 elements at 0x10010\n {4}at Proxy\.get/,
        'the whole text, from the report\'s JSON');
      assert.match(detail, /^freed by render_frame \(calls free\) at code offset 0x1f0$/m);
      assert.match(detail, /the view was created here:\n {4}at drawMesh/);
      assert.doesNotMatch(detail, /View created/, 'a stack the text holds gets no block of its own');

      await page.waitFor(`${mapData('regions')} === '5'`);
      assert.deepEqual(await page.evaluate(`(({ regions, live, quarantined, reused, views, staleViews, selected, errorRegions, zoomed }) =>
        ({ regions, live, quarantined, reused, views, staleViews, selected, errorRegions, zoomed }))(document.querySelector('#region-map canvas').dataset)`), {
        regions: '5', live: '2', quarantined: '2', reused: '1', views: '2', staleViews: '2', selected: '1', errorRegions: '1', zoomed: 'false',
      });
      // The timeline follows a frame after the map.
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.bars === '5'`);
      assert.deepEqual(await page.evaluate(`(({ bars, hidden, grows, reports }) => ({ bars, hidden, grows, reports }))(document.querySelector('#timeline canvas').dataset)`),
        { bars: '5', hidden: '0', grows: '2', reports: '2' });
      assert.match(await page.evaluate(`document.querySelector('.chart-session').textContent`), /^page \/app\/index\.html · session 1$/);

      // Views: live ones by default; all of them with the box unticked.
      assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('.view-row')].map((row) => row.dataset.viewId + ':' + row.dataset.status)`),
        ['2:live']);
      await page.evaluate(`document.querySelector('#live-views-only').click()`);
      await page.waitFor(`document.querySelectorAll('.view-row').length === 3`);
      assert.equal(await page.evaluate(`document.querySelector('#views-count').textContent`), '3 of 3');

      await page.screenshot(SCREENSHOT);

      // Filters: kind, severity, session, search.
      const pick = (id, value) => page.evaluate(`(() => { const s = document.querySelector('#filter-${id}'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('change')); })()`);
      const waitForKinds = (kinds) => page.waitFor(`JSON.stringify(${texts('.report-row .report-kind')}) === ${JSON.stringify(JSON.stringify(kinds))}`);
      await pick('severity', 'warning');
      await waitForKinds(['copy-out']);
      await pick('severity', '');
      await pick('session', '2/1');
      await waitForKinds(['use-after-free']);
      await page.waitFor(`${mapData('regions')} === '1'`);  // the charts show the filtered session
      await pick('session', '');
      await pick('kind', 'use-after-reuse');
      await waitForKinds(['use-after-reuse']);
      await pick('kind', '');
      const search = (text) => page.evaluate(`(() => { const s = document.querySelector('#filter-search'); s.value = ${JSON.stringify(text)}; s.dispatchEvent(new Event('input')); })()`);
      await search('upload');
      await waitForKinds(['copy-out']);
      await search('no such report');
      await page.waitFor(`document.querySelector('#report-list').dataset.emptyText === 'No report matches the filters (3 hidden).'`);
    });
  });

  test('a click on a region of the map or a bar of the timeline selects its allocation', async () => {
    await withReportOpen(fixtureReport(), async (page) => {
      // Moves the pointer over the chart until it shows a pickable thing (the cursor says so), and
      // clicks there, as a user would.
      const clickSomethingOn = (chart) => page.evaluate(`(() => {
        const canvas = document.querySelector('${chart} canvas');
        const box = canvas.getBoundingClientRect();
        const at = (x, y) => ({ clientX: box.left + x, clientY: box.top + y, bubbles: true });
        for (let y = 2; y < box.height; y += 3) {
          for (let x = 2; x < box.width; x += 3) {
            canvas.dispatchEvent(new MouseEvent('mousemove', at(x, y)));
            if (canvas.style.cursor === 'pointer') {
              canvas.dispatchEvent(new MouseEvent('click', at(x, y)));
              return true;
            }
          }
        }
        return false;
      })()`);
      await page.waitFor(`document.querySelector('#region-map canvas')?.dataset.regions > 0`);
      assert.equal(await page.evaluate(mapData('selected')), '');
      assert.equal(await clickSomethingOn('#region-map'), true, 'nothing on the map to click');
      const selected = await page.waitFor(`document.querySelector('#region-map canvas').dataset.selected || null`);
      assert.match(selected, /^\d+$/);
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.bars > 0`);
      assert.equal(await clickSomethingOn('#timeline'), true, 'nothing on the timeline to click');
      await page.waitFor(`document.querySelector('#region-map canvas').dataset.selected !== ${JSON.stringify(selected)}
        || document.querySelector('#report-detail')?.textContent.includes('viewsan')`);
    });
  });

  test('exports what it shows as a report file, which opens again', async () => {
    const fixture = fixtureReport();
    const downloads = await mkdtemp(path.join(tmpdir(), 'viewsan-panel-export-'));
    await withReportOpen(fixture, async (page) => {
      await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      await page.client.Page.setDownloadBehavior({ behavior: 'allow', downloadPath: downloads });
      await page.evaluate(`document.querySelector('#export-report').click()`);
      let name;
      for (let i = 0; i < 100 && !name; i++) {
        name = (await readdir(downloads)).find((file) => /^viewsan-report-.*\.json$/.test(file));
        if (!name) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(name, 'a viewsan-report-….json was downloaded');
      const text = await readFile(path.join(downloads, name), 'utf8');
      const exported = JSON.parse(text);
      assert.deepEqual(exported.reports, fixture.reports);
      assert.deepEqual(exported.stats, fixture.stats);
      assert.deepEqual(exported.events, fixture.events);
      assert.deepEqual(exported.pageErrors, fixture.pageErrors);
      assert.equal(text.split('\n').filter((line) => /^ {4}\{"type":/.test(line)).length, fixture.events.length,
        'compact: one line an event');
    });
    // The exported file is a report the panel opens as the original.
    const again = await startStaticServer({ mounts: { '/panel/': PANEL_DIR, '/out/': downloads } });
    const [file] = await readdir(downloads);
    const reopened = await browser.open(again.url(`/panel/index.html?report=/out/${file}`));
    try {
      await reopened.waitFor(`document.querySelectorAll('.report-row').length === ${fixture.reports.length}`);
      assert.equal(await reopened.evaluate(`document.querySelector('[data-counter="Errors"] .counter-value').textContent`),
        String(fixture.stats.errors));
    } finally {
      await reopened.close();
      await again.close();
      await rm(downloads, { recursive: true, force: true });
    }
  });

  // DevTools docked right (400 px wide) and at the bottom (300 px high), judged by the boxes the
  // layout gives, not by pixels; each shape leaves a screenshot beside devtools-panel.png.
  for (const [shape, width, height] of [['right', 400, 900], ['bottom', 1400, 300]]) {
    test(`docked ${shape} (${width}×${height}): nothing wider than the dock, the reports and the detail in sight`, async () => {
      await withReportOpen(fixtureReport(), async (page) => {
        await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
        await page.evaluate(`document.querySelector('.report-row').click()`);
        await page.waitFor(`document.querySelector('#report-detail h3')`);
        const layout = JSON.parse(await page.evaluate(`JSON.stringify((() => {
          const box = (selector) => document.querySelector(selector).getBoundingClientRect().toJSON();
          const root = document.documentElement;
          const wider = [...document.querySelectorAll('body *')].filter((element) => {
            const { right, width } = element.getBoundingClientRect();
            return width > 0 && right > root.clientWidth + 1 && !element.closest('.charts canvas, .tooltip');
          }).map((element) => element.id || element.className || element.tagName);
          return {
            scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
            scrollHeight: root.scrollHeight, clientHeight: root.clientHeight,
            list: box('#report-list'), detail: box('#report-detail'), memory: box('#region-map'), wider,
          };
        })())`));
        assert.ok(layout.scrollWidth <= layout.clientWidth, `no horizontal scrolling: ${JSON.stringify(layout)}`);
        assert.deepEqual(layout.wider, [], 'no element runs past the dock');
        const inSight = (box) => box.top < height && box.bottom > 0 && box.height > 0;
        assert.ok(inSight(layout.list), 'the report list is in sight');
        if (shape === 'bottom') {
          assert.ok(layout.scrollHeight <= layout.clientHeight, 'the page does not scroll: its panes do');
          assert.ok(inSight(layout.detail), 'the detail is in sight beside the list');
          assert.ok(inSight(layout.memory), 'the memory map is in sight beside them');
          assert.ok(layout.detail.left >= layout.list.right - 1 && layout.memory.left >= layout.detail.right - 1, 'side by side');
        }
        await page.screenshot(path.resolve(`devtools-panel-${shape}.png`));
      }, { width, height });
    });
  }

  test("a report's source locations are links: the Sources panel in DevTools, a copy standalone", async () => {
    // DevTools' API as an extension page has it, minus the inspected window (the panel stays on
    // its report file).
    const init = 'globalThis.chrome = { devtools: { panels: { openResource: (...args) => { globalThis.opened = args.slice(0, 3); } } } };';
    await withReportOpen(fixtureReport(), async (inDevTools) => {
      await inDevTools.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      await inDevTools.evaluate(`document.querySelector('.report-row[data-kind="use-after-free"]').click()`);
      await inDevTools.waitFor(`document.querySelector('#report-detail .source-link')`);
      const links = JSON.parse(await inDevTools.evaluate(`JSON.stringify([...document.querySelectorAll('#report-detail .detail-message .source-link')]
        .map((a) => a.textContent))`));
      assert.deepEqual(links, ['viewsan.js:1:1', 'http://app/app.js:44:9', 'http://app/app.js:41:17']);
      await inDevTools.evaluate(`[...document.querySelectorAll('#report-detail .source-link')].find((a) => a.textContent === 'http://app/app.js:44:9').click()`);
      assert.deepEqual(JSON.parse(await inDevTools.evaluate('JSON.stringify(globalThis.opened)')), ['http://app/app.js', 43, 8],
        'openResource, lines and columns from 0');
    }, { init });
    await withReportOpen(fixtureReport(), async (standalone) => {
      await standalone.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      await standalone.evaluate(`document.querySelector('.report-row[data-kind="use-after-free"]').click()`);
      await standalone.waitFor(`document.querySelector('#report-detail .source-link')`);
      assert.equal(await standalone.evaluate(`document.querySelector('#report-detail .source-link').title`), 'Copy file:line:column');
    });
  });

  test('a click on a column header sorts the reports by it, again the other way, then as they came', async () => {
    await withReportOpen(fixtureReport(), async (page) => {
      await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      const kinds = () => page.evaluate(texts('.report-row .report-kind'));
      const header = (name) => `[...document.querySelectorAll('#report-list [role="columnheader"]')].find((e) => e.textContent === ${JSON.stringify(name)})`;
      const arrival = await kinds();
      assert.deepEqual(arrival, ['use-after-reuse', 'copy-out', 'use-after-free']);
      await page.evaluate(`${header('Kind')}.click()`);
      assert.deepEqual(await kinds(), ['copy-out', 'use-after-free', 'use-after-reuse']);
      assert.equal(await page.evaluate(`${header('Kind')}.getAttribute('aria-sort')`), 'ascending');
      await page.evaluate(`${header('Kind')}.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))`);
      assert.deepEqual(await kinds(), ['use-after-reuse', 'use-after-free', 'copy-out']);
      assert.equal(await page.evaluate(`${header('Kind')}.getAttribute('aria-sort')`), 'descending');
      await page.evaluate(`${header('Kind')}.click()`);
      assert.deepEqual(await kinds(), arrival);
      await page.evaluate(`${header('Time')}.click()`);
      assert.deepEqual(await page.evaluate(texts('.report-row .report-time')), ['3 ms', '11 ms', '12 ms']);
      assert.equal(await page.evaluate(`${header('Kind')}.getAttribute('aria-sort')`), 'none');

      // The guarded views sort the same way.
      await page.evaluate(`document.querySelector('#live-views-only').checked && document.querySelector('#live-views-only').click()`);
      const viewHeader = (name) => `[...document.querySelectorAll('#views-list [role="columnheader"]')].find((e) => e.textContent === ${JSON.stringify(name)})`;
      const viewIds = () => page.evaluate(`[...document.querySelectorAll('#views-list .view-row')].map((row) => Number(row.dataset.viewId))`);
      await page.waitFor(`document.querySelectorAll('#views-list .view-row').length > 1`);
      const before = await viewIds();
      await page.evaluate(`${viewHeader('View')}.click()`);
      await page.evaluate(`${viewHeader('View')}.click()`);
      assert.deepEqual(await viewIds(), [...before].sort((a, b) => b - a), 'by view id, descending');
      assert.equal(await page.evaluate(`${viewHeader('View')}.getAttribute('aria-sort')`), 'descending');
    });
  });

  test('more allocations live at once than the timeline has lanes: the rest are a density strip, none dropped', async () => {
    const model = new ViewsanModel();
    const events = [];
    for (let i = 0; i < 60; i++) {
      events.push({ type: 'alloc', seq: i, t: i * 0.1, session: 1, ptr: 0x10000 + i * 64, size: 64, allocId: i + 1, generation: 1, site: null });
    }
    model.ingest(events, 1);
    await withReportOpen(model.toJSON(), async (page) => {
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.bars === '40'`);
      const data = JSON.parse(await page.evaluate(`JSON.stringify({ ...document.querySelector('#timeline canvas').dataset })`));
      assert.equal(data.lanes, '40');
      assert.equal(data.hidden, '20');
      assert.equal(data.overflowPeak, '20', 'all 20 are live at the end, in the strip');
      assert.match(await page.evaluate(`document.querySelector('#timeline .caption').textContent`),
        /40 allocations in 40 lanes; 20 more overlap them: their density is the strip below the lanes/);
    });
  });

  test('the filters apply to the charts: the map outlines and the timeline marks only the reports they let through', async () => {
    await withReportOpen(fixtureReport(), async (page) => {
      await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      // The charts show session 1/1 (the page's): a use-after-reuse (an error) and a copy-out.
      const setFilter = (id, value) => page.evaluate(`(() => { const s = document.querySelector('#${id}'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('change')); })()`);
      await setFilter('filter-session', '1/1');
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.reports === '2'`);
      assert.equal(await page.evaluate(mapData('errorRegions')), '1');
      await setFilter('filter-kind', 'copy-out');
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.reports === '1'`);
      await page.waitFor(`${mapData('errorRegions')} === '0'`);
      assert.match(await page.evaluate(`document.querySelector('#timeline .caption').textContent`), /1 report \(of 2: filtered\)/);
      await setFilter('filter-kind', '');
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.reports === '2'`);
      await page.waitFor(`${mapData('errorRegions')} === '1'`);
    });
  });

  test('shows a report that is not a report as an error', async () => {
    const server = await startStaticServer({ files: { '/other.json': '{"hello": 1}' }, mounts: { '/panel/': PANEL_DIR } });
    const page = await browser.open(server.url('/panel/index.html?report=/other.json'));
    try {
      const status = await page.waitFor(`document.querySelector('#status[data-state="error"]')?.textContent`);
      assert.equal(status, 'Cannot open /other.json: not a viewsan report: expected an object with a "reports" array');
    } finally {
      await page.close();
      await server.close();
    }
  });

  test('follows a run live from the CLI server', async () => {
    const model = new ViewsanModel();
    model.ingest(useAfterFreeBatch().slice(0, 2), 1);
    const server = await startPanelServer({ model });
    const page = await browser.open(server.url);
    try {
      await page.waitFor(`document.querySelector('#status').dataset.state === 'live'`);
      // What happened before the panel opened is replayed.
      await page.waitFor(`document.querySelector('[data-counter="Frees"] .counter-value')?.textContent === '1'`);
      assert.equal(await page.evaluate(count('.report-row')), 0);

      const [, , reportEvent] = useAfterFreeBatch();
      model.ingest([{ ...reportEvent, reportId: 1 }], 1);
      await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-free"]')`);
      // Made again at its place: the row and the counters take the count as it comes.
      model.ingest([{ type: 'report-count', seq: 4, t: 4, session: 1, reportId: 1, count: 3 }], 1);
      await page.waitFor(`document.querySelector('.report-row .report-count')?.textContent === '×3'`);
      assert.equal(await page.evaluate(`document.querySelector('[data-counter="Errors"] .counter-value').textContent`), '3');
      model.addPageError({ type: 'console', message: 'decoder failed', url: null });
      await page.waitFor(`document.querySelectorAll('#page-errors li').length === 1`);

      server.finish('idle');
      assert.equal(await page.waitFor(`document.querySelector('#status[data-state="ended"]')?.textContent`), 'Run over (idle)');
    } finally {
      await page.close();
      await server.close();
    }
  });

  test("the extension's feed reads version 1 and older runtimes' arrays, and warns once of a newer version", async () => {
    // chrome.devtools and chrome.runtime as the extension's panel sees them, with the service
    // worker's port played by the page: sendBatch() delivers what the content script relayed.
    const extensionShell = `(() => {
      const listeners = [];
      const port = {
        onMessage: { addListener: (listener) => listeners.push(listener) },
        onDisconnect: { addListener() {} },
        postMessage() {},
        disconnect() {},
      };
      globalThis.sendBatch = (batch) => listeners.forEach((listener) =>
        listener({ type: 'batch', document: 1, frameId: 0, url: 'http://app/index.html', batch }));
      Object.defineProperty(globalThis, 'chrome', {
        value: { devtools: { inspectedWindow: { tabId: 7 } }, runtime: { connect: () => port } },
      });
    })();`;
    const server = await startStaticServer({ mounts: { '/panel/': PANEL_DIR } });
    const page = await browser.open(server.url('/panel/index.html'), { init: extensionShell });
    const status = `document.querySelector('#status').dataset.state + ': ' + document.querySelector('#status').textContent`;
    const send = (batch) => page.evaluate(`sendBatch(${JSON.stringify(batch)})`);
    try {
      await send(encodeBatch(useAfterFreeBatch(1)));
      await page.waitFor(`document.querySelectorAll('.report-row').length === 1`);
      assert.equal(await page.evaluate(status), 'live: Live');

      await send(JSON.stringify({ v: 2, events: useAfterFreeBatch(2) }));
      await send(JSON.stringify({ v: 2, events: useAfterFreeBatch(3) }));
      await send(JSON.stringify(useAfterFreeBatch(4)));
      await page.waitFor(`document.querySelectorAll('.report-row').length === 2`);
      assert.equal(await page.evaluate(status), 'error: Live: skipped events of a newer viewsan runtime: it sends ' +
        "event-stream version 2, and this viewsan-devtools reads version 1 (update viewsan-devtools to the page's viewsan version)");
      assert.equal(await page.evaluate(`document.querySelector('[data-counter="Allocs"] .counter-value').textContent`), '2',
        'the sessions of the skipped batches are not counted');
    } finally {
      await page.close();
      await server.close();
    }
  });
});
