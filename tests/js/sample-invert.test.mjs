// The invert sample (C built with emcc, instrumented) in Node: the buggy twin is caught at the
// faulting access with the JavaScript grow named; the correct flow produces no report.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';

import { ViewSanError, emscripten } from 'viewsan';

import { buggyFlow, correctFlow } from '../../samples/invert/flows.js';

const buildDir = path.join(process.env.VIEWSAN_BUILD_DIR, 'samples/invert');
const createInvert = createRequire(import.meta.url)(path.join(buildDir, 'invert.js'));
const instrumented = await readFile(path.join(buildDir, 'invert.vs.wasm'));

async function guardedApp() {
  const glue = emscripten({ wasmBinary: instrumented });
  const app = await createInvert({ ...glue });
  assert.ok(glue.session, 'the session is live once the module is ready');
  return { app, session: glue.session };
}

test('correct flow: inverted in place through the view, no report', async () => {
  const { app, session } = await guardedApp();
  const { pixel4, expected } = correctFlow(app);
  assert.equal(pixel4, expected);
  assert.deepEqual(session.reports, []);
  const stats = session.stats();
  assert.ok(stats.allocs >= 2, `allocations seen: ${stats.allocs}`);
  assert.ok(stats.frees >= 1);
});

test('buggy twin: the view kept across memory growth is caught at the read', async () => {
  const { app, session } = await guardedApp();
  let error;
  try {
    buggyFlow(app);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ViewSanError, `expected a ViewSanError, got ${error}`);
  assert.equal(error.kind, 'use-after-grow');
  assert.equal(error.report.view.ctor, 'Uint8ClampedArray');
  assert.equal(error.report.grow.site.kind, 'js', 'Emscripten grows memory from JavaScript');
  assert.match(error.report.grow.site.stack, /reserve_scratch|wasm/);
  assert.equal(error.report.region.size, 1920 * 1080 * 4);
  assert.equal(session.reports.length, 1);
});
