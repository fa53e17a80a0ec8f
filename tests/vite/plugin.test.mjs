// js.vite-plugin: viewsan/vite's options and failures, through Vite's real dev server (no browser):
// which files it instruments and how, what it serves under /@viewsan/, what the page is given, and
// what it says when it cannot do its work.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import viewsan from 'viewsan/vite';
import { HEAP, VIEWSAN_PACKAGE, buildApp, scratchApp, startVite } from './support/scratch-app.mjs';

const bytesOf = async (response) => Buffer.from(await response.arrayBuffer());
const isInstrumented = (bytes) => WebAssembly.Module.imports(new WebAssembly.Module(bytes)).some((i) => i.module === 'viewsan');
const sitesOf = (bytes) => JSON.parse(Buffer.from(
  WebAssembly.Module.customSections(new WebAssembly.Module(bytes), 'viewsan.sites')[0]).toString());
const sourceMapUrlOf = (bytes) => Buffer.from(
  WebAssembly.Module.customSections(new WebAssembly.Module(bytes), 'sourceMappingURL')[0]).toString('latin1').slice(1);
const viewsanLogs = (logs) => logs.filter(({ message }) => message.startsWith('viewsan:'));

/** mapped.wasm in `dir`: the heap with a sourceMappingURL section, and the map it names beside it. */
async function writeMappedHeap(dir) {
  const name = Buffer.from('sourceMappingURL');
  const mapName = Buffer.from('mapped.wasm.map');
  const payload = Buffer.concat([Buffer.from([name.length]), name, Buffer.from([mapName.length]), mapName]);
  await writeFile(path.join(dir, 'mapped.wasm'), Buffer.concat([await readFile(HEAP), Buffer.from([0, payload.length]), payload]));
  await writeFile(path.join(dir, 'mapped.wasm.map'), JSON.stringify({ version: 3, sources: ['heap.c'], names: [], mappings: '' }));
}

/** The scratch app under Vite with only the plugins given (its vite.config.js is not read). */
async function serve(plugins, config = {}) {
  const app = await scratchApp();
  return { app, ...await startVite(app, { configFile: false, plugins, ...config }) };
}

describe('which files, and how', () => {
  test('include and exclude: globs relative to the root, by name without a slash, RegExps, functions', async () => {
    const { url } = await serve([viewsan({ include: ['public/**', /prebuilt/], exclude: (file) => file.endsWith('prebuilt.wasm') })]);
    assert.ok(isInstrumented(await bytesOf(await fetch(url('heap-public.wasm')))), 'public/heap-public.wasm is included');
    assert.deepEqual(await bytesOf(await fetch(url('heap.wasm'))), await readFile(HEAP), 'heap.wasm is not included: served as it is');
    const byName = await serve([viewsan({ exclude: 'heap-*.wasm' })]);
    assert.deepEqual(await bytesOf(await fetch(byName.url('heap-public.wasm'))), await readFile(HEAP));
    assert.ok(isInstrumented(await bytesOf(await fetch(byName.url('heap.wasm')))));
  });

  test('alloc, free, realloc and instrumentArgs reach viewsan-instrument', async () => {
    const asked = [];
    const { url, app } = await serve([viewsan({
      alloc: 'make_buffer',
      instrumentArgs: (file) => { asked.push(file); return ['--module-name=from-vite']; },
    })]);
    const sites = sitesOf(await bytesOf(await fetch(url('heap.wasm'))));
    assert.equal(sites.module, 'from-vite');
    assert.ok(sites.sites.some((site) => site.callee === 'make_buffer'), JSON.stringify(sites.sites));
    assert.deepEqual(asked, [path.join(app, 'heap.wasm')]);
  });

  test('a module viewsan-instrument refuses is not served: a 500 that names it, logged, with the way out', async () => {
    const { url, logs } = await serve([viewsan({ free: 'no_such_free' })]);
    const response = await fetch(url('heap.wasm'));
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.match(text, /^viewsan: heap\.wasm could not be instrumented, so it is not served: viewsan-instrument exited with status 1 on .*heap\.wasm:\n.*no_such_free/);
    assert.match(text, /the plugin's exclude option serves it as it is, unguarded/);
    assert.deepEqual(viewsanLogs(logs).map(({ type }) => type), ['error']);
  });

  test('a file that is not WebAssembly: the same, and excluded it is served as it is', async () => {
    const { app, url } = await serve([viewsan()]);
    await writeFile(path.join(app, 'broken.wasm'), 'not wasm');
    assert.equal((await fetch(url('broken.wasm'))).status, 500);
    const excluded = await serve([viewsan({ exclude: 'broken.wasm' })]);
    await writeFile(path.join(excluded.app, 'broken.wasm'), 'not wasm');
    const response = await fetch(excluded.url('broken.wasm'));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'not wasm');
  });

  test('a changed file is instrumented again; the same bytes are answered 304 to their ETag', async () => {
    const { app, url, logs } = await serve([viewsan()]);
    const first = await fetch(url('heap.wasm'));
    const etag = first.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    assert.equal(first.headers.get('content-type'), 'application/wasm');
    assert.equal((await fetch(url('heap.wasm'), { headers: { 'If-None-Match': etag } })).status, 304);
    await writeFile(path.join(app, 'heap.wasm'), await readFile(path.join(app, 'prebuilt.wasm')));
    const second = await fetch(url('heap.wasm'));
    assert.notEqual(second.headers.get('etag'), etag);
    assert.deepEqual(await bytesOf(second), await readFile(path.join(app, 'prebuilt.wasm')));
    assert.deepEqual(viewsanLogs(logs).map(({ message }) => message),
      ['viewsan: instrumented heap.wasm', 'viewsan: heap.wasm is instrumented already: left as it is']);
  });

  test("a module's source map: the instrumented module names the updated map, served under /@viewsan/maps/", async () => {
    const { app, url } = await serve([viewsan()]);
    await writeMappedHeap(app);
    const mapUrl = sourceMapUrlOf(await bytesOf(await fetch(url('mapped.wasm'))));
    assert.match(mapUrl, /^\/@viewsan\/maps\/[0-9a-f]{64}\.wasm\.map$/);
    const map = await fetch(url(mapUrl.slice(1)));
    assert.equal(map.headers.get('content-type'), 'application/json');
    assert.deepEqual((await map.json()).sources, ['heap.c']);
  });

  test('with build: true, the updated source map is written beside its module', async () => {
    const app = await scratchApp();
    await writeMappedHeap(path.join(app, 'public'));
    const { outDir } = await buildApp(app, { configFile: false, plugins: [viewsan({ build: true })] });
    const mapUrl = sourceMapUrlOf(await readFile(path.join(outDir, 'mapped.wasm')));
    assert.match(mapUrl, /^viewsan-[0-9a-f]{64}\.wasm\.map$/);
    assert.deepEqual(JSON.parse(await readFile(path.join(outDir, mapUrl), 'utf8')).sources, ['heap.c']);
  });
});

