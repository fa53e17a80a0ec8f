// Pages in real headless Chromium, run through viewsan-devtools: the invert sample's buggy twin
// reaches the JSON report with its sites, its correct flow reports nothing, and register.js guards
// an app that never mentions viewsan.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const build = process.env.VIEWSAN_BUILD_DIR;
const chromium = process.env.VIEWSAN_CHROMIUM ?? 'chromium';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-browser-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Runs a page of the repository through viewsan-devtools; returns its exit status and report.
function launch(page, name) {
  const report = path.join(scratch, `${name}.json`);
  const cli = spawnSync(process.execPath, [
    path.join(root, 'devtools/bin/viewsan-devtools.js'), 'launch',
    '--root', root, '--mount', `/build=${build}`, '--chromium', chromium,
    page, '--report', report, '--timeout', '45', '--idle', '5000',
  ], { encoding: 'utf8' });
  return { status: cli.status, stderr: cli.stderr, report: JSON.parse(readFileSync(report, 'utf8')) };
}

const runPage = (flow) => launch(`/samples/invert/web/index.html?flow=${flow}&build=/build/samples/invert`, flow);

test('buggy twin: use-after-grow collected from the page, exit 1', () => {
  const { status, stderr, report } = runPage('buggy');
  assert.equal(status, 1, stderr);
  const errors = report.reports.filter((r) => r.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(report.reports, null, 2));
  const [error] = errors;
  assert.equal(error.kind, 'use-after-grow');
  assert.equal(error.view.ctor, 'Uint8ClampedArray');
  assert.equal(error.region.size, 1920 * 1080 * 4);
  assert.equal(error.region.allocSite.kind, 'call');
  assert.equal(error.region.allocSite.func, 'frame_alloc');
  assert.equal(error.grow.site.kind, 'js');
  assert.match(error.view.createdAt, /flows\.js/);
  assert.ok(report.stats.allocs >= 2 && report.stats.grows >= 1, JSON.stringify(report.stats));
  assert.ok(report.events.some((e) => e.type === 'alloc' && e.size === 1920 * 1080 * 4));
  assert.ok(report.events.some((e) => e.type === 'grow' && e.origin === 'js'));
  // The uncaught ViewSanError is this report, not a page error of its own.
  assert.deepEqual(report.pageErrors, []);
});

test('correct flow, canvas round trip included: no report, exit 0', () => {
  const { status, stderr, report } = runPage('correct');
  assert.equal(status, 0, stderr);
  assert.deepEqual(report.reports, []);
  assert.equal(report.pageErrors.length, 0, JSON.stringify(report.pageErrors));
  assert.ok(report.events.some((e) => e.type === 'view' && e.ctor === 'Uint8ClampedArray'));
});

test('register.js in a page: an app that never mentions viewsan is guarded, its report collected', () => {
  const { status, stderr, report } = launch('/tests/browser/pages/register.html?fixtures=/build/tests/js/fixtures', 'register');
  assert.equal(status, 1, stderr);
  const { reports, events } = report;
  assert.deepEqual(reports.map((r) => r.kind), ['use-after-free']);
  assert.equal(reports[0].region.freeSite.func, 'consume');
  assert.ok(events.some((e) => e.type === 'free'), 'the shim\'s event ring reached DevTools');
});

for (const [sample, kind] of [['audio', 'misaligned-view'], ['tensors', 'use-after-reuse']]) {
  const page = (flow) => `/samples/web/index.html?sample=${sample}&flow=${flow}&build=/build/samples`;

  test(`${sample} sample page: the buggy twin's ${kind} is collected`, () => {
    const { status, stderr, report } = launch(page('buggy'), `${sample}-buggy`);
    assert.equal(status, 1, stderr);
    assert.deepEqual(report.reports.map((r) => r.kind), [kind]);
  });

  test(`${sample} sample page: the correct flow reports nothing`, () => {
    const { status, stderr, report } = launch(page('correct'), `${sample}-correct`);
    assert.equal(status, 0, stderr);
    assert.deepEqual(report.reports, []);
    assert.deepEqual(report.pageErrors, []);
  });
}
