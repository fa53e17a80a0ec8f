// The scaffold the browser suites share: serve the project (and the build at /build/), open one
// page of tests/browser/pages in headless Chromium before the tests, wait until it titles itself
// 'done', and read what it left in a global.

import path from 'node:path';
import { after, before } from 'node:test';

import { startStaticServer } from '../../../devtools/lib/static-server.js';
import { startBrowser } from '../../devtools/support/browser.js';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Opens `/tests/browser/pages/${page}?fixtures=/build/tests/js/fixtures` once, before the suite's
 * tests; returns a function that gives the page's `window[global]` once it is done. `query` adds
 * to the page's query string; `isolated` serves everything cross-origin isolated (COOP and COEP:
 * shared memory and threads).
 */
export function pageResults(page, global = 'results', { query = '', isolated = false, timeout = 30000 } = {}) {
  let server;
  let browser;
  let results;
  before(async () => {
    const headers = isolated
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    server = await startStaticServer({ mounts: { '/': root, '/build/': process.env.VIEWSAN_BUILD_DIR }, headers });
    browser = await startBrowser();
    const opened = await browser.open(server.url(`/tests/browser/pages/${page}?fixtures=/build/tests/js/fixtures${query}`));
    await opened.waitFor("document.title === 'done'", timeout);
    results = await opened.evaluate(`window.${global}`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return () => results;
}