describe("Vite's rules and settings", () => {
  test("a file outside server.fs.allow is left to Vite, which refuses it; allowed, it is instrumented", async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'viewsan-vite-outside-'));
    after(() => rm(outside, { recursive: true, force: true }));
    await writeFile(path.join(outside, 'lib.wasm'), await readFile(HEAP));
    const fsUrl = `@fs${path.join(outside, 'lib.wasm')}`;
    const refused = await serve([viewsan()]);
    assert.equal((await fetch(refused.url(fsUrl))).status, 403);
    const { app } = refused;
    const allowed = await serve([viewsan()], { server: { fs: { allow: [app, outside] } } });
    assert.ok(isInstrumented(await bytesOf(await fetch(allowed.url(fsUrl)))));
  });

  test('a base: the modules, the runtime and register.js in the page are under it', async () => {
    const { url } = await serve([viewsan()], { base: '/app/' });
    assert.ok(isInstrumented(await bytesOf(await fetch(url('/app/heap.wasm')))));
    const html = await (await fetch(url('/app/'))).text();
    assert.match(html, /<script type="module" src="\/app\/@viewsan\/register\.js"><\/script>/);
    assert.equal((await fetch(url('/app/@viewsan/register.js'))).status, 200);
  });

  test("the runtime is served from the package's folder under /@viewsan/, and nothing else is", async () => {
    const { url } = await serve([viewsan()]);
    for (const [file, type] of [['register.js', 'text/javascript'], ['viewsan-shim.wasm', 'application/wasm']]) {
      const response = await fetch(url(`@viewsan/${file}`));
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get('content-type'), type);
      assert.deepEqual(await bytesOf(response), await readFile(path.join(VIEWSAN_PACKAGE, file)));
    }
    assert.equal((await fetch(url('@viewsan/no-such-file.js'))).status, 404);
    assert.equal((await fetch(url('@viewsan/%2e%2e%2fpackage.json'))).status, 404);
    assert.equal((await fetch(url('@viewsan/maps/..%2f..%2fpackage.json'))).status, 404);
  });
});

