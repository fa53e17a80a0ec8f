// The report detail's hex dump of the bytes under a report (`report.memory`, byte-view.js), in
// headless Chromium, docked right at 400 px: its rows and addresses, the marked bytes, the
// faulting element, a gap between two windows, and a box that scrolls sideways by itself.
// Leaves devtools-byte-view.png in the working directory (CTest's: the build tree).

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { ViewsanModel } from '../../devtools/lib/index.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { startBrowser } from './support/browser.js';
import { memoryBatch, useAfterFreeBatch } from './fixtures/events.js';

const PANEL_DIR = fileURLToPath(new URL('../../devtools/panel/', import.meta.url));
const SCREENSHOT = path.resolve('devtools-byte-view.png');
const DOCKED_RIGHT = { width: 400, height: 900 };

function fixtureReport() {
  const model = new ViewsanModel();
  model.ingest(memoryBatch(), 1);
  model.ingest(useAfterFreeBatch(2), 1);
  model.addContext({ context: 1, target: 'page', url: 'http://app/app/index.html' });
  return model.toJSON();
}

/** The dump of the report detail, as a test reads it: rows, their cells, the legend. */
const readDump = `JSON.stringify((() => {
  const view = document.querySelector('#report-detail .byte-view');
  if (!view) return null;
  const cells = (selector) => [...view.querySelectorAll('td' + selector)].map((td) => Number(td.dataset.address));
  return {
    rows: [...view.querySelectorAll('tbody tr:not(.byte-gap)')].map((tr) => ({
      address: tr.querySelector('th').textContent,
      hex: [...tr.querySelectorAll('td.byte')].map((td) => td.textContent).join(' '),
      ascii: tr.querySelector('td.byte-ascii').textContent,
    })),
    gaps: [...view.querySelectorAll('tbody tr.byte-gap')].map((tr) => tr.textContent),
    columns: [...view.querySelectorAll('thead th')].map((th) => th.textContent + '/' + th.getAttribute('scope')),
    rowHeaders: [...view.querySelectorAll('tbody th')].every((th) => th.getAttribute('scope') === 'row'),
    caption: view.querySelector('caption')?.textContent,
    legend: [...view.querySelectorAll('.byte-legend li')].map((li) => li.textContent),
    freed: cells('.byte-freed'), reused: cells('.byte-reused'), live: cells('.byte-live'),
    view: cells('.in-view'), access: cells('.in-access'),
    accessText: [...view.querySelectorAll('td.in-access')].map((td) => td.textContent),
    accessTitle: view.querySelector('td.in-access')?.title,
    stale: view.classList.contains('stale'),
  };
})())`;

const range = (start, end) => Array.from({ length: end - start }, (_, i) => start + i);

