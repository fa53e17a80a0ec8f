// Nothing passes vacuously: under `node --import viewsan/register`, a module that is not guarded
// is named on stderr once, with why, and the report_path file is written even when nothing was
// guarded, saying so.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const app = path.join(import.meta.dirname, 'fixtures/unguarded-app.mjs');
const scratch = mkdtempSync(path.join(tmpdir(), 'viewsan-unguarded-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const NOT_INSTRUMENTED = 'it is not instrumented (it imports nothing from viewsan and has no viewsan.sites section; run viewsan-instrument on it)';

function run(what, viewsanOptions = '') {
  return spawnSync(process.execPath, ['--import', 'viewsan/register', app, what], {
    encoding: 'utf8',
    env: { ...process.env, VIEWSAN_OPTIONS: viewsanOptions },
  });
}

// Runs `what` with report_path set, expects exit status 0, and returns the report file.
function reportOf(what) {
  const reportPath = path.join(scratch, `${what}.json`);
  const child = run(what, `report_path=${reportPath}`);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(readFileSync(reportPath, 'utf8'));
}

const viewsanLines = (stderr) => stderr.split('\n').filter((line) => line.startsWith('viewsan:'));

test('a module that is not instrumented is named once, with why, however often it is instantiated', () => {
  const child = run('plain');
  assert.equal(child.status, 0, child.stderr);
  const size = statSync(path.join(process.env.VIEWSAN_FIXTURES, 'freelist-heap.wasm')).size;
  assert.deepEqual(viewsanLines(child.stderr), [
    `viewsan: WARNING: a module of ${size} bytes is not guarded: ${NOT_INSTRUMENTED}`,
  ]);
});

test('a module that shares an instrumented module\'s memory (a side module) is named as partly guarded', () => {
  const child = run('side');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr), [
    'viewsan: WARNING: a module of 53 bytes is partly guarded: it is not instrumented, and shares the memory of a '
      + 'module that is: views over that memory are guarded, and what it allocates through the allocator it imports '
      + 'from that module is seen; an allocator of its own and its memory.grow are not (run viewsan-instrument on it)',
  ]);
});

test("a module a worker thread instantiated unguarded is in the process's report_path list", () => {
  const file = reportOf('worker');
  assert.equal(file.guarded, true);
  const size = statSync(path.join(process.env.VIEWSAN_FIXTURES, 'freelist-heap.wasm')).size;
  assert.deepEqual(file.unguarded, [{ module: `a module of ${size} bytes`, reason: NOT_INSTRUMENTED }]);
});

test('a module with no memory JavaScript can view has nothing to guard: not named', () => {
  const child = run('no-memory');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr), []);
});

test("a program that imports viewsan and instantiates nothing: report_path says nothing was guarded", () => {
  const reportPath = path.join(scratch, 'import-only.json');
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', "import 'viewsan';"], {
    encoding: 'utf8',
    env: { ...process.env, VIEWSAN_OPTIONS: `report_path=${reportPath}` },
  });
  assert.equal(child.status, 0, child.stderr);
  const file = JSON.parse(readFileSync(reportPath, 'utf8'));
  assert.equal(file.guarded, false);
  assert.deepEqual(file.reports, []);
});

test('a module decoded from base64 in JavaScript is named as such', () => {
  const child = run('base64');
  assert.equal(child.status, 0, child.stderr);
  const lines = viewsanLines(child.stderr);
  assert.equal(lines.length, 1, child.stderr);
  assert.match(lines[0], /^viewsan: WARNING: a module of \d+ bytes is not guarded: it is not instrumented .*; its bytes were decoded from base64 embedded in JavaScript \(e\.g\. Emscripten -sSINGLE_FILE\)/);
});

test('a module streamed from a URL is named by its URL', () => {
  const child = run('streaming');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr).map((line) => line.replace(/:\d+\//, ':PORT/')), [
    `viewsan: WARNING: http://127.0.0.1:PORT/plain.wasm is not guarded: ${NOT_INSTRUMENTED}`,
  ]);
});

test('Node\'s own HTTP parser is not named, with the runtime in a folder of any name', () => {
  // A copy of the package where an app might vendor it: its own frames are known by its folder.
  const vendored = path.join(scratch, 'vendor', 'sanitizer');
  cpSync(path.join(import.meta.dirname, '../../runtime-shim/js'), vendored, {
    recursive: true, filter: (source) => !source.includes('node_modules'),
  });
  const child = spawnSync(process.execPath, ['--import', path.join(vendored, 'register.js'), app, 'streaming'], {
    encoding: 'utf8', env: { ...process.env, VIEWSAN_OPTIONS: '' },
  });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr).map((line) => line.replace(/:\d+\//, ':PORT/')), [
    `viewsan: WARNING: http://127.0.0.1:PORT/plain.wasm is not guarded: ${NOT_INSTRUMENTED}`,
  ]);
});

test('a module streamed from a base64 data: URL is named as such', () => {
  const child = run('data-url');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr), [
    `viewsan: WARNING: a module from a data: URL is not guarded: ${NOT_INSTRUMENTED}; its bytes were decoded from base64 ` +
      'embedded in JavaScript (e.g. Emscripten -sSINGLE_FILE): instrument the .wasm, then embed the instrumented one',
  ]);
});

test('an instrumented module, and viewsan\'s own shim, say nothing', () => {
  const child = run('instrumented');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr), []);
});

test('a module viewsan-instrument found nothing to hook in is guarded, not named', () => {
  const child = run('sites-only');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr), []);
  assert.match(child.stdout, /^caught use-after-grow$/m);
});

test('warn_unguarded=0 silences the lines', () => {
  const child = run('plain', 'warn_unguarded=0');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(viewsanLines(child.stderr), []);
});

test('report_path: a process that loads no wasm at all writes a file that says nothing was guarded', () => {
  const file = reportOf('none');
  assert.equal(file.version, 1);
  assert.equal(file.guarded, false);
  assert.match(file.message, /^viewsan guarded nothing in this process: no instrumented module was instantiated$/);
  assert.deepEqual(file.reports, []);
  assert.deepEqual(file.unguarded, []);
  assert.equal(file.stats.errors, 0);
  assert.equal(file.stats.allocs, 0);
});

test('report_path: a process that loads only an uninstrumented module names it in the file', () => {
  const file = reportOf('plain');
  assert.equal(file.guarded, false);
  assert.match(file.message, /\(1 module was not guarded\)$/);
  assert.equal(file.unguarded.length, 1);
  assert.match(file.unguarded[0].module, /^a module of \d+ bytes$/);
  assert.equal(file.unguarded[0].reason, NOT_INSTRUMENTED);
});

test('report_path: a guarded process says so', () => {
  const file = reportOf('instrumented');
  assert.equal(file.guarded, true);
  assert.equal(file.unguarded, undefined);
});

test('report_path: a stale file from an earlier run is replaced; a child\'s, written during this run, is kept', () => {
  const reportPath = path.join(scratch, 'runner.json');
  writeFileSync(reportPath, '{"stale": true}\n');
  const past = new Date(Date.now() - 60_000);
  utimesSync(reportPath, past, past);
  const child = run('spawn', `report_path=${reportPath}`);
  assert.equal(child.status, 0, child.stderr);
  // The child guarded its module and wrote the file; the parent, which guarded nothing, left it.
  assert.equal(JSON.parse(readFileSync(reportPath, 'utf8')).guarded, true);

  utimesSync(reportPath, past, past);
  assert.equal(run('none', `report_path=${reportPath}`).status, 0);
  assert.equal(JSON.parse(readFileSync(reportPath, 'utf8')).guarded, false);
});
