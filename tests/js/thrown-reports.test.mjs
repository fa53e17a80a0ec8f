// A ViewSanError the program catches and swallows still leaves its report on stderr, as ASan
// prints at detection; one that ends the program is printed by Node, and not a second time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const app = path.join(import.meta.dirname, 'fixtures/thrown-error-app.mjs');
const run = (how) => spawnSync(process.execPath, [app, how], { encoding: 'utf8' });
// Lines viewsan prints start with the headline; Node prints the error as "ViewSanError: ERROR: ...".
const printedByViewsan = (stderr) => stderr.split('\n').filter((l) => l.startsWith('ERROR: viewsan: use-after-free')).length;
const printedByNode = (stderr) => stderr.split('\n').filter((l) => l.startsWith('ViewSanError: ERROR: viewsan:')).length;

test('a swallowed ViewSanError leaves its report on stderr, once', () => {
  const child = run('swallow');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, 'went on\n');
  assert.equal(printedByViewsan(child.stderr), 1, child.stderr);
  assert.match(child.stderr, /^SUMMARY: viewsan: use-after-free/m);
});

for (const how of ['uncaught', 'async']) {
  test(`an ${how} ViewSanError is printed by Node only`, () => {
    const child = run(how);
    assert.notEqual(child.status, 0);
    assert.equal(printedByNode(child.stderr), 1, child.stderr);
    assert.equal(printedByViewsan(child.stderr), 0, child.stderr);
  });
}

// Emscripten 3.1.6's Node glue rethrows an uncaught exception from its own handler; Node then ends
// with status 7 and no exit event, in which the report file used to be written.
test('the report file is written when an uncaughtException handler rethrows the ViewSanError', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'viewsan-rethrown-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const reportPath = path.join(dir, 'report.json');
  const child = spawnSync(process.execPath, [app, 'rethrown'], {
    encoding: 'utf8',
    env: { ...process.env, VIEWSAN_OPTIONS: `report_path=${reportPath}` },
  });
  assert.equal(child.status, 7, child.stderr);
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.equal(report.guarded, true);
  assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-free']);
});
