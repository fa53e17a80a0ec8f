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
 * tests; returns a function that gives the page's `window[global]` once it is done.
 */
export function pageResults(page, global = 'results') {
  let server;
  let browser;
  let results;
  before(async () => {
    server = await startStaticServer({ mounts: { '/': root, '/build/': process.env.VIEWSAN_BUILD_DIR } });
    browser = await startBrowser();
    const opened = await browser.open(server.url(`/tests/browser/pages/${page}?fixtures=/build/tests/js/fixtures`));
    await opened.waitFor("document.title === 'done'", 30000);
    results = await opened.evaluate(`window.${global}`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return () => results;
}
