// End to end with the real invert sample: its buggy flow runs in headless Chromium through
// `viewsan-devtools launch --report`, then the standalone panel opens that report in Chromium and
// shows the violation with its sites and stacks. Leaves devtools-sample-panel.png and
// devtools-sample-report.json in the working directory (CTest's: the build tree) for CI to keep.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { startBrowser } from './support/browser.js';
import { CHROMIUM, runCli } from './support/cli.js';
import { BUILD, builtOrSkip, REPO } from './support/repo.js';

const PANEL_DIR = fileURLToPath(new URL('../../devtools/panel/', import.meta.url));
const SCREENSHOT = path.resolve('devtools-sample-panel.png');
const REPORT = path.resolve('devtools-sample-report.json');
const FRAME_BYTES = 1920 * 1080 * 4;

describe('invert sample, buggy flow, in the panel', () => {
  let browser;

  before(async () => {
    browser = await startBrowser();
  });

  after(() => browser?.close());

  test('launch --report collects the use-after-grow; the panel shows it with its sites and stacks', async (t) => {
    if (!builtOrSkip(t, 'samples/invert/invert.vs.wasm', 'samples/invert/invert.js')) return;
    const { status, stderr } = await runCli(['launch', '/samples/invert/web/index.html?flow=buggy&build=/build/samples/invert',
      '--root', REPO, '--mount', `/build=${BUILD}`, '--chromium', CHROMIUM, '--report', REPORT, '--idle', '1500', '--timeout', '40']);
    assert.equal(status, 1, stderr);
    const report = JSON.parse(await readFile(REPORT, 'utf8'));
    assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-grow']);
    const [violation] = report.reports;
    assert.equal(violation.region.allocSite.func, 'frame_alloc');
    assert.equal(violation.grow.site.kind, 'js');
    assert.ok(violation.message.split('\n').length > 5, 'the runtime prints a multi-line report');

    const server = await startStaticServer({
      files: { '/report.json': JSON.stringify(report) },
      mounts: { '/panel/': PANEL_DIR },
    });
    const page = await browser.open(server.url('/panel/index.html?report=/report.json'), { width: 1400 });
    try {
      await page.waitFor(`document.querySelector('.report-row[data-kind="use-after-grow"]')`);
      // The list shows the first line of the message, without the prefix the kind column says.
      const row = await page.evaluate(`document.querySelector('.report-row .report-message').textContent`);
      assert.equal(row, violation.message.split('\n')[0].replace('ERROR: viewsan: ', ''));
      assert.equal(await page.evaluate(`document.querySelector('.report-row .report-where').textContent`),
        'page /samples/invert/web/index.html');

      await page.evaluate(`document.querySelector('.report-row').click()`);
      await page.waitFor(`document.querySelector('#report-detail h3')?.textContent === 'use-after-grow'`);
      const field = (name) => page.evaluate(`[...document.querySelectorAll('#report-detail dt')]
        .find((dt) => dt.textContent === ${JSON.stringify(name)})?.nextElementSibling.textContent`);
      assert.equal(await field('Allocated by'), 'frame_alloc (calls malloc) at code offset 0x194');
      assert.match(await field('Grow'), /^256 → 1231 pages in JavaScript$/);
      assert.equal(await field('Region'), `[0x00500608, 0x00ce9608), ${FRAME_BYTES} bytes, alloc #2`);
      // The full text, stacks included: where JavaScript grew the memory and where the view was made.
      const message = await page.evaluate(`document.querySelector('#report-detail .detail-message').textContent`);
      assert.equal(message, violation.message);
      assert.match(message, /in JavaScript, which detached the view's buffer\n {4}at emscripten_realloc_buffer \(.*invert\.js:\d+:\d+\)\n {4}at _emscripten_resize_heap/);

      // The frame is drawn with the stale view over it; the timeline marks the grow and the report.
      await page.waitFor(`document.querySelector('#region-map canvas')?.dataset.selected === '2'`);
      const map = await page.evaluate(`({ ...document.querySelector('#region-map canvas').dataset })`);
      assert.equal(map.live, '1', JSON.stringify(map));
      assert.ok(Number(map.staleViews) >= 1, JSON.stringify(map));
      await page.waitFor(`document.querySelector('#timeline canvas')?.dataset.reports === '1'`);
      const timeline = await page.evaluate(`({ ...document.querySelector('#timeline canvas').dataset })`);
      assert.deepEqual([timeline.grows, timeline.reports], ['1', '1']);

      await page.screenshot(SCREENSHOT);
    } finally {
      await page.close();
      await server.close();
    }
  });
});
