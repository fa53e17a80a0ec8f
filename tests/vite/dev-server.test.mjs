// browser.vite: viewsan/vite in Vite's real dev server, the page in headless Chromium. The app
// (tests/vite/app) knows nothing of viewsan and reads a view over a buffer its module freed; its
// vite.config.js adds the plugin. With it, every way the app loads the module (a `?url` import,
// `new URL(…, import.meta.url)`, `?init`, public/) ends in a ViewSanError at the stale read; without
// it, the same page reads the freed bytes and nothing is said.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { HEAP, HEAP_INSTRUMENTED, scratchApp, startVite } from './support/scratch-app.mjs';
import { openPage, pageResults } from './support/app-pages.mjs';

const LOADS = ['urlImport', 'importMetaUrl', 'wasmInit', 'publicDir'];
const sha256 = async (file) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('with the plugin', () => {
  let app;
  let vite;
  let results;
  let originals;
  before(async () => {
    app = await scratchApp();
    originals = {
      heap: await sha256(path.join(app, 'heap.wasm')),
      public: await sha256(path.join(app, 'public/heap-public.wasm')),
    };
    vite = await startVite(app);
    results = await pageResults(vite.url());
  });

  for (const load of LOADS) {
    test(`${load}: the stale read throws use-after-free`, () => {
      assert.equal(results[load].error, 'ViewSanError', JSON.stringify(results[load]));
      assert.equal(results[load].kind, 'use-after-free');
      assert.match(results[load].message, /^ERROR: viewsan: use-after-free on a Uint8Array view of 16 elements/);
    });
  }

  test('a module instrumented already is served as it is, and guarded', async () => {
    assert.equal(results.instrumentedAlready.kind, 'use-after-free', JSON.stringify(results.instrumentedAlready));
    const served = Buffer.from(await (await fetch(vite.url('prebuilt.wasm'))).arrayBuffer());
    assert.deepEqual(served, await readFile(HEAP_INSTRUMENTED));
    assert.ok(vite.logs.some(({ message }) => message === 'viewsan: prebuilt.wasm is instrumented already: left as it is'),
      JSON.stringify(vite.logs));
  });

  test("the plugin's runtime options reach the page as globalThis.VIEWSAN_OPTIONS", () => {
    assert.deepEqual(results.options, { mallocContextSize: 8 });
  });

  test("the app's files are left as they were; the instrumented modules are cached under node_modules/.vite/viewsan", async () => {
    assert.equal(await sha256(path.join(app, 'heap.wasm')), originals.heap);
    assert.equal(await sha256(path.join(app, 'public/heap-public.wasm')), originals.public);
    assert.equal(await sha256(path.join(app, 'heap.wasm')), await sha256(HEAP));
    const cached = await readdir(path.join(app, 'node_modules/.vite/viewsan'));
    // heap.wasm and public/heap-public.wasm have the same bytes: one entry; prebuilt.wasm: a verdict only.
    assert.deepEqual(cached.map((name) => name.replace(/^[0-9a-f]{64}/, 'HASH')).sort(),
      ['HASH.json', 'HASH.json', 'HASH.wasm'], cached.join(' '));
    assert.deepEqual(vite.logs.filter(({ message }) => message.startsWith('viewsan: instrumented')).map(({ message }) => message),
      ['viewsan: instrumented heap.wasm'], 'one run of the tool for the two copies of the same bytes');
  });

  test("a module the tool refuses: a 500, and Vite's error overlay shows the tool's message", async () => {
    await writeFile(path.join(app, 'broken.wasm'), 'not wasm');
    await writeFile(path.join(app, 'broken.html'), '<!doctype html><title>loading</title><script type="module">' +
      'const response = await fetch("./broken.wasm"); document.title = `status ${response.status}`;</script>');
    const page = await openPage(vite.url('broken.html'));
    try {
      assert.equal(await page.waitFor("document.title.startsWith('status') && document.title"), 'status 500');
      const overlay = await page.waitFor("document.querySelector('vite-error-overlay')?.shadowRoot.querySelector('.message-body')?.textContent");
      assert.match(overlay, /^viewsan: broken\.wasm could not be instrumented, so it is not served: viewsan-instrument exited with status 1 on .*broken\.wasm:\n.*bad magic value/);
    } finally {
      await page.close();
    }
  });

  test('a restarted dev server serves from the cache, without running the tool', async () => {
    await vite.server.close();
    const restarted = await startVite(app);
    const served = Buffer.from(await (await fetch(restarted.url('heap-public.wasm'))).arrayBuffer());
    assert.ok(WebAssembly.Module.imports(new WebAssembly.Module(served)).some((i) => i.module === 'viewsan'));
    assert.deepEqual(restarted.logs.filter(({ message }) => message.startsWith('viewsan:')), []);
  });
});

describe('without the plugin', () => {
  let results;
  before(async () => {
    const app = await scratchApp();
    const vite = await startVite(app, { configFile: false });
    results = await pageResults(vite.url());
  });

  for (const load of LOADS) {
    test(`${load}: the stale read returns the freed bytes, and nothing is said`, () => {
      assert.deepEqual(results[load], { read: 1 });
    });
  }

  test('no options, and the instrumented module cannot even be instantiated', () => {
    assert.equal(results.options, null);
    assert.match(results.instrumentedAlready.message, /"viewsan"/);
  });
});
