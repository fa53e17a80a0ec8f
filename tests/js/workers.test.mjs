// Worker threads get the runtime when their parent has it, whether the parent was started with
// `node --import viewsan/register` or imported it in its code: workers from ES module and CommonJS
// files (by URL or path), eval code of both kinds, data: URLs and workers started by workers, with
// the parent's VIEWSAN_OPTIONS. Their reports reach stderr and the process's report_path file and
// exit code. A worker given an execArgv of its own still gets register through the NODE_OPTIONS
// register sets; one that gets it from neither is named on stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const app = path.join(import.meta.dirname, 'fixtures/worker-parent.mjs');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-workers-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// how: '--import' (node --import viewsan/register) or 'import' (the app imports it).
function run(how, kind, flow, viewsanOptions, ...more) {
  const preload = how === '--import' ? ['--import', 'viewsan/register'] : [];
  const env = { ...process.env };
  if (viewsanOptions === undefined) delete env.VIEWSAN_OPTIONS;
  else env.VIEWSAN_OPTIONS = viewsanOptions;
  return spawnSync(process.execPath, [...preload, app, kind, flow, ...(how === 'import' ? ['import'] : []), ...more],
    { cwd: root, encoding: 'utf8', env });
}

// Each kind of worker, and the bug its buggy flow has.
const KINDS = {
  'file-esm': 'use-after-free',
  'file-esm-path': 'use-after-free',
  'file-cjs': 'use-after-free',
  'eval-cjs': 'use-after-grow',
  'eval-esm': 'use-after-grow',
  'data-url': 'use-after-grow',
  nested: 'use-after-free',
};

for (const how of ['--import', 'import']) {
  for (const [kind, bug] of Object.entries(KINDS)) {
    test(`${how}: ${kind} worker: ${bug} throws in the worker`, () => {
      const child = run(how, kind, bug);
      const prefix = kind === 'nested' ? 'nested worker' : 'worker';
      assert.match(child.stdout, new RegExp(`^${prefix} error ViewSanError ${bug}$`, 'm'), child.stdout + child.stderr);
      assert.doesNotMatch(child.stdout, /^read /m);
      assert.doesNotMatch(child.stderr, /runs unguarded/);
    });

    test(`${how}: ${kind} worker: the correct flow reports nothing`, () => {
      const child = run(how, kind, 'correct');
      assert.equal(child.status, 0, child.stderr);
      assert.match(child.stdout, /^read 7$/m);
      assert.doesNotMatch(child.stdout, /error/);
      assert.equal(child.stderr, '');
    });
  }
}

for (const [kind, bug] of [['file-cjs', 'use-after-free'], ['eval-cjs', 'use-after-grow'], ['data-url', 'use-after-grow']]) {
  test(`${kind} worker, halt_on_error=0: printed, in the process's report_path file, exit code 1`, () => {
    const reportPath = path.join(scratch, `${kind}.json`);
    const child = run('--import', kind, bug, `halt_on_error=0:report_path=${reportPath}`);
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /^read /m);
    assert.match(child.stderr, new RegExp(`^ERROR: viewsan: ${bug} on a Uint8Array view`, 'm'));
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    assert.deepEqual(report.reports.map((r) => r.kind), [bug]);
    // The worker's session is the process's only one: its stats are the sum.
    assert.equal(report.stats.errors, 1);
    assert.ok(report.stats.allocs >= 1, JSON.stringify(report.stats));
  });
}

test("report_path: the main thread's sessions and the workers' are summed, their reports merged", () => {
  const reportPath = path.join(scratch, 'both.json');
  const child = run('--import', 'nested', 'use-after-free', `halt_on_error=0:report_path=${reportPath}`, '--main-too');
  assert.equal(child.status, 1, child.stderr);
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-free']);
  assert.equal(report.stats.allocs, 2, JSON.stringify(report.stats));
  assert.equal(report.stats.frees, 1, JSON.stringify(report.stats));
});

test('report_path: the same bug at the same place in two workers is one report, counted twice', () => {
  const reportPath = path.join(scratch, 'twice.json');
  const child = run('--import', 'file-cjs', 'use-after-free', `halt_on_error=0:report_path=${reportPath}`, '--twice');
  assert.equal(child.status, 1, child.stderr);
  assert.equal(child.stdout.match(/^read /gm).length, 2, child.stdout);
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.deepEqual(report.reports.map((r) => [r.kind, r.count]), [['use-after-free', 2]]);
  assert.equal(report.stats.errors, 2);
  assert.equal(report.stats.allocs, 2);
});

test('the correct flow in a worker, report_path: an empty report, exit code 0', () => {
  const reportPath = path.join(scratch, 'correct.json');
  const child = run('import', 'file-esm', 'correct', `report_path=${reportPath}`);
  assert.equal(child.status, 0, child.stderr);
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.deepEqual(report.reports, []);
  assert.equal(report.stats.allocs, 1);
});

test("a worker given its own env without VIEWSAN_OPTIONS gets the parent's", () => {
  const child = run('import', 'env-without-options', 'use-after-free', 'halt_on_error=0');
  assert.match(child.stdout, /^read 7$/m);
  assert.match(child.stderr, /^ERROR: viewsan: use-after-free on a Uint8Array view/m);
  assert.equal(child.status, 1);
});

test('an execArgv that loads register guards the worker', () => {
  const child = run('import', 'execargv-with-register', 'use-after-free');
  assert.match(child.stdout, /^worker error ViewSanError use-after-free$/m, child.stderr);
});

for (const how of ['--import', 'import']) {
  test(`${how}: a worker whose execArgv leaves register out gets it from the NODE_OPTIONS register set`, () => {
    const child = run(how, 'execargv-without-register', 'use-after-free');
    assert.match(child.stdout, /^worker error ViewSanError use-after-free$/m, child.stderr);
    assert.doesNotMatch(child.stderr, /^viewsan: WARNING/m);
  });

  test(`${how}: with child_processes=0, a worker whose execArgv leaves register out is named on stderr`, () => {
    const reportPath = path.join(scratch, `unguarded${how}.json`);
    const child = run(how, 'execargv-without-register', 'use-after-free', `child_processes=0:report_path=${reportPath}`);
    const named = child.stderr.split('\n').filter((line) => line.startsWith('viewsan:'));
    assert.equal(named.length, 1, child.stderr);
    assert.match(named[0],
      /^viewsan: WARNING: worker file:\/\/\S+\/worker-esm\.mjs runs unguarded: its execArgv \(\[\]\) leaves out --import viewsan\/register$/);
    // Without the runtime, the instrumented module finds no `viewsan` imports.
    assert.match(child.stdout, /^worker error TypeError $/m);
    // No thread guarded anything: the report file says so.
    assert.equal(JSON.parse(readFileSync(reportPath, 'utf8')).guarded, false);
  });
}
