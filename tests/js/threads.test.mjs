// One heap, many threads: the threads sample (Emscripten pthreads, a pool of two workers) in Node,
// under `node --import viewsan/register`, whose workers load the runtime too and share the main
// thread's region registry. A worker's free is seen by the main thread's views, a worker's growth
// by the main thread's stale HEAPU8; correct cross-thread use is silent; the raw build shows what
// the bugs do unguarded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const runner = path.join(import.meta.dirname, '../../samples/threads/node.mjs');
const build = process.env.VIEWSAN_BUILD_DIR;
const scratch = mkdtempSync(path.join(tmpdir(), 'viewsan-threads-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(flow, { raw = false, glue = false, mode = 'strict' } = {}) {
  const reportPath = path.join(scratch, `${flow}-${mode}${raw ? '-raw' : ''}${glue ? '-glue' : ''}.json`);
  const preload = raw || glue ? [] : ['--import', 'viewsan/register'];
  const args = [...preload, runner, flow, '--build', build, ...(raw ? ['--raw'] : []), ...(glue ? ['--glue'] : [])];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, VIEWSAN_OPTIONS: `mode=${mode}:report_path=${reportPath}` },
  });
  const result = JSON.parse(child.stdout.trim().split('\n').pop());
  return { child, result, file: raw ? null : JSON.parse(readFileSync(reportPath, 'utf8')) };
}

for (const mode of ['strict', 'compat']) {
  test(`${mode}: correct cross-thread use (a worker allocates, the main thread views and frees) is silent`, () => {
    const { child, result, file } = run('correct', { mode });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(result.value, result.expected);
    assert.deepEqual(result, run('correct', { raw: true }).result);
    assert.deepEqual(file.reports, []);
    assert.doesNotMatch(child.stderr, /viewsan/);
    // One registry for every thread: the workers' allocations are counted once, with the main thread's.
    assert.ok(file.stats.allocs >= 4 && file.stats.frees >= 3, JSON.stringify(file.stats));
    assert.equal(file.stats.grows, 1);
  });

  test(`${mode}: a view over a frame a worker freed, and another worker reused, is caught`, () => {
    const { child, result, file } = run('freed', { mode });
    assert.equal(result.error, 'use-after-reuse', child.stderr);
    const [report] = file.reports;
    assert.equal(file.reports.length, 1);
    assert.equal(report.kind, 'use-after-reuse');
    assert.equal(report.region.freeSite.func, 'release', 'freed on a worker thread');
    assert.equal(report.region.allocSite.func, 'produce', 'allocated on a worker thread');
    assert.equal(report.newer.allocSite.func, 'produce');
    assert.deepEqual(report.access, { op: 'call', method: 'fill' });
    // The bytes under it (report.memory), read from the SharedArrayBuffer: the freed frame, the
    // newer allocation over it, the view.
    assert.deepEqual(report.memory.marks.map((mark) => mark.state), ['freed', 'reused', 'view']);
    assert.equal(report.memory.marks[0].start, report.region.ptr);
  });

  test(`${mode}: the app's HEAPU8, kept while a worker grew the memory, is caught past its old end`, () => {
    const { child, result, file } = run('grown', { mode });
    if (mode === 'compat') {
      // Compat views are real typed arrays: an element read cannot be intercepted.
      assert.equal(result.value, null);
      return;
    }
    assert.equal(result.error, 'use-after-grow', child.stderr);
    const [report] = file.reports;
    assert.equal(report.view.byteOffset, 0);
    assert.equal(report.grow.site.kind, 'js', 'Emscripten grows memory from JavaScript');
    assert.equal(report.grow.shared, true);
    assert.match(report.message, /on another thread/);
    assert.match(report.message, /past the end of the view's SharedArrayBuffer/);
    // The bytes under it come from the grown memory: the element read past the view's old end is
    // in a window of its own, apart from the view's start.
    const access = report.memory.marks.find((mark) => mark.state === 'access');
    assert.equal(access.start, Number(report.access.index));
    assert.ok(access.start >= report.view.length, 'past the old end');
    assert.ok(report.memory.spans.some(({ start, hex }) => start <= access.start && start + hex.length / 2 > access.start));
  });
}

test("emscripten() glue without register: the workers get the runtime, and the heap's registry", () => {
  const correct = run('correct', { glue: true });
  assert.equal(correct.child.status, 0, correct.child.stderr);
  assert.deepEqual(correct.result.value, correct.result.expected);
  assert.deepEqual(correct.file.reports, []);
  const freed = run('freed', { glue: true });
  assert.equal(freed.result.error, 'use-after-reuse', freed.child.stderr);
  assert.equal(freed.file.reports[0].region.freeSite.func, 'release');
});

test('without viewsan, the bugs go unnoticed', () => {
  const freed = run('freed', { raw: true });
  assert.equal(freed.child.status, 0);
  assert.notEqual(freed.result.value, freed.result.expected, 'the stale write corrupted the next frame');
  const grown = run('grown', { raw: true });
  assert.equal(grown.result.value, null, 'the old HEAPU8 reads undefined past its end');
});
