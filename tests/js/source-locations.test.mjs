// Reports name source lines, as ASan does, when the module carries DWARF or a source map: twin.c
// built with -g by clang + wasi-libc and by emcc, and with -gsource-map by emcc, instrumented. The
// allocation and the free of a buffer JavaScript reads after free are named by function, file,
// line and column; with DWARF the free, made by a helper the compiler inlined, by that helper and
// the function it was inlined into (a source map has no inlining: the function it sits in). The
// wasm frames of report stacks are named by source likewise.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { instantiate } from 'viewsan';

import { catchViewSan } from './support/viewsan-error.mjs';

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
// DWARF gives absolute paths; a source map gives its sources as written, relative to the map.
const TWIN = /(^|\/)tests\/js\/fixtures\/twin\.c$/;

test('the wasm frames of a report\'s stack are named by source, inlined frames included', async () => {
  // exitcode 0 (in every test here: the latest session's applies at exit): the double free is
  // recorded on purpose, and must not fail the suite's process.
  const options = { haltOnError: false, exitcode: 0 };
  const { instance, session } = await instantiate(await readFile(path.join(fixtures, 'twin-clang.vs.wasm')), {}, options);
  const x = instance.exports;
  x._initialize?.();
  const pixels = x.frame_new(64);
  x.frame_release(pixels);
  x.frame_release(pixels);  // a double free, found by the free hook under frame_release
  const [report] = session.reports;
  assert.equal(report.kind, 'double-free');
  const lines = report.stack.split('\n');
  // The allocator, by its own name; wasi-libc's DWARF (Debian builds it with line tables) names it
  // by source too.
  assert.match(lines[0], /^\s*at free \(\S*dlmalloc\.c:\d+:\d+\) \[wasm-function\[\d+\]:0x[0-9a-f]+\]$/);
  assert.match(lines[1], /^\s*at drop_pixels \(\S+\/twin\.c:9:3\)$/);
  assert.match(lines[2], /^\s*at frame_release \(\S+\/twin\.c:19:3\) \[wasm-function\[\d+\]:0x[0-9a-f]+\]$/);
  assert.match(lines[3], /source-locations\.test\.mjs/);
  const [allocator, inlined, physical, caller] = report.frames;
  assert.equal(allocator.function, 'free');
  assert.match(allocator.file, /dlmalloc\.c$/);
  assert.deepEqual({ ...inlined, file: path.basename(inlined.file) }, {
    function: 'drop_pixels', file: 'twin.c', line: 9, column: 3, module: null, offset: null,
  });
  assert.equal(physical.function, 'frame_release');
  assert.equal(physical.line, 19);
  assert.equal(typeof physical.offset, 'number');
  assert.match(caller.file, /source-locations\.test\.mjs$/);
});

test('a source map build names its wasm frames by the function they are in, with no inlined frame', async () => {
  const options = { haltOnError: false, exitcode: 0 };
  const { instance, session } = await instantiate(await readFile(path.join(fixtures, 'twin-map.vs.wasm')), {}, options);
  const x = instance.exports;
  x._initialize?.();
  const pixels = x.frame_new(64);
  x.frame_release(pixels);
  x.frame_release(pixels);
  const [report] = session.reports;
  assert.equal(report.kind, 'double-free');
  const lines = report.stack.split('\n');
  // The line of drop_pixels' free, in frame_release, where the compiler inlined it.
  assert.match(lines[0], /^\s*at frame_release \(\S*twin\.c:9:3\) \[wasm-function\[\d+\]:0x[0-9a-f]+\]$/);
  assert.match(lines[1], /source-locations\.test\.mjs/);
  assert.ok(!report.stack.includes('drop_pixels'));
  const [physical, caller] = report.frames;
  assert.match(physical.file, TWIN);
  assert.deepEqual({ ...physical, file: path.basename(physical.file), offset: undefined }, {
    function: 'frame_release', file: 'twin.c', line: 9, column: 3, module: null, offset: undefined,
  });
  assert.equal(typeof physical.offset, 'number');
  assert.equal(lines[0].match(/:0x([0-9a-f]+)\]$/)[1], physical.offset.toString(16));
  assert.match(caller.file, /source-locations\.test\.mjs$/);
});

const BUILDS = [
  ['clang', 'malloc', 'free', { func: 'drop_pixels', inlinedInto: 'frame_release' }],
  ['emcc', 'dlmalloc', 'dlfree', { func: 'drop_pixels', inlinedInto: 'frame_release' }],
  ['map', 'dlmalloc', 'dlfree', { func: 'frame_release', inlinedInto: null }],
];

for (const [toolchain, allocator, deallocator, freedIn] of BUILDS) {
  for (const mode of ['strict', 'compat']) {
    test(`${toolchain}, ${mode}: a use-after-free names the source lines of the allocation and the free`, async () => {
      const { instance } = await instantiate(await readFile(path.join(fixtures, `twin-${toolchain}.vs.wasm`)), {}, { mode, exitcode: 0 });
      const x = instance.exports;
      x._initialize?.();
      const pixels = x.frame_new(64);
      const view = new Uint8Array(x.memory.buffer, pixels, 64);
      assert.equal(view.at(5), 5);
      x.frame_release(pixels);
      const { report, message } = catchViewSan(() => view.at(5));
      assert.equal(report.kind, 'use-after-free');
      const { allocSite, freeSite } = report.region;
      assert.match(allocSite.file, TWIN);
      assert.deepEqual({ ...allocSite, file: path.basename(allocSite.file), id: undefined, offset: undefined }, {
        id: undefined, kind: 'call', func: 'frame_new', callee: allocator, offset: undefined,
        file: 'twin.c', line: 13, column: 21, inlinedInto: null,
      });
      assert.match(freeSite.file, TWIN);
      assert.deepEqual({ ...freeSite, file: path.basename(freeSite.file), id: undefined, offset: undefined }, {
        id: undefined, kind: 'call', func: freedIn.func, callee: deallocator, offset: undefined,
        file: 'twin.c', line: 9, column: 3, inlinedInto: freedIn.inlinedInto,
      });
      const inlined = freedIn.inlinedInto ? `, inlined into ${freedIn.inlinedInto}` : '';
      assert.match(message, new RegExp(`^freed by ${freedIn.func} \\(calls ${deallocator}\\) at \\S*twin\\.c:9:3${inlined}`, 'm'));
      assert.match(message, new RegExp(`^previously allocated by frame_new \\(calls ${allocator}\\) at \\S*twin\\.c:13:21`, 'm'));
    });
  }
}
