// `viewsan-devtools launch` against pages served on loopback, in real headless Chromium.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launch } from '../../devtools/lib/index.js';
import { CHROMIUM, refusingPort, pageSending, runCli, startCli } from './support/cli.js';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { useAfterFreeBatch, useAfterFreeReport } from './fixtures/events.js';
import { encodeBatch } from 'viewsan/protocol';
import { BUILD, REPO, builtOrSkip } from './support/repo.js';

const FAST = ['--idle', '300', '--timeout', '20', '--chromium', CHROMIUM];

describe('viewsan-devtools launch', () => {
  let server;
  let scratch;

  before(async () => {
    const [alloc] = useAfterFreeBatch();
    server = await startStaticServer({
      files: {
        '/use-after-free.html': pageSending(useAfterFreeBatch()),
        '/clean.html': pageSending([alloc]),
        // One batch at once, one after the load event: the idle clock must wait for the second.
        '/late.html': pageSending(useAfterFreeBatch().slice(0, 2),
          `addEventListener('load', () => setTimeout(() => __viewsan_devtools(${JSON.stringify(encodeBatch(useAfterFreeBatch().slice(2)))}), 150));`),
        // A runtime from before protocol versions sent the bare array of events.
        '/legacy.html': pageSending(useAfterFreeBatch(), '', JSON.stringify),
        // One batch of version 1, then two of a version this viewsan-devtools does not read.
        '/newer.html': pageSending(useAfterFreeBatch().slice(0, 2),
          `__viewsan_devtools(${JSON.stringify(JSON.stringify({ v: 2, events: useAfterFreeBatch().slice(2) }))});`.repeat(2)),
        '/page-errors.html': pageSending([], `console.error('decoder failed', 42);
          setTimeout(() => { throw new TypeError('view detached'); });`),
        '/malformed.html': '<script>__viewsan_devtools("{not json")</script>',
        // A report at once, then a page that stays busy: the run goes on until it is stopped.
        '/busy.html': pageSending(useAfterFreeBatch(), `setInterval(() => __viewsan_devtools(${JSON.stringify(encodeBatch([]))}), 50);`),
        // A page built without viewsan: its runtime never calls the binding.
        '/no-runtime.html': '<!doctype html><title>no viewsan here</title><script>WebAssembly.validate(new Uint8Array(8));</script>',
      },
    });
    scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-devtools-test-'));
  });

  after(async () => {
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('a page that reports a use-after-free: exit 1 and the report file', async () => {
    const reportFile = path.join(scratch, 'uaf.json');
    const { status, stderr } = await runCli(['launch', server.url('/use-after-free.html'), '--report', reportFile, ...FAST]);
    assert.equal(status, 1, stderr);

    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.equal(report.version, 1);
    assert.deepEqual(report.reports, [useAfterFreeReport]);
    assert.deepEqual(report.stats, {
      allocs: 1, frees: 1, reallocs: 0, grows: 0, liveBytes: 0, peakBytes: 64, copyOutBytes: 0, errors: 1, warnings: 0,
      unseenFrees: 0,
    });
    assert.deepEqual(report.events, useAfterFreeBatch().map((event) => ({ ...event, context: 1 })));
    assert.deepEqual(report.pageErrors, []);

    assert.match(stderr, /^viewsan-devtools: 1 error, 0 warnings, 0 page errors \(the page went idle\)$/m);
    assert.match(stderr, /^ERROR: use-after-free on a Float32Array view of 16 elements at 0x10010\n {4}at Proxy\.get \(viewsan\.js:1:1\)\n {4}at drawMesh \(http:\/\/app\/app\.js:44:9\)\nviewsan-devtools: 1 error/m,
      'printed as it arrived, before the summary');
  });

  test('an error is printed as it arrives, while the run goes on', async () => {
    const cli = startCli(['launch', server.url('/busy.html'), '--idle', '60000', '--timeout', '60', '--chromium', CHROMIUM]);
    let exited = false;
    cli.exited.then(() => { exited = true; });
    await cli.waitForStderr(/^ERROR: use-after-free on a Float32Array view of 16 elements at 0x10010\n {4}at Proxy\.get/m);
    assert.equal(exited, false, 'the line came before the run ended');
    cli.child.kill('SIGINT');
    const { status, stderr } = await cli.exited;
    assert.equal(status, 1, stderr);
    assert.match(stderr, /^viewsan-devtools: 1 error, 0 warnings, 0 page errors \(interrupted\)$/m);
  });

  test('a page without reports: exit 0, and the report file is still written', async () => {
    const reportFile = path.join(scratch, 'clean.json');
    const { status, stderr } = await runCli(['launch', server.url('/clean.html'), '--report', reportFile, ...FAST]);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.deepEqual(report.reports, []);
    assert.equal(report.stats.allocs, 1);
    assert.equal(report.stats.liveBytes, 64);
  });

  test('a page where the runtime never ran: exit 3, said on stderr and in the report file', async () => {
    const reportFile = path.join(scratch, 'no-runtime.json');
    const url = server.url('/no-runtime.html');
    const { status, stderr } = await runCli(['launch', url, '--report', reportFile, ...FAST]);
    assert.equal(status, 3, stderr);
    const line = `viewsan-devtools: the viewsan runtime never ran on ${url}: no page or worker sent viewsan's events, ` +
      'so nothing was guarded (load the instrumented build with viewsan/register.js or instantiate() on the page)';
    assert.equal(stderr.split('\n').filter((l) => l.includes('never ran')).join('\n'), line);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.equal(report.guarded, false);
    assert.equal(report.message, line.replace(/^viewsan-devtools: /, ''));
    assert.deepEqual(report.reports, []);
    assert.deepEqual(report.events, []);
  });

  test('a page whose runtime ran: the report file says it was guarded', async () => {
    const reportFile = path.join(scratch, 'guarded.json');
    const { status, stderr } = await runCli(['launch', server.url('/clean.html'), '--report', reportFile, ...FAST]);
    assert.equal(status, 0, stderr);
    assert.doesNotMatch(stderr, /never ran/);
    assert.equal(JSON.parse(await readFile(reportFile, 'utf8')).guarded, true);
  });

  test('--serve: the panel stays up after the run until Ctrl-C', async () => {
    const cli = startCli(['launch', server.url('/use-after-free.html'), '--serve', ...FAST]);
    const [, panelUrl] = await cli.waitForStderr(/^viewsan-devtools: panel at (http:\/\/127\.0\.0\.1:\d+\/)$/m);
    await cli.waitForStderr(/run over; the panel stays at/);
    const report = await (await fetch(new URL('report.json', panelUrl))).json();
    assert.deepEqual(report.reports, [useAfterFreeReport]);

    cli.child.kill('SIGINT');
    const { status, stderr } = await cli.exited;
    assert.equal(status, 1, stderr);
  });

  test('Ctrl-C during a run ends it and still writes the report', async () => {
    const reportFile = path.join(scratch, 'interrupted.json');
    const cli = startCli(['launch', server.url('/use-after-free.html'), '--serve', '--report', reportFile,
      '--chromium', CHROMIUM, '--idle', '60000']);
    const [, panelUrl] = await cli.waitForStderr(/panel at (\S+)/);
    // The report reaching the panel server shows the run is under way.
    while ((await (await fetch(new URL('report.json', panelUrl))).json()).reports.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    cli.child.kill('SIGINT');
    const { status, stderr } = await cli.exited;
    assert.equal(status, 1, stderr);
    assert.match(stderr, /1 error, 0 warnings, 0 page errors \(interrupted\)/);
    assert.deepEqual(JSON.parse(await readFile(reportFile, 'utf8')).reports, [useAfterFreeReport]);
  });

  test('a server that refuses the connection: exit 2', async () => {
    const url = `http://127.0.0.1:${await refusingPort()}/`;
    const { status, stderr } = await runCli(['launch', url, ...FAST]);
    assert.equal(status, 2);
    assert.equal(stderr, `viewsan-devtools: page failed to load: net::ERR_CONNECTION_REFUSED (${url})\n`);
  });

  test('a page the server does not have: exit 2', async () => {
    const url = server.url('/missing.html');
    const { status, stderr } = await runCli(['launch', url, ...FAST]);
    assert.equal(status, 2);
    assert.equal(stderr, `viewsan-devtools: page failed to load: HTTP 404 (${url})\n`);
  });

  test('launch() waits for batches that come after the load event', async () => {
    const result = await launch({ url: server.url('/late.html'), chromium: CHROMIUM, idleMs: 1000 });
    assert.equal(result.endedBy, 'idle');
    assert.equal(result.loaded, true);
    assert.deepEqual(result.report.reports, [useAfterFreeReport]);
  });

  test('launch() records uncaught exceptions and console errors as page errors', async () => {
    const result = await launch({ url: server.url('/page-errors.html'), chromium: CHROMIUM, idleMs: 300 });
    const url = server.url('/page-errors.html');
    assert.deepEqual(result.report.pageErrors.map(({ type, message, url: where }) => ({ type, message, url: where })), [
      { type: 'console', message: 'decoder failed 42', url },
      { type: 'exception', message: 'Uncaught TypeError: view detached', url },
    ]);
    assert.match(result.report.pageErrors[1].stack, /^ {4}at .*page-errors\.html:4:/);
    assert.equal(result.report.stats.errors, 0, 'page errors are not viewsan reports');
  });

  test('launch() ignores a batch that is not JSON and says so', async () => {
    const result = await launch({ url: server.url('/malformed.html'), chromium: CHROMIUM, idleMs: 300 });
    assert.deepEqual(result.report.events, []);
    assert.deepEqual(result.warnings, [`ignored a batch from ${server.url('/malformed.html')} that is not a batch of viewsan events`]);
  });

  test('launch() reads the bare arrays of runtimes from before protocol versions', async () => {
    const result = await launch({ url: server.url('/legacy.html'), chromium: CHROMIUM, idleMs: 300 });
    assert.deepEqual(result.report.reports, [useAfterFreeReport]);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.skippedBatches, 0);
  });

  test('batches of a newer protocol version: skipped, one warning, exit 2 and the report says why', async () => {
    const reportFile = path.join(scratch, 'newer.json');
    const { status, stderr } = await runCli(['launch', server.url('/newer.html'), '--report', reportFile, ...FAST]);
    assert.equal(status, 2, stderr);
    const warning = 'skipped events of a newer viewsan runtime: it sends event-stream version 2, and this ' +
      "viewsan-devtools reads version 1 (update viewsan-devtools to the page's viewsan version)";
    assert.equal(stderr.split('\n').filter((line) => line.includes('skipped events')).length, 1, stderr);
    assert.ok(stderr.includes(`  warning: ${warning}\n`), stderr);
    const message = 'could not read 2 batches of events from a newer viewsan runtime, so the run is not judged: ' +
      'update viewsan-devtools to the viewsan the page loads';
    assert.ok(stderr.endsWith(`viewsan-devtools: ${message}\n`), stderr);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.equal(report.guarded, true);
    assert.equal(report.message, message);
    assert.deepEqual(report.reports, [], 'the report came in a skipped batch');
    assert.equal(report.stats.allocs, 1, 'the version-1 batch was read');
  });

  test('launch() ends at the timeout when the page never finishes loading', async () => {
    // A response that never ends keeps the load event from firing.
    const stalled = createServer((request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).write('<p>'));
    stalled.listen(0, '127.0.0.1');
    await once(stalled, 'listening');
    try {
      const result = await launch({ url: `http://127.0.0.1:${stalled.address().port}/`, chromium: CHROMIUM, timeoutMs: 1500 });
      assert.equal(result.endedBy, 'timeout');
      assert.equal(result.loaded, false);
    } finally {
      stalled.closeAllConnections();
      stalled.close();
    }
  });

  test('launch() ends at the timeout, and at Ctrl-C, when the server never answers', async () => {
    // Connections are taken and never answered: Chromium's navigation never starts a response.
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const url = `http://127.0.0.1:${silent.address().port}/`;
    try {
      const started = Date.now();
      const result = await launch({ url, chromium: CHROMIUM, timeoutMs: 1500 });
      assert.equal(result.endedBy, 'timeout');
      assert.equal(result.loaded, false);
      assert.ok(Date.now() - started < 15_000, `ended ${Date.now() - started} ms after it began`);

      const interrupt = new AbortController();
      setTimeout(() => interrupt.abort(), 1500);
      const interrupted = await launch({ url, chromium: CHROMIUM, timeoutMs: 60_000, signal: interrupt.signal });
      assert.equal(interrupted.endedBy, 'interrupted');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

// Pages that load the real viewsan runtime (register.js) but give it nothing to guard.
describe('viewsan-devtools launch, the runtime loaded with nothing to guard', () => {
  let server;
  let scratch;
  // The smallest module with a memory JavaScript can view: the magic number and version, one
  // memory of one page, exported as "memory". (A module with no visible memory has nothing to
  // guard and is not named.)
  const EMPTY_MODULE = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00]);
  const shimBuilt = existsSync(path.join(REPO, 'runtime-shim/js/viewsan-shim.wasm'));

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-devtools-unguarded-'));
    await writeFile(path.join(scratch, 'plain.wasm'), EMPTY_MODULE);
    await writeFile(path.join(scratch, 'early.wasm'), EMPTY_MODULE);
    server = await startStaticServer({
      mounts: { '/viewsan/': path.join(REPO, 'runtime-shim/js'), '/wasm/': scratch, '/fixtures/': path.join(BUILD, 'tests/js/fixtures') },
      files: {
        // An instrumented module, guarded, that the page never calls: no allocation, no view.
        '/register-idle.html': `<!doctype html><script type="module" src="/viewsan/register.js"></script>
          <script type="module">await WebAssembly.instantiateStreaming(fetch('/fixtures/freelist-heap.vs.wasm'));</script>`,
        '/register-plain.html': `<!doctype html><script type="module" src="/viewsan/register.js"></script>
          <script type="module">await WebAssembly.instantiateStreaming(fetch('/wasm/plain.wasm'));</script>`,
        // The app instantiates its module first, and loads register.js only afterwards.
        '/register-late.html': `<!doctype html><script>
          fetch('/wasm/early.wasm').then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b)).then(() => {
            const script = document.createElement('script');
            script.type = 'module';
            script.src = '/viewsan/register.js';
            document.head.append(script);
          });</script>`,
      },
    });
  });

  after(async () => {
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const pageErrorsNaming = (report) => report.pageErrors.map((e) => e.message).filter((m) => m.includes('is not guarded'));

  test('register.js with only an uninstrumented module: named on the console, exit 3', { skip: !shimBuilt && 'viewsan-shim.wasm is not built' }, async () => {
    const reportFile = path.join(scratch, 'plain.json');
    const url = server.url('/register-plain.html');
    const { status, stderr } = await runCli(['launch', url, '--report', reportFile, ...FAST]);
    assert.equal(status, 3, stderr);
    assert.match(stderr, /^viewsan-devtools: the viewsan runtime never ran on /m);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.equal(report.guarded, false);
    assert.deepEqual(pageErrorsNaming(report), [
      `viewsan: WARNING: ${server.url('/wasm/plain.wasm')} is not guarded: it is not instrumented (it imports nothing ` +
        'from viewsan and has no viewsan.sites section; run viewsan-instrument on it)',
    ]);
  });

  test('a guarded module the page never calls: the runtime ran, exit 0', async (t) => {
    if (!shimBuilt || !builtOrSkip(t, 'tests/js/fixtures/freelist-heap.vs.wasm')) return;
    const reportFile = path.join(scratch, 'idle.json');
    const { status, stderr } = await runCli(['launch', server.url('/register-idle.html'), '--report', reportFile, ...FAST]);
    assert.equal(status, 0, stderr);
    assert.doesNotMatch(stderr, /never ran/);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.notEqual(report.guarded, false);
    assert.deepEqual(report.reports, []);
  });

  test('a module the page instantiated before register.js loaded is named as such', { skip: !shimBuilt && 'viewsan-shim.wasm is not built' }, async () => {
    const reportFile = path.join(scratch, 'late.json');
    const { status, stderr } = await runCli(['launch', server.url('/register-late.html'), '--report', reportFile, ...FAST]);
    assert.equal(status, 3, stderr);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.deepEqual(pageErrorsNaming(report), [
      `viewsan: WARNING: ${server.url('/wasm/early.wasm')} is not guarded: it was loaded before viewsan's register.js ran ` +
        "(load register.js before the app's loader)",
    ]);
  });
});
