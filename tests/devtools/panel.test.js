// The panel in headless Chromium, fed a report file by URL and live from the CLI's server.
// Leaves devtools-panel.png in the working directory (CTest's: the build tree) for a look.

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startPanelServer, ViewsanModel } from '../../devtools/lib/index.js';
import { startBrowser } from './support/browser.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { busyBatch, useAfterFreeBatch } from './fixtures/events.js';

const PANEL_DIR = fileURLToPath(new URL('../../devtools/panel/', import.meta.url));
const SCREENSHOT = path.resolve('devtools-panel.png');

function fixtureReport() {
  const model = new ViewsanModel();
  model.ingest(busyBatch(), 1);
  model.ingest(useAfterFreeBatch(), 2);
  model.addPageError({
    type: 'exception', message: 'Uncaught ViewSanError: use-after-free on Float32Array view', url: 'http://app/app.js',
    line: 44, column: 9, stack: '    at drawMesh (http://app/app.js:44:9)', context: 2,
  });
  return model.toJSON();
}

const texts = (selector) => `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent)`;
const count = (selector) => `document.querySelectorAll(${JSON.stringify(selector)}).length`;

describe('panel', () => {
  let browser;

  before(async () => {
    browser = await startBrowser();
  });

  after(() => browser?.close());

  test('opens a report file given by ?report=URL', async () => {
    const server = await startStaticServer({
      files: { '/report.json': JSON.stringify(fixtureReport()) },
      mounts: { '/panel/': PANEL_DIR },
    });
    const page = await browser.open(server.url('/panel/index.html?report=/report.json'));
    try {
      await page.waitFor(`document.querySelector('tr.report-row[data-kind="use-after-free"]')`);
      assert.deepEqual(await page.evaluate(texts('tr.report-row .report-kind')), ['use-after-reuse', 'copy-out', 'use-after-free']);
      assert.equal(await page.evaluate(`document.querySelector('#status').dataset.state`), 'ready');
      assert.equal(await page.evaluate(`document.querySelector('[data-counter="Errors"] .counter-value').textContent`), '2');
      assert.equal(await page.evaluate(`document.title`), 'viewsan: 2 errors');
      assert.equal(await page.evaluate(count('#page-errors li')), 1);

      // The map and timeline follow the newest report's session until a report is picked.
      assert.equal(await page.evaluate(count('#region-map g.region')), 1);
      await page.evaluate(`document.querySelector('tr.report-row[data-kind="use-after-reuse"]').click()`);
      await page.waitFor(`document.querySelector('#report-detail h3')?.textContent === 'use-after-reuse'`);
      assert.match(await page.evaluate(`document.querySelector('#report-detail').textContent`), /Freed atrender_frame → free \(call, \+0x1f0\)/);

      assert.equal(await page.evaluate(count('#region-map g.region')), 5);
      assert.equal(await page.evaluate(count('#region-map g.region.live')), 2);
      assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('#region-map g.region.selected')].map((g) => g.dataset.allocId)`), ['1']);
      assert.equal(await page.evaluate(count('#region-map g.view')), 2, 'whole-buffer views are not drawn');
      assert.equal(await page.evaluate(count('#timeline rect.lifetime')), 5);
      assert.equal(await page.evaluate(count('#timeline .grow-marker')), 2);
      assert.equal(await page.evaluate(count('#timeline .report-marker')), 2);

      await page.screenshot(SCREENSHOT);
    } finally {
      await page.close();
      await server.close();
    }
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
      assert.equal(await page.evaluate(count('tr.report-row')), 0);

      model.ingest(useAfterFreeBatch().slice(2), 1);
      await page.waitFor(`document.querySelector('tr.report-row[data-kind="use-after-free"]')`);
      model.addPageError({ type: 'console', message: 'decoder failed', url: null });
      await page.waitFor(`document.querySelectorAll('#page-errors li').length === 1`);

      server.finish('idle');
      assert.equal(await page.waitFor(`document.querySelector('#status[data-state="ended"]')?.textContent`), 'Run over (idle)');
    } finally {
      await page.close();
      await server.close();
    }
  });
});
