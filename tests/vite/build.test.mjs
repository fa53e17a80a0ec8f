// browser.vite-build: viewsan({ build: true }) in `vite build`. The output, served by `vite preview`
// and opened in headless Chromium, carries viewsan as the dev server does: each .wasm the app loads
// is instrumented in it, the runtime is beside it, and every way of loading the module ends in a
// ViewSanError at the stale read. Without `build: true`, the build is left alone.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import viewsan from 'viewsan/vite';
import { startStaticServer } from '../../devtools/lib/static-server.js';
import { HEAP, buildApp, previewApp, scratchApp } from './support/scratch-app.mjs';
import { pageResults } from './support/app-pages.mjs';

const LOADS = ['urlImport', 'importMetaUrl', 'wasmInit', 'publicDir', 'instrumentedAlready'];
const isInstrumented = (bytes) => WebAssembly.Module.imports(new WebAssembly.Module(bytes)).some((i) => i.module === 'viewsan');
const builtWasm = async (outDir) => (await readdir(outDir, { recursive: true }))
  .filter((file) => file.endsWith('.wasm') && !file.startsWith('viewsan/')).sort();

describe('vite build with build: true, then vite preview', () => {
  let app;
  let built;
  let results;
  before(async () => {
    app = await scratchApp();
    built = await buildApp(app, { configFile: false, plugins: [viewsan({ build: true, runtime: { mallocContextSize: 8 } })] });
    const preview = await previewApp(app, { configFile: false });
    results = await pageResults(preview.url());
  });

  for (const load of LOADS) {
    test(`${load}: the stale read throws use-after-free`, () => {
      assert.equal(results[load].error, 'ViewSanError', JSON.stringify(results[load]));
      assert.equal(results[load].kind, 'use-after-free');
    });
  }

  test('every .wasm in the output is instrumented, none inlined; the app keeps its files', async () => {
    const wasm = await builtWasm(built.outDir);
    assert.deepEqual(wasm.map((file) => file.replace(/-[\w-]{8}\.wasm$/, '-HASH.wasm')),
      ['assets/heap-HASH.wasm', 'assets/prebuilt-HASH.wasm', 'heap-public.wasm']);
    for (const file of wasm) assert.ok(isInstrumented(await readFile(path.join(built.outDir, file))), file);
    assert.deepEqual(await readFile(path.join(app, 'heap.wasm')), await readFile(HEAP));
    assert.deepEqual(await readFile(path.join(app, 'public/heap-public.wasm')), await readFile(HEAP));
    for (const script of (await readdir(path.join(built.outDir, 'assets'))).filter((file) => file.endsWith('.js'))) {
      assert.doesNotMatch(await readFile(path.join(built.outDir, 'assets', script), 'utf8'), /data:application\/wasm/, script);
    }
  });

  test("the page loads the runtime from the output's viewsan/ folder, with the options", async () => {
    const html = await readFile(path.join(built.outDir, 'index.html'), 'utf8');
    assert.match(html, /<script>globalThis\.VIEWSAN_OPTIONS = \{"mallocContextSize":8\};<\/script>\s*<script type="module" src="\/viewsan\/register\.js"><\/script>/);
    const runtime = (await readdir(path.join(built.outDir, 'viewsan'), { recursive: true })).map((file) => file.split(path.sep).join('/'));
    for (const file of ['register.js', 'dist/register.js', 'viewsan-shim.wasm', 'viewsan-shim-shared.wasm', 'dist/web-worker-start.js']) {
      assert.ok(runtime.includes(file), `${file} in ${runtime.join(' ')}`);
    }
    assert.ok(!runtime.some((file) => /(?:^|\/)(?:vite-|native-instrument)/.test(file) || file.startsWith('src')), 'the plugin and the sources stay out');
    assert.deepEqual(results.options, { mallocContextSize: 8 });
  });
});

describe('a relative base', () => {
  test('the page finds the runtime and its modules wherever the output is served', async () => {
    const app = await scratchApp();
    const { outDir } = await buildApp(app, { configFile: false, base: './', plugins: [viewsan({ build: true })] });
    assert.match(await readFile(path.join(outDir, 'index.html'), 'utf8'), /<script type="module" src="\.\/viewsan\/register\.js">/);
    const server = await startStaticServer({ mounts: { '/deep/under/': outDir } });
    after(() => server.close());
    const results = await pageResults(server.url('/deep/under/index.html'));
    for (const load of LOADS) assert.equal(results[load].kind, 'use-after-free', `${load}: ${JSON.stringify(results[load])}`);
  });
});

describe('without build: true', () => {
  test('vite build leaves the modules and the page as they are', async () => {
    const app = await scratchApp();
    const { outDir } = await buildApp(app);  // the app's vite.config.js: viewsan() alone
    assert.deepEqual(await readFile(path.join(outDir, 'heap-public.wasm')), await readFile(HEAP));
    assert.ok(!(await readdir(outDir)).includes('viewsan'));
    assert.doesNotMatch(await readFile(path.join(outDir, 'index.html'), 'utf8'), /register\.js|VIEWSAN_OPTIONS/);
  });
});
