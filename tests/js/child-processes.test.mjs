// Node processes a program under `node --import viewsan/register` starts load viewsan too, through
// the NODE_OPTIONS they inherit: an instrumented module a child instantiates is guarded (and links),
// whether the child is started by the main thread or by a worker thread that viewsan does not run
// in (esbuild-wasm's way). A child started with an environment of the app's own, or with
// child_processes=0, stays as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { nodeOptionsArguments } from '../../runtime-shim/js/src/node-child-processes.js';

const root = path.resolve(import.meta.dirname, '../..');
const parent = path.join(import.meta.dirname, 'fixtures/child-process-parent.mjs');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-children-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const USE_AFTER_FREE = /ViewSanError: ERROR: viewsan: use-after-free on a Uint8Array view/;
const NOT_LINKED = /Import #0 module="viewsan" error/;

function run(args, { viewsanOptions = '', nodeOptions } = {}) {
  const env = { ...process.env, VIEWSAN_OPTIONS: viewsanOptions };
  delete env.NODE_OPTIONS;
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  return spawnSync(process.execPath, ['--import', 'viewsan/register', parent, ...args], { cwd: root, encoding: 'utf8', env });
}

const nodeOptionsOf = (stdout, thread = 'process') => new RegExp(`^${thread} NODE_OPTIONS=(.*)$`, 'm').exec(stdout)?.[1];

for (const from of ['process', 'worker']) {
  test(`a child process started from a ${from === 'process' ? 'program' : 'worker thread without viewsan'} is guarded`, () => {
    const child = run([from]);
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /^live read 1, detached false$/m);
    assert.doesNotMatch(child.stdout, /stale read/);
    assert.match(child.stderr, USE_AFTER_FREE);
    assert.match(nodeOptionsOf(child.stdout, from), /^--import=file:\/\/\S+\/node-register\.js$/);
  });

  test(`a child given an environment of its own without NODE_OPTIONS (from a ${from}) is not`, () => {
    const child = run([from, 'own-env']);
    assert.notEqual(child.status, 0);
    assert.match(child.stderr, NOT_LINKED);
    assert.doesNotMatch(child.stderr, USE_AFTER_FREE);
  });
}

test('child_processes=0 leaves NODE_OPTIONS as it was', () => {
  const child = run(['process'], { viewsanOptions: 'child_processes=0', nodeOptions: '--max-old-space-size=300' });
  assert.equal(nodeOptionsOf(child.stdout), '--max-old-space-size=300');
  assert.match(child.stderr, NOT_LINKED);
});

test("the program's NODE_OPTIONS are kept, quoted arguments whole, and the child starts with them", () => {
  const given = '--max-old-space-size=300 --title "viewsan \\"parent\\" app"';
  const child = run(['process'], { nodeOptions: given });
  assert.match(nodeOptionsOf(child.stdout), new RegExp(`^${given.replace(/[\\"^$.*+?()[\]{}|]/g, '\\$&')} --import=file:`));
  assert.match(child.stderr, USE_AFTER_FREE);
});

test('NODE_OPTIONS that preload register already are left as they are', () => {
  for (const given of ['--import viewsan/register', `--import=${path.join(root, 'runtime-shim/js/register.js')}`]) {
    const child = run(['process'], { nodeOptions: given });
    assert.equal(nodeOptionsOf(child.stdout), given);
    assert.match(child.stderr, USE_AFTER_FREE);
  }
});

test("the child's reports reach its report_path file and exit code; a parent that guarded nothing keeps the file", () => {
  const reportPath = path.join(scratch, 'child.json');
  const child = run(['worker'], { viewsanOptions: `halt_on_error=0:report_path=${reportPath}` });
  assert.equal(child.status, 1, child.stderr);
  assert.match(child.stdout, /^stale read 1$/m);
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.equal(report.guarded, true);
  assert.deepEqual(report.reports.map((r) => r.kind), ['use-after-free']);
});

test('NODE_OPTIONS are split as Node splits them', () => {
  assert.deepEqual(nodeOptionsArguments(''), []);
  assert.deepEqual(nodeOptionsArguments('  --a   --b=1 '), ['--a', '--b=1']);
  assert.deepEqual(nodeOptionsArguments('--import "a b/c.js" --x'), ['--import', 'a b/c.js', '--x']);
  assert.deepEqual(nodeOptionsArguments('--t="x \\"y\\" \\\\z"'), ['--t=x "y" \\z']);
  assert.deepEqual(nodeOptionsArguments('--e ""'), ['--e', '']);
});
