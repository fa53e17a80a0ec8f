// Workers started by a page that loaded register.js get the runtime: blob:, data: and same-origin
// URLs, classic and module, in real headless Chromium. The page's app knows nothing of viewsan;
// each of its workers instantiates an instrumented module and reads a view after a free.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startStaticServer } from '../../devtools/lib/static-server.js';
import { startBrowser } from '../devtools/support/browser.js';

const root = path.resolve(import.meta.dirname, '../..');
const build = process.env.VIEWSAN_BUILD_DIR;
const chromium = process.env.VIEWSAN_CHROMIUM ?? 'chromium';
const PAGE = '/tests/browser/pages/workers.html?fixtures=/build/tests/js/fixtures';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-workers-'));

// Each kind of worker and the size it allocates (tests/browser/pages/workers-app.js).
const KINDS = {
  'blob/classic': 16,
  'blob/module': 24,
  'data/classic': 32,
  'data/module': 40,
  'file/classic': 48,
  'file/module': 56,
  'file-relative/classic': 64,
};

let server;
let browser;
let results;

before(async () => {
  server = await startStaticServer({ mounts: { '/': root, '/build/': build } });
  browser = await startBrowser();
  const page = await browser.open(server.url(PAGE));
  await page.waitFor("document.title === 'done'", 60000);
  results = await page.evaluate('window.workerResults');
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

for (const [kind, size] of Object.entries(KINDS)) {
  test(`${kind} worker: the stale read throws use-after-free in the worker`, () => {
    const result = results[`${kind}/buggy`];
    assert.match(result.error ?? '',
      new RegExp(`^Uncaught ViewSanError: ERROR: viewsan: use-after-free on a Uint8Array view of ${size} elements`),
      JSON.stringify(result));
  });

  test(`${kind} worker: the correct flow runs as without viewsan`, () => {
    const result = results[`${kind}/correct`];
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.answer?.value, 7, JSON.stringify(result));
    // The worker still sees its own URL, though a wrapper started it.
    assert.equal(result.answer.location, result.url);
  });
}

test('a SharedWorker is named on the console as unguarded', () => {
  assert.equal(results.sharedWorker.length, 1, JSON.stringify(results.sharedWorker));
  assert.match(results.sharedWorker[0], /^viewsan: WARNING: SharedWorker \S+\/worker-flow\.js runs unguarded/);
});

test("a worker the page's Content-Security-Policy keeps from a wrapper runs as it is, named", async () => {
  const page = await browser.open(server.url('/tests/browser/pages/workers-csp.html?fixtures=/build/tests/js/fixtures'));
  await page.waitFor("document.title === 'done'", 30000);
  const { answer, logged } = await page.evaluate('window.cspResult');
  assert.equal(answer.value, 7, JSON.stringify(answer));
  assert.equal(logged.length, 1, JSON.stringify(logged));
  assert.match(logged[0], /^viewsan: WARNING: worker \S+\/worker-flow\.js runs unguarded: the page's Content-Security-Policy keeps blob: out of worker-src/);
  await page.close();
});

test("the page's VIEWSAN_OPTIONS reach its workers; viewsan-devtools collects every worker's report", () => {
  const report = path.join(scratch, 'workers.json');
  const cli = spawnSync(process.execPath, [
    path.join(root, 'devtools/bin/viewsan-devtools.js'), 'launch',
    '--root', root, '--mount', `/build=${build}`, '--chromium', chromium,
    `${PAGE}&options=halt_on_error=0`, '--report', report, '--timeout', '45', '--idle', '3000',
  ], { encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  const { reports, pageErrors } = JSON.parse(readFileSync(report, 'utf8'));
  // halt_on_error=0: recorded and printed, not thrown; one report for each buggy worker, none for
  // the correct ones.
  assert.deepEqual(reports.map((r) => r.kind), Object.keys(KINDS).map(() => 'use-after-free'));
  assert.deepEqual(reports.map((r) => r.region.size).sort((a, b) => a - b), Object.values(KINDS));
  for (const error of pageErrors) {
    assert.equal(error.type, 'console', JSON.stringify(error));
    assert.match(error.message, /^(ERROR: viewsan: use-after-free|viewsan: WARNING: SharedWorker)/);
  }
});
