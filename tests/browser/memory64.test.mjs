// memory64 in headless Chromium (tests/browser/pages/memory64.js): the 64-bit heap fixture,
// instrumented and not, in both modes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startStaticServer } from '../../devtools/lib/static-server.js';
import { startBrowser } from '../devtools/support/browser.js';

const root = path.resolve(import.meta.dirname, '../..');
let server;
let browser;
let results;

before(async () => {
  server = await startStaticServer({ mounts: { '/': root, '/build/': process.env.VIEWSAN_BUILD_DIR } });
  browser = await startBrowser();
  const page = await browser.open(server.url('/tests/browser/pages/memory64.html?fixtures=/build/tests/js/fixtures'));
  await page.waitFor("document.title === 'done'", 30000);
  results = await page.evaluate('window.results');
  assert.equal(results.error, undefined, results.error);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const mode of ['strict', 'compat']) {
  for (const variant of ['freelist-heap64.vs.wasm', 'freelist-heap64.wasm']) {
    test(`${mode}, ${variant}: BigInt pointers, and views caught after free, reuse and growth`, () => {
      assert.deepEqual(results[`${mode} ${variant}`], {
        pointer: 'bigint', region: ['bigint', true],
        freed: 'use-after-free', reused: 'use-after-reuse', grown: 'use-after-grow',
      });
    });
  }
}
