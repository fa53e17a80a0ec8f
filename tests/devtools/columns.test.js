// Resizing the panel's list columns with the pointer, in headless Chromium with real mouse input
// (CDP Input.dispatchMouseEvent): the column and its rows' cells follow the drag, the minimum
// width holds, a double-click fits the column to what it shows, the widths survive a reload, and
// wide columns scroll the list in its pane, never the page, in both DevTools docks.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBrowser } from './support/browser.js';
import { columnWidths, handleCenter, resizeHandle } from './support/columns.js';
import { doubleClick, drag, press } from './support/input.js';
import { fixtureReport, withReportOpen } from './support/panel-page.js';

const REPORTS = '#report-list';
const VIEWS = '#views-list';
const KIND = 1;  // the Kind column, second of the report list
const MIN_WIDTH = 36;  // column-resize.js

const rowsShown = `document.querySelectorAll('#report-list .report-row').length === 3`;

describe('resizable columns', () => {
  let browser;

  before(async () => {
    browser = await startBrowser();
  });

  after(() => browser?.close());

  test('a drag on a handle resizes its column and the rows follow; the minimum holds; widths survive a reload', async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(rowsShown);
      const start = await page.evaluate(columnWidths(REPORTS));
      const headerBox = JSON.parse(await page.evaluate(`JSON.stringify(document.querySelector('#report-list .list-header').getBoundingClientRect())`));

      const from = await handleCenter(page, REPORTS, 'Kind');
      await drag(page, from, { x: from.x + 60, y: from.y });
      const wider = await page.evaluate(columnWidths(REPORTS));
      assert.ok(Math.abs(wider.header[KIND] - (start.header[KIND] + 60)) <= 1, `Kind is 60 px wider: ${JSON.stringify({ start, wider })}`);
      assert.equal(wider.header[0], start.header[0], 'the column before it keeps its width');
      for (const row of wider.rows) assert.deepEqual(row, wider.header, "each row's cells take the header's widths");
      assert.equal(await page.evaluate(`${resizeHandle(REPORTS, 'Kind')}.getAttribute('aria-valuenow')`), String(wider.header[KIND]));
      assert.equal(await page.evaluate(`[...document.querySelectorAll('#report-list [role="columnheader"]')].every((h) => h.getAttribute('aria-sort') === 'none')`),
        true, 'a drag does not sort');

      // Narrower than it was: the last column takes the rest of the row.
      const back = await handleCenter(page, REPORTS, 'Kind');
      await drag(page, back, { x: back.x - 80, y: back.y });
      const narrower = await page.evaluate(columnWidths(REPORTS));
      assert.ok(Math.abs(narrower.header[KIND] - (start.header[KIND] - 20)) <= 1, JSON.stringify({ start, narrower }));
      assert.ok(Math.abs(narrower.header.at(-1) - (start.header.at(-1) + 20)) <= 1, `the last column is 20 px wider: ${JSON.stringify({ start, narrower })}`);
      const lastRight = await page.evaluate(`document.querySelector('#report-list [role="columnheader"]:last-child').getBoundingClientRect().right`);
      assert.ok(Math.abs(lastRight - (headerBox.right - 12)) <= 1, `the last column ends at the row's padding: ${lastRight} vs ${headerBox.right}`);

      const again = await handleCenter(page, REPORTS, 'Kind');
      await drag(page, again, { x: again.x - 500, y: again.y });
      const narrowest = await page.evaluate(columnWidths(REPORTS));
      assert.equal(narrowest.header[KIND], MIN_WIDTH, 'no narrower than its minimum');
      assert.equal(narrowest.rows[0][KIND], MIN_WIDTH);
      assert.deepEqual(JSON.parse(await page.evaluate(`localStorage.getItem('viewsan.column-widths.reports')`)),
        Object.fromEntries(['Time', 'Kind', 'Message', 'Where', 'View'].map((name, index) => [name, narrowest.header[index]])),
        'every column shown but the last has its width, remembered');

      await page.client.Page.reload();
      await page.waitFor(rowsShown);
      assert.deepEqual(await page.evaluate(columnWidths(REPORTS)), narrowest, 'the same widths after a reload');

      // A double-click fits the column to the widest of its header and rows: no kind is cut.
      await doubleClick(page, await handleCenter(page, REPORTS, 'Kind'));
      const fitted = await page.evaluate(columnWidths(REPORTS));
      assert.ok(fitted.header[KIND] > MIN_WIDTH, `fitted: ${JSON.stringify(fitted)}`);
      assert.equal(await page.evaluate(`[...document.querySelectorAll('#report-list .report-kind')].every((cell) => cell.scrollWidth <= cell.clientWidth)`),
        true, 'every Kind cell shows its whole text');
      assert.equal(await page.evaluate(`[...document.querySelectorAll('#report-list [role="columnheader"]')].every((h) => h.getAttribute('aria-sort') === 'none')`),
        true, 'a double-click does not sort');
    });
  });

  test('the guarded views resize the same way, remembered apart from the reports', async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(`document.querySelectorAll('#views-list .view-row').length === 1`);
      const start = await page.evaluate(columnWidths(VIEWS));
      const from = await handleCenter(page, VIEWS, 'Type');
      await drag(page, from, { x: from.x + 40, y: from.y });
      const wider = await page.evaluate(columnWidths(VIEWS));
      assert.ok(Math.abs(wider.header[1] - (start.header[1] + 40)) <= 1, JSON.stringify({ start, wider }));
      assert.deepEqual(wider.rows[0], wider.header);
      assert.equal(await page.evaluate(`localStorage.getItem('viewsan.column-widths.reports')`), null);
      assert.equal(JSON.parse(await page.evaluate(`localStorage.getItem('viewsan.column-widths.views')`)).Type, wider.header[1]);
    });
  });

  // Columns wider than the dock: the list scrolls sideways in its pane, the page does not.
  for (const [shape, width, height] of [['right', 400, 900], ['right', 540, 900], ['bottom', 1400, 300]]) {
    test(`docked ${shape} (${width}×${height}), columns wider than the dock scroll in their list, not the page`, async () => {
      const init = `localStorage.setItem('viewsan.column-widths.reports', '{"Time": 300, "Kind": 400}');
        localStorage.setItem('viewsan.column-widths.views', '{"View": 500}');`;
      await withReportOpen(browser, fixtureReport(), async (page) => {
        await page.waitFor(rowsShown);
        await page.waitFor(`document.querySelectorAll('#views-list .view-row').length === 1`);
        const layout = JSON.parse(await page.evaluate(`JSON.stringify((() => {
          const root = document.documentElement;
          const scroll = (selector) => { const e = document.querySelector(selector); return { scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }; };
          return { page: { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth }, reports: scroll('#report-list'), views: scroll('#views-list') };
        })())`));
        assert.ok(layout.page.scrollWidth <= layout.page.clientWidth, `the page does not scroll sideways: ${JSON.stringify(layout)}`);
        assert.ok(layout.reports.scrollWidth > layout.reports.clientWidth, `the report list does: ${JSON.stringify(layout)}`);
        assert.ok(layout.views.scrollWidth > layout.views.clientWidth, `the views list does: ${JSON.stringify(layout)}`);
        const widths = await page.evaluate(columnWidths(REPORTS));
        assert.deepEqual(widths.header.slice(0, 2), [300, 400]);
        for (const row of widths.rows) assert.deepEqual(row, widths.header);
      }, { width, height, init });
    });
  }

  test('without localStorage (it throws), columns still resize, for the page\'s life', async () => {
    const init = `Object.defineProperty(window, 'localStorage', {
      configurable: true, get() { throw new DOMException('storage is off', 'SecurityError'); },
    });`;
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(rowsShown);
      const start = await page.evaluate(columnWidths(REPORTS));
      await page.evaluate(`${resizeHandle(REPORTS, 'Kind')}.focus()`);
      await press(page, 'ArrowRight');
      const from = await handleCenter(page, REPORTS, 'Time');
      await drag(page, from, { x: from.x + 20, y: from.y });
      const after = await page.evaluate(columnWidths(REPORTS));
      assert.equal(after.header[KIND], start.header[KIND] + 10);
      assert.equal(after.header[0], start.header[0] + 20);
      assert.notEqual(await page.evaluate(`document.querySelector('#status').dataset.state`), 'error');
    }, { init });
  });
});
