// One headless Chromium for a suite (started before its tests, closed after), and what a page of
// the scratch app leaves in window.results once it titles itself 'done'. Both Vite suites share it.

import { after, before } from 'node:test';

import { startBrowser } from '../../devtools/support/browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(() => browser?.close());

/** A page of the suite's browser, open on `url`, for a test that looks at it itself. */
export function openPage(url) {
  return browser.open(url);
}

export async function pageResults(url) {
  const page = await browser.open(url);
  try {
    await page.waitFor("document.title === 'done'", 30000);
    return await page.evaluate('window.results');
  } finally {
    await page.close();
  }
}
