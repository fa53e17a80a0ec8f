// `viewsan-devtools attach` to a Chromium that already shows two pages: the pages report once
// they reload, each in its own context, and are left without the binding afterwards.

import assert from 'node:assert/strict';
import CDP from 'chrome-remote-interface';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startChromium } from '../../devtools/lib/index.js';
import { CHROMIUM, pageSending, startCli } from './support/cli.js';
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
    await cli.waitForStderr(/^viewsan-devtools: attached to 3 page\(s\); a page already loaded reports from its next navigation on$/m);
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
});
