// Browser-only sinks (ImageData, canvas, AudioBuffer, WebGL, postMessage) in real headless
// Chromium, in both modes: live guarded views are accepted, freed ones are reported.
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
  const page = await browser.open(server.url('/tests/browser/pages/sinks.html?fixtures=/build/tests/js/fixtures'));
  await page.waitFor("document.title === 'done'", 30000);
  results = await page.evaluate('window.sinkResults');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const EXPECTED_LIVE = {
  ImageData: 200,
  putImageData: 200,
  'AudioBuffer.copyToChannel': null,  // the float value of four 200 bytes: any finite number
  'AudioBuffer.copyFromChannel': 0.25,
  'WebGL bufferData': 1,
  'WebGL texImage2D': 1,
  postMessage: 1,
};

for (const mode of ['strict', 'compat']) {
  for (const [sink, live] of Object.entries(EXPECTED_LIVE)) {
    test(`${mode}: ${sink}`, () => {
      const result = results[mode][sink];
      if (sink.startsWith('WebGL') && !results.webgl) assert.fail('WebGL2 is not available in this Chromium');
      if (live === null) assert.ok(Number.isFinite(result.live), JSON.stringify(result));
      else assert.equal(result.live, live, JSON.stringify(result));
      assert.equal(result.freed, 'use-after-free', JSON.stringify(result));
    });
  }
}
