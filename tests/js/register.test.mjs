// Zero code change: `node --import viewsan/register` guards an instrumented module whichever API
// its loader uses, with options from VIEWSAN_OPTIONS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const app = path.join(import.meta.dirname, 'fixtures/loader-app.mjs');

function run(api, viewsanOptions = '') {
  return spawnSync(process.execPath, ['--import', 'viewsan/register', app, api], {
    encoding: 'utf8',
    env: { ...process.env, VIEWSAN_OPTIONS: viewsanOptions },
  });
}

for (const api of ['sync', 'async']) {
  test(`${api} instantiation is guarded: the stale read throws use-after-free`, () => {
    const child = run(api);
    assert.notEqual(child.status, 0);
    assert.match(child.stdout, /^live read 1, detached false$/m);
    assert.doesNotMatch(child.stdout, /stale read/);
    assert.match(child.stderr, /ViewSanError: ERROR: viewsan: use-after-free on a Uint8Array view/);
    assert.match(child.stderr, /freed by consume \(calls free\)/);
  });
}

test('halt_on_error=0 through VIEWSAN_OPTIONS: reported, continued, exit code 1', () => {
  const child = run('sync', 'halt_on_error=0');
  assert.equal(child.status, 1);
  assert.match(child.stdout, /^stale read 1$/m);
  assert.match(child.stderr, /^ERROR: viewsan: use-after-free/m);
});
