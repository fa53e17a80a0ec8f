// VIEWSAN_OPTIONS end to end, in child processes: halt_on_error, report_path, exitcode, help and
// unknown keys; plus the parser itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { parseOptionString, resolveOptions } from '../../runtime-shim/js/src/options.js';

const program = path.join(import.meta.dirname, 'fixtures/continue-after-free.mjs');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'viewsan-options-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(viewsanOptions) {
  return spawnSync(process.execPath, [program], {
    encoding: 'utf8',
    env: { ...process.env, VIEWSAN_OPTIONS: viewsanOptions },
  });
}

test('halt_on_error=0: the report is printed, the program goes on, the exit code says so', () => {
  const reportPath = path.join(scratch, 'continue.json');
  const child = run(`halt_on_error=0:report_path=${reportPath}`);
  assert.equal(child.status, 1, child.stderr);
  const out = JSON.parse(child.stdout);
  assert.equal(out.first, 1, 'the read went on and saw the freed bytes');
  assert.deepEqual(out.seen, ['use-after-free']);
  assert.equal(out.reports, 1);
  assert.match(child.stderr, /^ERROR: viewsan: use-after-free/m);
  assert.match(child.stderr, /^SUMMARY: viewsan: use-after-free Uint8Array\[0\]/m);
  const file = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.equal(file.version, 1);
  assert.deepEqual(file.reports.map((r) => r.kind), ['use-after-free']);
  assert.equal(file.stats.errors, 1);
  assert.equal(file.stats.allocs, 1);
});

test('exitcode=0: recorded errors leave the exit status alone', () => {
  const child = run('halt_on_error=0:exitcode=0');
  assert.equal(child.status, 0, child.stderr);
});

test('default halt_on_error=1: the ViewSanError ends the program at the faulting read', () => {
  const child = run('');
  assert.notEqual(child.status, 0);
  assert.equal(child.stdout, '');
  assert.match(child.stderr, /ViewSanError: ERROR: viewsan: use-after-free/);
});

test('unknown keys warn, bad values warn, help=1 lists every option', () => {
  const warnings = [];
  const parsed = parseOptionString('halt_on_error=0,bogus=1:mode=fast:quarantine_size_mb=8', (w) => warnings.push(w));
  assert.deepEqual(parsed, { haltOnError: false, quarantineMb: 8 });
  assert.equal(warnings.length, 2);
  assert.match(warnings.join('\n'), /unrecognized option\(s\): bogus/);
  assert.match(warnings.join('\n'), /mode: expected strict or compat/);
  const child = run('help=1:halt_on_error=0:exitcode=0');
  assert.match(child.stderr, /Available options for viewsan/);
  assert.match(child.stderr, /halt_on_error \/ haltOnError/);
});

test('precedence: defaults < options object < VIEWSAN_OPTIONS; unknown option names throw', () => {
  const resolved = resolveOptions({ haltOnError: false, mode: 'compat' }, { mode: 'strict' });
  assert.equal(resolved.haltOnError, false);
  assert.equal(resolved.mode, 'strict');
  assert.equal(resolved.patchViews, true);
  assert.throws(() => resolveOptions({ haltOnErorr: false }, {}), /unknown option 'haltOnErorr'/);
});
