// The panel used with the keyboard alone, in headless Chromium with real key presses (CDP
// Input.dispatchKeyEvent): Tab from the top reaches every control, each showing where the focus
// is; the arrow keys move the selection in the lists (the detail follows the report list's);
// Enter and Space sort by a column; the arrow keys on a column's resize handle change its width.
// (The charts' own keys, once Tab reached them, are charts.test.js's.)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBrowser } from './support/browser.js';
import { columnWidths, resizeHandle } from './support/columns.js';
import { press } from './support/input.js';
import { fixtureReport, withReportOpen } from './support/panel-page.js';

const MAX_TAB_STOPS = 80;

// What the focused element is, and whether the focus shows: it matches :focus-visible and draws an
// outline (the panel's own, or the browser's).
const FOCUSED = `JSON.parse(JSON.stringify((() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    id: element.id || null,
    role: element.getAttribute('role'),
    name: element.getAttribute('aria-label') || element.textContent.trim().slice(0, 40),
    list: element.closest('.list')?.id ?? null,
    tag: element.tagName.toLowerCase(),
    focusVisible: element.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
  };
})()))`;

const describeStop = (stop) => (stop.id ? `#${stop.id}` : `${stop.list ? `#${stop.list} ` : ''}${stop.role ?? stop.tag} ${stop.name}`);

/** Presses Tab until the focused element is the one `matches(stop)` accepts; returns it. */
async function tabTo(page, matches) {
  for (let presses = 0; presses < MAX_TAB_STOPS; presses++) {
    await press(page, 'Tab');
    const stop = await page.evaluate(FOCUSED);
    if (stop && matches(stop)) return stop;
  }
  throw new Error('Tab never reached it');
}

const rowsShown = `document.querySelectorAll('#report-list .report-row').length === 3`;
const selectedKind = `(document.querySelector('#report-list .report-row[aria-selected="true"]')?.dataset.kind ?? null)`;
const detailKind = `(document.querySelector('#report-detail h3')?.textContent ?? null)`;
const kinds = `[...document.querySelectorAll('#report-list .report-row .report-kind')].map((cell) => cell.firstChild.nextSibling.textContent)`;

describe('the panel with the keyboard alone', () => {
  let browser;

  before(async () => {
    browser = await startBrowser();
  });

  after(() => browser?.close());

  test('Tab from the top reaches the toolbar, the filters, the lists and their column headers, the charts, the focus always visible', async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(rowsShown);
      await page.waitFor(`document.querySelectorAll('#views-list .view-row').length === 1`);
      const stops = [];
      for (let presses = 0; presses < MAX_TAB_STOPS; presses++) {
        await press(page, 'Tab');
        const stop = await page.evaluate(FOCUSED);
        if (!stop) break;  // past the last stop: back to the page itself
        if (stops.length > 0 && describeStop(stop) === describeStop(stops[0])) break;
        stops.push(stop);
      }
      const names = stops.map(describeStop);
      const order = (...wanted) => {
        const at = wanted.map((name) => names.indexOf(name));
        assert.ok(at.every((index) => index >= 0), `reached ${wanted.filter((_, i) => at[i] < 0).join(', ')} among ${names.join(' | ')}`);
        assert.deepEqual(at, [...at].sort((a, b) => a - b), `in this order: ${wanted.join(', ')} (reached ${names.join(' | ')})`);
      };
      order('#export-report', '#load-report', '#filter-search', '#filter-kind', '#filter-severity', '#filter-session',
        '#report-list', '#report-list columnheader Time', '#report-list separator Resize the Time column',
        '#report-list columnheader Kind', '#report-list columnheader Allocated by',
        '#map-address', 'img Regions in linear memory', 'img Allocation lifetimes',
        '#live-views-only', '#views-list', '#views-list columnheader View', '#views-list separator Resize the View column',
        '#views-list columnheader Created');
      assert.ok(!names.includes('#report-list separator Resize the Allocated by column'), 'the last column has no handle: it takes the rest');
      const hidden = stops.filter((stop) => !stop.focusVisible || !stop.outline).map(describeStop);
      assert.deepEqual(hidden, [], 'every stop shows the focus');
    });
  });

  test('the arrow keys move the selection in the report list, and the detail follows', async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(rowsShown);
      await tabTo(page, (stop) => stop.id === 'report-list');
      assert.equal(await page.evaluate(detailKind), null);
      const step = async (key, kind) => {
        await press(page, key);
        await page.waitFor(`${selectedKind} === ${JSON.stringify(kind)} && ${detailKind} === ${JSON.stringify(kind)}`);
      };
      await step('ArrowDown', 'use-after-reuse');
      await step('ArrowDown', 'copy-out');
      await step('ArrowUp', 'use-after-reuse');
      await step('ArrowUp', 'use-after-reuse');
      await step('End', 'use-after-free');
      await step('Home', 'use-after-reuse');
      await step('PageDown', 'use-after-free');
      const focused = await page.evaluate(FOCUSED);
      assert.equal(focused.id, 'report-list', 'the focus stays on the list');
      assert.ok(focused.focusVisible && focused.outline, 'and shows');
    });
  });

  test('Enter and Space on a column header sort by it', async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(rowsShown);
      const arrival = await page.evaluate(kinds);
      await tabTo(page, (stop) => stop.list === 'report-list' && stop.role === 'columnheader' && stop.name === 'Kind');
      const sort = `document.activeElement.getAttribute('aria-sort')`;
      await press(page, 'Enter');
      assert.equal(await page.evaluate(sort), 'ascending');
      await page.waitFor(`JSON.stringify(${kinds}) === ${JSON.stringify(JSON.stringify(['copy-out', 'use-after-free', 'use-after-reuse']))}`);
      await press(page, ' ');
      assert.equal(await page.evaluate(sort), 'descending');
      await page.waitFor(`JSON.stringify(${kinds}) === ${JSON.stringify(JSON.stringify(['use-after-reuse', 'use-after-free', 'copy-out']))}`);
      await press(page, 'Enter');
      assert.equal(await page.evaluate(sort), 'none');
      await page.waitFor(`JSON.stringify(${kinds}) === ${JSON.stringify(JSON.stringify(arrival))}`);
    });
  });

  test("the arrow keys on a column's resize handle change its width, the rows' cells with it", async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(rowsShown);
      const start = await page.evaluate(columnWidths('#report-list'));
      const handle = await tabTo(page, (stop) => stop.role === 'separator' && stop.name === 'Resize the Kind column');
      assert.ok(handle.focusVisible && handle.outline, 'the handle shows the focus');
      assert.equal(await page.evaluate(`document.activeElement.getAttribute('aria-orientation')`), 'vertical');
      assert.equal(await page.evaluate(`document.activeElement.getAttribute('aria-valuenow')`), String(start.header[1]));

      const widthAfter = async (key, options) => {
        await press(page, key, options);
        const widths = await page.evaluate(columnWidths('#report-list'));
        for (const row of widths.rows) assert.deepEqual(row, widths.header, "the rows' cells follow the header");
        assert.equal(await page.evaluate(`document.activeElement.getAttribute('aria-valuenow')`), String(widths.header[1]));
        return widths.header[1];
      };
      assert.equal(await widthAfter('ArrowRight'), start.header[1] + 10);
      assert.equal(await widthAfter('ArrowRight', { shift: true }), start.header[1] + 60);
      assert.equal(await widthAfter('ArrowLeft'), start.header[1] + 50);
      for (let i = 0; i < 30; i++) await press(page, 'ArrowLeft');
      assert.equal(await widthAfter('ArrowLeft'), 36, 'no narrower than the minimum');
      // Enter fits the column to what it shows, and does not sort.
      assert.ok(await widthAfter('Enter') > 36);
      assert.equal(await page.evaluate(`[...document.querySelectorAll('#report-list [role="columnheader"]')].every((h) => h.getAttribute('aria-sort') === 'none')`), true);
      assert.equal(await page.evaluate(`${resizeHandle('#report-list', 'Kind')} === document.activeElement`), true, 'the focus stays on the handle');
    });
  });

  test('the guarded views take the arrow keys too', async () => {
    await withReportOpen(browser, fixtureReport(), async (page) => {
      await page.waitFor(`document.querySelectorAll('#views-list .view-row').length === 1`);
      await tabTo(page, (stop) => stop.id === 'live-views-only');
      await press(page, ' ');
      await page.waitFor(`document.querySelectorAll('#views-list .view-row').length === 3`);
      await tabTo(page, (stop) => stop.id === 'views-list');
      const selectedView = `(document.querySelector('#views-list .view-row[aria-selected="true"]')?.dataset.viewId ?? null)`;
      const firstIds = await page.evaluate(`[...document.querySelectorAll('#views-list .view-row')].map((row) => row.dataset.viewId)`);
      await press(page, 'ArrowDown');
      await page.waitFor(`${selectedView} === ${JSON.stringify(firstIds[0])}`);
      await press(page, 'ArrowDown');
      await page.waitFor(`${selectedView} === ${JSON.stringify(firstIds[1])}`);
      await press(page, 'End');
      await page.waitFor(`${selectedView} === ${JSON.stringify(firstIds.at(-1))}`);
    });
  });
});