describe('the page', () => {
  const optionsIn = (html) => JSON.parse(/globalThis\.VIEWSAN_OPTIONS = (.*);<\/script>/.exec(html)?.[1] ?? 'null');

  test("register.js is the first script; the runtime option, then the dev server's VIEWSAN_OPTIONS, give the page's options", async () => {
    const saved = process.env.VIEWSAN_OPTIONS;
    process.env.VIEWSAN_OPTIONS = 'halt_on_error=0';
    try {
      const { url } = await serve([viewsan({ runtime: { mode: 'compat', haltOnError: true } })]);
      const html = await (await fetch(url())).text();
      assert.deepEqual(optionsIn(html), { mode: 'compat', haltOnError: false });
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
      assert.deepEqual(scripts.slice(0, 2), ['<script>', '<script type="module" src="/@viewsan/register.js">']);
    } finally {
      if (saved === undefined) delete process.env.VIEWSAN_OPTIONS;
      else process.env.VIEWSAN_OPTIONS = saved;
    }
  });

  test('runtime options as a VIEWSAN_OPTIONS string; none at all: no options script', async () => {
    const { url } = await serve([viewsan({ runtime: 'mode=compat:malloc_context_size=0' })]);
    assert.deepEqual(optionsIn(await (await fetch(url())).text()), { mode: 'compat', mallocContextSize: 0 });
    const bare = await serve([viewsan()]);
    assert.equal(optionsIn(await (await fetch(bare.url())).text()), null);
  });
});

describe('mistakes', () => {
  test('unknown or unusable options are refused where the config is written', () => {
    assert.throws(() => viewsan({ inlcude: '*.wasm' }), /^TypeError: viewsan: unknown option 'inlcude' \(the options are include, exclude, /);
    assert.throws(() => viewsan({ runtime: { mdoe: 'compat' } }), /unknown option 'mdoe'/);
    assert.throws(() => viewsan({ runtime: { onReport() {} } }), /onReport is a function, which cannot reach the page/);
    assert.throws(() => viewsan({ runtime: 'mdoe=compat' }), /unrecognized option\(s\): mdoe/);
    assert.throws(() => viewsan({ alloc: [42] }), /the alloc option takes a string or an array of strings/);
  });

  test('an instrument option that is not the tool: the dev server does not start, and says so in one line', async () => {
    const app = await scratchApp();
    await assert.rejects(startVite(app, { configFile: false, plugins: [viewsan({ instrument: '/no/such/viewsan-instrument' })] }),
      (error) => error.message === 'viewsan: viewsan-instrument: the instrument option /no/such/viewsan-instrument is not the native tool (no executable file there)');
  });

  test('no viewsan-instrument anywhere: the dev server does not start, and the line says what to do', async (t) => {
    const installed = ['/usr/local/bin', '/opt/viewsan/bin', '/usr/bin'].map((dir) => `${dir}/viewsan-instrument`);
    const { access } = await import('node:fs/promises');
    for (const file of installed) {
      if (await access(file).then(() => true, () => false)) return t.skip(`this machine has ${file}`);
    }
    const app = await scratchApp();
    const saved = { PATH: process.env.PATH, VIEWSAN_INSTRUMENT: process.env.VIEWSAN_INSTRUMENT };
    process.env.PATH = '';
    delete process.env.VIEWSAN_INSTRUMENT;
    try {
      await assert.rejects(startVite(app, { configFile: false, plugins: [viewsan()] }), (error) => {
        assert.equal(error.message, "viewsan: viewsan-instrument: the native tool is not installed: install it (cmake --install, see viewsan's README), " +
          "then put it on PATH, set VIEWSAN_INSTRUMENT to its path, or pass viewsan({ instrument: '/path/to/viewsan-instrument' })");
        assert.equal(error.stack, error.message);
        return true;
      });
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.VIEWSAN_INSTRUMENT !== undefined) process.env.VIEWSAN_INSTRUMENT = saved.VIEWSAN_INSTRUMENT;
    }
  });

  test('vite preview is left alone, and vite build unless build: true', () => {
    const { apply } = viewsan();
    assert.equal(apply({}, { command: 'serve', mode: 'development' }), true);
    assert.equal(apply({}, { command: 'serve', mode: 'production', isPreview: true }), false);
    assert.equal(apply({}, { command: 'build', mode: 'production' }), false);
    assert.equal(viewsan({ build: true }).apply({}, { command: 'build', mode: 'production' }), true);
  });

  test('with build: true, a module viewsan-instrument refuses fails the build, named', async () => {
    const app = await scratchApp();
    await assert.rejects(buildApp(app, { configFile: false, plugins: [viewsan({ build: true, free: 'no_such_free' })] }),
      /viewsan: heap\.wasm could not be instrumented: viewsan-instrument exited with status 1 on .*heap\.wasm:\n.*no_such_free/);
  });
});
