// The Vite app of tests/vite/app, copied into a fresh folder under the OS temp dir with the
// modules it loads (the hand-written heap the build assembles, before and after instrumenting),
// and `viewsan` installed in its node_modules as a dependency is (a link to the package's
// folder), so that its vite.config.js imports 'viewsan/vite' as a user's does. Vite's dev server
// (or `vite build`, then `vite preview`) is run on it programmatically, on a free loopback port.
// Folders and servers are removed when the test file ends.

import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

import { freePort } from '../../devtools/support/cli.js';

const repo = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(process.env.VIEWSAN_BUILD_DIR ?? path.join(repo, 'build'), 'tests/js/fixtures');
export const HEAP = path.join(fixtures, 'freelist-heap.wasm');
export const HEAP_INSTRUMENTED = path.join(fixtures, 'freelist-heap.vs.wasm');
export const VIEWSAN_PACKAGE = path.join(repo, 'runtime-shim/js');

const cleanups = [];
after(async () => {
  for (const cleanUp of cleanups.reverse()) await cleanUp();
});

/** Vite, from tests/vite/node_modules (scripts/setup.sh installs it), with a message when it is not there. */
export async function importVite() {
  try {
    return await import('vite');
  } catch (error) {
    throw new Error(`vite is not installed for tests/vite: run scripts/setup.sh (npm ci --prefix tests/vite): ${error.message}`);
  }
}

/** A fresh copy of the app. Returns its folder. */
export async function scratchApp() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'viewsan-vite-app-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(path.join(import.meta.dirname, '../app'), dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), '{ "name": "scratch-vite-app", "private": true, "type": "module" }\n');
  await mkdir(path.join(dir, 'node_modules'));
  await symlink(VIEWSAN_PACKAGE, path.join(dir, 'node_modules/viewsan'), 'dir');
  await writeFile(path.join(dir, 'heap.wasm'), await readFile(HEAP));
  await writeFile(path.join(dir, 'prebuilt.wasm'), await readFile(HEAP_INSTRUMENTED));
  await mkdir(path.join(dir, 'public'));
  await writeFile(path.join(dir, 'public/heap-public.wasm'), await readFile(HEAP));
  return dir;
}

function collectingLogger(createLogger, logs) {
  const logger = createLogger('info', { allowClearScreen: false });
  for (const type of ['info', 'warn', 'warnOnce', 'error']) {
    logger[type] = (message) => logs.push({ type, message });
  }
  return logger;
}

/**
 * Vite's dev server on `root`, listening on loopback, with `inlineConfig` over the app's
 * vite.config.js; what Vite logs is kept in `logs` ({type, message}).
 */
export async function startVite(root, inlineConfig = {}) {
  const { createLogger, createServer } = await importVite();
  const logs = [];
  const { server: serverOptions, ...rest } = inlineConfig;
  const server = await createServer({
    root,
    customLogger: collectingLogger(createLogger, logs),
    clearScreen: false,
    ...rest,
    server: { host: '127.0.0.1', port: await freePort(), open: false, ...serverOptions },
  });
  cleanups.push(() => server.close());
  await server.listen();
  return { server, logs, url: (file = '') => new URL(file, server.resolvedUrls.local[0]).href };
}

/** `vite build` of `root` with `inlineConfig` over its vite.config.js. Returns the output folder and the logs. */
export async function buildApp(root, inlineConfig = {}) {
  const { build, createLogger } = await importVite();
  const logs = [];
  await build({ root, customLogger: collectingLogger(createLogger, logs), clearScreen: false, ...inlineConfig });
  return { outDir: path.join(root, 'dist'), logs };
}

/** `vite preview` of `root`'s build, on loopback, with `inlineConfig` over its vite.config.js. */
export async function previewApp(root, inlineConfig = {}) {
  const { createLogger, preview } = await importVite();
  const logs = [];
  const { preview: previewOptions, ...rest } = inlineConfig;
  const server = await preview({
    root,
    customLogger: collectingLogger(createLogger, logs),
    ...rest,
    preview: { host: '127.0.0.1', port: await freePort(), open: false, ...previewOptions },
  });
  cleanups.push(() => server.close());
  return { server, url: (file = '') => new URL(file, server.resolvedUrls.local[0]).href };
}
