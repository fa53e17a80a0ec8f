// `viewsan-devtools attach` to a Chromium that already shows two pages: the pages report once
// they reload, each in its own context, and are left without the binding afterwards. A page whose
// viewsan runtime is already running starts reporting without a reload.

import assert from 'node:assert/strict';
import CDP from 'chrome-remote-interface';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startChromium } from '../../devtools/lib/index.js';
import { CHROMIUM, pageSending, startCli } from './support/cli.js';
import { BUILD, builtOrSkip, REPO } from './support/repo.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { useAfterFreeBatch } from './fixtures/events.js';

describe('viewsan-devtools attach', () => {
  let chromium;
  let server;
  let scratch;
  const pages = [];

  const reload = (client) => {
    const loaded = client.Page.loadEventFired();
    return client.Page.reload().then(() => loaded);
  };

  before(async () => {
    server = await startStaticServer({
      files: { '/uaf.html': pageSending(useAfterFreeBatch()), '/clean.html': pageSending(useAfterFreeBatch().slice(0, 2)) },
      mounts: { '/': REPO, '/build/': BUILD },
    });
    chromium = await startChromium({ executable: CHROMIUM });
    scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-devtools-test-'));
    for (const pathname of ['/uaf.html', '/clean.html']) {
      const target = await CDP.New({ host: '127.0.0.1', port: chromium.port });
      const client = await CDP({ host: '127.0.0.1', port: chromium.port, target });
      await client.Page.enable();
      const loaded = client.Page.loadEventFired();
      await client.Page.navigate({ url: server.url(pathname) });
      await loaded;
      pages.push(client);
    }
  });

  after(async () => {
    await Promise.all(pages.map((client) => client.close()));
    await chromium?.close();
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('collects from every page once it reloads, and exits 1 on its error report', async () => {
    const reportFile = path.join(scratch, 'attach.json');
    const cli = startCli(['attach', '--port', String(chromium.port), '--idle', '500', '--timeout', '20', '--report', reportFile]);
    // The about:blank tab Chromium starts with is a page too.
    await cli.waitForStderr(/^viewsan-devtools: attached to 3 page\(s\), following new pages and workers; a page already loaded reports from now on \(reload it to collect from its start\)$/m);
    await Promise.all(pages.map(reload));

    const { status, stderr } = await cli.exited;
    assert.equal(status, 1, stderr);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-free']);
    assert.equal(report.stats.allocs, 2);
    assert.equal(new Set(report.events.map((event) => event.context)).size, 2, 'one context per page');

    // The CLI is gone, and so is its binding.
    await reload(pages[0]);
    const { result } = await pages[0].Runtime.evaluate({ expression: 'typeof globalThis.__viewsan_devtools' });
    assert.equal(result.value, 'undefined');
  });

  test('a running viewsan runtime notices the binding and reports from then on, without a reload', async (t) => {
    if (!builtOrSkip(t, 'tests/js/fixtures/freelist-heap.vs.wasm')) return;
    const target = await CDP.New({ host: '127.0.0.1', port: chromium.port });
    const page = await CDP({ host: '127.0.0.1', port: chromium.port, target });
    try {
      await page.Page.enable();
      const loaded = page.Page.loadEventFired();
      await page.Page.navigate({ url: server.url('/tests/devtools/fixtures/heap-page/index.html?manual=1') });
      await loaded;
      const call = (expression) => page.Runtime.evaluate({ expression, awaitPromise: true, returnByValue: true });
      while (!(await call('document.body.dataset.ready === "1"')).result.value) await new Promise((r) => setTimeout(r, 50));
      await call('useAfterFree()'); // no consumer yet: nothing is recorded or sent

      const reportFile = path.join(scratch, 'running.json');
      const cli = startCli(['attach', '--port', String(chromium.port), '--timeout', '3', '--report', reportFile]);
      await cli.waitForStderr(/attached to \d+ page\(s\)/);
      // The runtime looks for a consumer about once a second.
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await call('useAfterFree()');

      const { status, stderr } = await cli.exited;
      assert.equal(status, 1, stderr);
      const report = JSON.parse(await readFile(reportFile, 'utf8'));
      assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-free']);
      // Only the second call's allocation: the first was made while no one listened.
      assert.deepEqual(report.events.filter((e) => e.type === 'alloc').map((e) => e.allocId), [2]);
    } finally {
      await page.close();
      await CDP.Close({ host: '127.0.0.1', port: chromium.port, id: target.id });
    }
  });
});

describe('viewsan-devtools attach, no page runs viewsan', () => {
  let chromium;
  let server;
  let scratch;

  before(async () => {
    server = await startStaticServer({ files: { '/plain.html': '<!doctype html><title>no viewsan here</title>' } });
    chromium = await startChromium({ executable: CHROMIUM });
    scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-devtools-test-'));
  });

  after(async () => {
    await chromium?.close();
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('exit 3, said on stderr and in the report file', async () => {
    const reportFile = path.join(scratch, 'never-ran.json');
    const cli = startCli(['attach', '--port', String(chromium.port), '--idle', '500', '--timeout', '5', '--report', reportFile]);
    await cli.waitForStderr(/^viewsan-devtools: attached to /m);
    const target = await CDP.New({ host: '127.0.0.1', port: chromium.port, url: server.url('/plain.html') });
    const { status, stderr } = await cli.exited;
    await CDP.Close({ host: '127.0.0.1', port: chromium.port, id: target.id });
    assert.equal(status, 3, stderr);
    assert.match(stderr, new RegExp(`^viewsan-devtools: the viewsan runtime never ran on the pages of the Chrome at 127\\.0\\.0\\.1:${chromium.port}: `, 'm'));
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.equal(report.guarded, false);
    assert.deepEqual(report.reports, []);
  });
});
