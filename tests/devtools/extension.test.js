// The Chrome extension in headless Chromium, loaded unpacked from `viewsan-devtools extension`:
// with --auto-open-devtools-for-tabs each tab gets a DevTools front end, where devtools.html adds
// the viewsan panel; the test shows it and reads its DOM. Through it run the content script's
// announcement and relay, the service worker's routing and backlog, and the panel's extension
// feed. The runtime's side (it starts posting when the announcement comes late, and posts
// nothing before) is tested without the extension.

import assert from 'node:assert/strict';
import CDP from 'chrome-remote-interface';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startChromium, writeExtension } from '../../devtools/lib/index.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { startBrowser } from './support/browser.js';
import { CHROMIUM } from './support/cli.js';
import { BUILD, builtOrSkip, REPO } from './support/repo.js';

const HEAP_PAGE = '/tests/devtools/fixtures/heap-page/index.html';
const MODULE = 'tests/js/fixtures/freelist-heap.vs.wasm';
const HOST = '127.0.0.1';

async function evaluate(client, expression) {
  const { result, exceptionDetails } = await client.Runtime.evaluate({ expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return result.value;
}

async function waitFor(client, expression, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await evaluate(client, expression);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await delay(50);
  }
}

async function openTab(port, url) {
  const target = await CDP.New({ host: HOST, port, url: 'about:blank' });
  const client = await CDP({ host: HOST, port, target });
  await client.Page.enable();
  const loaded = client.Page.loadEventFired();
  await client.Page.navigate({ url });
  await loaded;
  return { client, target };
}

// Finds the DevTools window that inspects `pageUrl` and shows its viewsan panel; returns the
// panel's id. DevTools windows are pages of their own (devtools://…).
async function findPanelTab(port, pageUrl, connect) {
  const deadline = Date.now() + 15_000;
  const expression = `(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const SDK = await import('./core/sdk/sdk.js');
    const inspected = SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL();
    if (inspected !== ${JSON.stringify(pageUrl)}) return { inspected };
    const tab = UI.InspectorView.InspectorView.instance().tabbedPane.tabs.find((t) => t.title === 'viewsan');
    if (!tab) return { inspected };
    await UI.ViewManager.ViewManager.instance().showView(tab.id);
    return { inspected, panel: tab.id };
  })()`;
  const windows = new Map();
  while (Date.now() < deadline) {
    for (const target of await CDP.List({ host: HOST, port })) {
      if (!target.url.startsWith('devtools://')) continue;
      if (!windows.has(target.id)) windows.set(target.id, await connect(target));
      const { result } = await windows.get(target.id).Runtime.evaluate({ expression, awaitPromise: true, returnByValue: true });
      if (result.value?.panel) {
        // A headless DevTools window is hidden, and a hidden panel waits to render until shown.
        await windows.get(target.id).Page.bringToFront();
        return result.value.panel;
      }
    }
    await delay(100);
  }
  throw new Error(`no DevTools window with a viewsan panel inspects ${pageUrl}`);
}

describe('Chrome extension', () => {
  let scratch;
  let server;

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-extension-'));
    server = await startStaticServer({ mounts: { '/': REPO, '/build/': BUILD } });
  });

  after(async () => {
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test("the viewsan panel in DevTools shows a page's report, from the backlog and then live", async (t) => {
    if (!builtOrSkip(t, MODULE)) return;
    const { dir } = await writeExtension(path.join(scratch, 'extension'));
    const chromium = await startChromium({
      executable: CHROMIUM,
      args: [`--load-extension=${dir}`, `--disable-extensions-except=${dir}`, '--auto-open-devtools-for-tabs'],
    });
    const clients = [];
    const connect = async (target) => {
      const client = await CDP({ host: HOST, port: chromium.port, target });
      clients.push(client);
      return client;
    };
    const findTarget = async (predicate, what) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const target = (await CDP.List({ host: HOST, port: chromium.port })).find(predicate);
        if (target) return target;
        await delay(50);
      }
      throw new Error(`no ${what} target`);
    };
    try {
      // The page runs before the panel is shown: its batches wait in the service worker's backlog.
      const pageTarget = await CDP.New({ host: HOST, port: chromium.port, url: server.url(HEAP_PAGE) });
      const page = await connect(pageTarget);
      await waitFor(page, 'document.body?.dataset.ready === "1"');
      assert.equal(await evaluate(page, 'document.documentElement.dataset.viewsanExtension'), '1', 'the content script announced itself');

      // Each tab got a DevTools window; in the page's, show the viewsan panel. (This goes through
      // the DevTools front end's own modules: headless Chromium has no window to click in.)
      const panelTab = await findPanelTab(chromium.port, pageTarget.url, connect);
      assert.match(panelTab, /viewsan$/, 'devtools.html added a "viewsan" panel');
      const panelTarget = await findTarget((target) => target.url.endsWith('/panel/index.html'), 'viewsan panel');
      const panel = await connect(panelTarget);
      await waitFor(panel, `document.querySelector('.report-row[data-kind="use-after-free"]')`);
      assert.equal(await evaluate(panel, 'document.body.dataset.shell'), 'extension');
      assert.equal(await evaluate(panel, `document.querySelector('.report-row .report-where').textContent`), `page ${HEAP_PAGE}`);
      assert.equal(await evaluate(panel, `document.querySelector('[data-counter="Allocs"] .counter-value').textContent`), '1');

      // Live from now on: a second use-after-free reaches the open panel.
      await evaluate(page, 'useAfterFree()');
      await waitFor(panel, `document.querySelectorAll('.report-row').length === 2`);
      assert.equal(await evaluate(panel, `document.querySelector('#status').dataset.state`), 'live');

      // Export: the run as a report file, downloaded from the panel in DevTools.
      const downloads = path.join(scratch, 'downloads');
      const { webSocketDebuggerUrl } = await CDP.Version({ host: HOST, port: chromium.port });
      const browserClient = await CDP({ target: webSocketDebuggerUrl });
      clients.push(browserClient);
      await browserClient.Browser.setDownloadBehavior({ behavior: 'allow', downloadPath: downloads });
      await evaluate(panel, `document.querySelector('#export-report').click()`);
      let exported = null;
      for (let attempt = 0; attempt < 100 && !exported; attempt++) {
        const name = (await readdir(downloads).catch(() => [])).find((file) => /^viewsan-report-.*\.json$/.test(file));
        if (name) exported = JSON.parse(await readFile(path.join(downloads, name), 'utf8'));
        else await delay(50);
      }
      assert.ok(exported, 'the panel in DevTools downloaded a viewsan-report-….json');
      assert.deepEqual(exported.reports.map((report) => report.kind), ['use-after-free', 'use-after-free']);
      assert.equal(exported.stats.errors, 2);
    } finally {
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      await chromium.close();
    }
  });

  test('the runtime posts nothing until the extension announces itself, then starts', async (t) => {
    if (!builtOrSkip(t, MODULE)) return;
    const browser = await startBrowser();
    try {
      const page = await browser.open(server.url(`${HEAP_PAGE}?manual=1`));
      await page.waitFor('document.body.dataset.ready === "1"');
      await page.evaluate(`globalThis.posted = [];
        addEventListener('message', ({ data }) => data?.source === 'viewsan' && posted.push(JSON.parse(data.batch)));
        useAfterFree()`);
      await delay(300);
      assert.equal(await page.evaluate('posted.length'), 0, 'no consumer, no batch');

      // What the content script does when it arrives after the runtime started.
      await page.evaluate(`document.documentElement.dataset.viewsanExtension = '1'`);
      await page.evaluate('new Promise((resolve) => setTimeout(resolve, 0))');
      await page.evaluate('useAfterFree()');
      const types = await page.waitFor(`posted.length > 0 && posted.flatMap((batch) => batch.events).map((event) => event.type).join(' ')`);
      assert.equal(await page.evaluate('posted.every((batch) => batch.v === 1)'), true, 'every batch carries the protocol version');
      assert.match(types, /^alloc view free report/);
      assert.equal(await page.evaluate(`posted.flatMap((batch) => batch.events).find((event) => event.type === 'alloc').allocId`), 2,
        'the allocation made before the announcement was not recorded');
      await page.close();
    } finally {
      await browser.close();
    }
  });
});
