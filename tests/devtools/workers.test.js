// Modules that run in workers: `launch` and `attach` follow every worker target (nested ones too)
// with a session of its own, the binding installed before the worker's first script, and each
// worker's reports are attributed to its own context (the report file merges one place's).

import assert from 'node:assert/strict';
import CDP from 'chrome-remote-interface';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startChromium } from '../../devtools/lib/index.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { CHROMIUM, runCli, startCli } from './support/cli.js';
import { BUILD, builtOrSkip, REPO } from './support/repo.js';

const PAGE = '/tests/devtools/fixtures/workers/index.html';
const MODULE = 'tests/js/fixtures/freelist-heap.vs.wasm';

describe('workers', () => {
  let scratch;

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-devtools-workers-'));
  });

  after(() => rm(scratch, { recursive: true, force: true }));

  test('launch: a use-after-free in a worker and in its nested worker, each in its own context', async (t) => {
    if (!builtOrSkip(t, MODULE)) return;
    const reportFile = path.join(scratch, 'launch.json');
    const { status, stderr } = await runCli(['launch', `${PAGE}?nested=1`, '--root', REPO, '--mount', `/build=${BUILD}`,
      '--chromium', CHROMIUM, '--report', reportFile, '--idle', '700', '--timeout', '30']);
    assert.equal(status, 1, stderr);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));

    // One place in two workers: one report, counted twice (contract 3 deduplicates by place).
    assert.deepEqual(report.reports.map((r) => [r.kind, r.count]), [['use-after-free', 2]]);
    for (const r of report.reports) {
      assert.equal(r.region.allocSite.func, 'make_buffer');
      assert.equal(r.region.freeSite.func, 'consume');
      assert.match(r.stack, /worker\.js:\d+/);
    }
    // Which worker is which: the reports' events carry their context, the contexts say where they ran.
    const workerUrl = /\/tests\/devtools\/fixtures\/workers\/worker\.js$/;
    const byName = Object.fromEntries(report.contexts.map((context) => [context.name, context]));
    assert.deepEqual(Object.keys(byName).sort(), ['heap-worker', 'nested-heap-worker']);
    for (const context of report.contexts) {
      assert.equal(context.target, 'worker');
      assert.match(context.url, workerUrl);
    }
    const reportContexts = report.events.filter((event) => event.type === 'report').map((event) => event.context).sort();
    assert.deepEqual(reportContexts, [byName['heap-worker'].context, byName['nested-heap-worker'].context].sort());
    // Every event of a worker, from its first allocation on: the binding was there before its script ran.
    for (const { context } of report.contexts) {
      assert.deepEqual(report.events.filter((event) => event.context === context).map((event) => event.type),
        ['alloc', 'view', 'free', 'report']);
    }
    assert.equal(report.stats.errors, 2);
    // haltOnError is off in the fixture: the runtime prints each report with console.error, which
    // is that report again, not a page error of its own.
    assert.deepEqual(report.pageErrors, []);
  });

  test('attach: follows a page opened after attaching, and its worker', async (t) => {
    if (!builtOrSkip(t, MODULE)) return;
    const chromium = await startChromium({ executable: CHROMIUM });
    const server = await startStaticServer({ mounts: { '/': REPO, '/build/': BUILD } });
    try {
      const reportFile = path.join(scratch, 'attach.json');
      const cli = startCli(['attach', '--port', String(chromium.port), '--idle', '700', '--timeout', '30', '--report', reportFile]);
      await cli.waitForStderr(/attached to 1 page\(s\)/);
      // A new tab, after the CLI attached: it is paused at its start until wired.
      const target = await CDP.New({ host: '127.0.0.1', port: chromium.port, url: server.url(PAGE) });
      const { status, stderr } = await cli.exited;
      assert.equal(status, 1, stderr);
      const report = JSON.parse(await readFile(reportFile, 'utf8'));
      assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-free']);
      assert.deepEqual(report.contexts.map(({ target: type, name }) => [type, name]), [['worker', 'heap-worker']]);
      await CDP.Close({ host: '127.0.0.1', port: chromium.port, id: target.id });
    } finally {
      await server.close();
      await chromium.close();
    }
  });
});