describe('byte view', () => {
  let browser;
  let server;

  before(async () => {
    browser = await startBrowser();
    server = await startStaticServer({
      files: { '/report.json': JSON.stringify(fixtureReport()) },
      mounts: { '/panel/': PANEL_DIR },
    });
  });

  after(async () => {
    await server?.close();
    await browser?.close();
  });

  /** The panel docked right with the report file open, and the report of `kind` selected. */
  async function withReportSelected(kind, use, nth = 0) {
    const page = await browser.open(server.url('/panel/index.html?report=/report.json'), DOCKED_RIGHT);
    try {
      await page.waitFor(`document.querySelectorAll('.report-row').length === 3`);
      await page.evaluate(`document.querySelectorAll('.report-row[data-kind="${kind}"]')[${nth}].click()`);
      await page.waitFor(`document.querySelector('#report-detail h3')?.textContent === '${kind}'`);
      return await use(page);
    } finally {
      await page.close();
    }
  }

  test('a use-after-reuse: 16 bytes a row from the first address, the reused, freed, view and faulting bytes marked', async () => {
    await withReportSelected('use-after-reuse', async (page) => {
      const dump = JSON.parse(await page.evaluate(readDump));
      assert.ok(dump, 'the detail shows the bytes');
      assert.equal(dump.rows.length, 6, '96 bytes, 16 a row');
      assert.deepEqual(dump.rows.map((row) => row.address),
        ['0x00010000', '0x00010010', '0x00010020', '0x00010030', '0x00010040', '0x00010050']);
      assert.equal(dump.rows[0].hex, '00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f');
      assert.equal(dump.rows[1].hex, '41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50');
      assert.equal(dump.rows[1].ascii, 'ABCDEFGHIJKLMNOP');
      assert.equal(dump.rows[0].ascii, '................', 'bytes that print nothing are dots');
      assert.deepEqual(dump.gaps, []);
      assert.deepEqual(dump.columns, ['Address/col', ...range(0, 16).map((i) => `${i.toString(16).padStart(2, '0')}/col`), 'ASCII/col']);
      assert.equal(dump.rowHeaders, true);
      assert.match(dump.caption, /^96 bytes from 0x00010000/);

      // The newer allocation is drawn over the part of the freed region it reused.
      assert.deepEqual(dump.reused, range(0x10010, 0x10030));
      assert.deepEqual(dump.freed, range(0x10030, 0x10050));
      assert.deepEqual(dump.live, []);
      assert.deepEqual(dump.view, range(0x10010, 0x10050));
      assert.equal(dump.stale, true, 'a dead view is drawn as a stale one');
      assert.deepEqual(dump.access, range(0x10018, 0x1001c), 'element [2] of a Float32Array');
      assert.deepEqual(dump.accessText, ['49', '4a', '4b', '4c']);
      assert.match(dump.accessTitle, /^0x00010018: 0x49 \(73\) · freed alloc #1 · reused by alloc #5 · stale view · faulting access$/);
      assert.deepEqual(dump.legend, [
        'freed alloc #1 [0x00010010, 0x00010050)',
        'reused by alloc #5 [0x00010010, 0x00010030)',
        'stale view [0x00010010, 0x00010050)',
        'faulting access [0x00010018, 0x0001001c)',
      ]);

      // Each mark has its colour: the panel's variables, not the page's default.
      const styles = JSON.parse(await page.evaluate(`JSON.stringify((() => {
        const at = (address) => getComputedStyle(document.querySelector('td[data-address="' + address + '"]'));
        return { freed: at(0x10030).backgroundColor, reused: at(0x10010).backgroundImage, outside: at(0x10000).backgroundColor,
          access: at(0x10018).outlineColor, accessWeight: at(0x10018).fontWeight, view: at(0x10040).boxShadow };
      })())`));
      assert.notEqual(styles.freed, styles.outside);
      assert.match(styles.reused, /repeating-linear-gradient/);
      assert.equal(styles.access, 'rgb(217, 48, 37)', '--error');
      assert.equal(styles.accessWeight, '700');
      assert.match(styles.view, /rgb\(232, 161, 0\)/, '--stale-view');

      // Docked right at 400 px: the page never scrolls sideways, the dump's own box does.
      const layout = JSON.parse(await page.evaluate(`JSON.stringify((() => {
        const root = document.documentElement;
        const box = document.querySelector('.byte-view-scroll');
        const rect = box.getBoundingClientRect();
        // What lies past the dock's edge, the cells the dump's box scrolls to aside.
        const wider = [...document.querySelectorAll('body *')].filter((element) => {
          const { right, width } = element.getBoundingClientRect();
          return width > 0 && right > root.clientWidth + 1 && !element.closest('.byte-view-scroll > *, .charts canvas');
        }).map((element) => element.id || element.className || element.tagName);
        return { pageScroll: root.scrollWidth, pageWidth: root.clientWidth, boxLeft: rect.left, boxRight: rect.right,
          boxScroll: box.scrollWidth, boxWidth: box.clientWidth, overflow: getComputedStyle(box).overflowX, wider };
      })())`));
      assert.ok(layout.pageScroll <= layout.pageWidth, `the page does not scroll sideways: ${JSON.stringify(layout)}`);
      assert.deepEqual(layout.wider, [], 'nothing else runs past the dock');
      assert.ok(layout.boxLeft >= 0 && layout.boxRight <= layout.pageWidth, `the dump's box fits the dock: ${JSON.stringify(layout)}`);
      assert.ok(layout.boxScroll > layout.boxWidth, `the dump scrolls in its box: ${JSON.stringify(layout)}`);
      assert.equal(layout.overflow, 'auto');
      await page.evaluate(`document.querySelector('#report-detail .byte-view').scrollIntoView()`);
      await page.screenshot(SCREENSHOT);
    });
  });

  test('a long view: its start and the faulting element\'s neighbourhood, with the gap between them said', async () => {
    await withReportSelected('use-after-free', async (page) => {
      const dump = JSON.parse(await page.evaluate(readDump));
      assert.equal(dump.rows.length, 16);
      assert.equal(dump.rows[0].address, '0x0001fff0');
      assert.equal(dump.rows[8].address, '0x00020ac0');
      assert.deepEqual(dump.gaps, [`… ${0x20ac0 - 0x20070} bytes not shown …`]);
      assert.deepEqual(dump.access, range(0x20af0, 0x20af4));
      assert.deepEqual(dump.freed, [...range(0x20000, 0x20070), ...range(0x20ac0, 0x20b40)]);
      assert.equal(dump.legend.at(-1), 'faulting access [0x00020af0, 0x00020af4)');
    }, 0);
  });

  test('dark: the same marks in the panel\'s dark colours; the dump\'s box is a labelled tab stop', async () => {
    await withReportSelected('use-after-reuse', async (page) => {
      await page.client.Emulation.setEmulatedMedia({ features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
      const look = JSON.parse(await page.evaluate(`JSON.stringify((() => {
        const access = getComputedStyle(document.querySelector('td.in-access'));
        const box = document.querySelector('.byte-view-scroll');
        return { access: access.outlineColor, text: access.color, role: box.getAttribute('role'),
          label: box.getAttribute('aria-label'), tabIndex: box.tabIndex };
      })())`));
      assert.equal(look.access, 'rgb(242, 139, 130)', 'dark --error');
      assert.equal(look.text, 'rgb(242, 139, 130)');
      assert.deepEqual([look.role, look.tabIndex], ['region', 0], 'a keyboard user can scroll it');
      assert.match(look.label, /hex dump/i);
    });
  });

  test('a report without memory (a file from before it) shows no dump', async () => {
    await withReportSelected('use-after-free', async (page) => {
      assert.equal(await page.evaluate(readDump), 'null');
      assert.match(await page.evaluate(`document.querySelector('#report-detail').textContent`), /ERROR: viewsan: use-after-free/);
    }, 1);
  });
});
