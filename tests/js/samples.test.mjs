// The samples in Node, each a real toolchain's build: under viewsan the correct flow is silent,
// the buggy twin is caught at the faulting access, and the zero-copy proof holds; without viewsan
// the twin fails silently (or with the engine's bare RangeError).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { ViewSanError } from 'viewsan';

const samplesBuild = path.join(process.env.VIEWSAN_BUILD_DIR, 'samples');

const EXPECTED = {
  invert: {
    kind: 'use-after-grow',
    check: (report) => {
      assert.equal(report.view.ctor, 'Uint8ClampedArray');
      assert.equal(report.region.allocSite.func, 'frame_alloc');
      assert.equal(report.grow.site.kind, 'js', 'Emscripten grows memory from JavaScript');
      assert.match(report.grow.site.stack, /_reserve_scratch/);
    },
  },
  audio: {
    kind: 'misaligned-view',
    check: (report) => {
      assert.equal(report.view.ctor, 'Float32Array');
      assert.equal(report.region.allocSite.func, 'packet_new');
      assert.match(report.message, /pad the header/);
    },
  },
  tensors: {
    kind: 'use-after-reuse',
    check: (report) => {
      assert.equal(report.region.allocSite.func, '__wbindgen_malloc');
      assert.match(report.region.freeSite.stack, /flows\.js/, 'JavaScript freed it: its stack is shown');
      assert.ok(report.newer.allocId > report.region.allocId);
    },
  },
};

async function loadSample(name, raw) {
  const flows = await import(`../../samples/${name}/flows.js`);
  const { load } = await import(`../../samples/${name}/node.js`);
  return { flows, ...(await load(path.join(samplesBuild, name), { raw })) };
}

function thrownBy(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

for (const [name, expected] of Object.entries(EXPECTED)) {
  describe(name, () => {
    test('correct flow: right result through the view, no report', async () => {
      const { flows, app, session } = await loadSample(name, false);
      const { value, expected: want } = flows.correctFlow(app);
      assert.equal(value, want);
      assert.deepEqual(session.reports, []);
      assert.ok(session.stats().allocs >= 1);
    });

    test(`buggy twin: ${expected.kind} at the faulting access`, async () => {
      const { flows, app, session } = await loadSample(name, false);
      const error = thrownBy(() => flows.buggyFlow(app));
      assert.ok(error instanceof ViewSanError, `expected a ViewSanError, got ${error}`);
      assert.equal(error.kind, expected.kind);
      expected.check(error.report);
      assert.equal(session.reports.length, 1);
    });

    test('buggy twin without viewsan: wrong, silently or with a bare RangeError', async () => {
      const { flows, app } = await loadSample(name, true);
      let outcome;
      const error = thrownBy(() => { outcome = flows.buggyFlow(app); });
      if (error) assert.ok(error instanceof RangeError && !(error instanceof ViewSanError), String(error));
      else assert.notEqual(outcome.value, outcome.expected);
    });

    test('zero-copy proof: the view aliases linear memory, and no error under viewsan', async () => {
      const { flows, app, session } = await loadSample(name, false);
      const { copyMs, viewMs, aliased } = flows.zeroCopyProof(app);
      assert.ok(aliased, 'the sentinel written through the view reached wasm');
      assert.ok(copyMs > 0 && viewMs > 0);
      assert.equal(session.stats().errors, 0);
      assert.ok(session.stats().copyOutBytes > 0, 'the copy path\'s slice() is counted');
    });
  });
}
