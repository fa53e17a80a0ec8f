// Browser sinks (ImageData, canvas, AudioBuffer, WebGL, postMessage, bodies, streams, Web Crypto) in real headless
// Chromium, in both modes: live guarded views are accepted, freed ones are reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

const loaded = pageResults('sinks.html', 'sinkResults');

const EXPECTED_LIVE = {
  ImageData: 200,
  putImageData: 200,
  'AudioBuffer.copyToChannel': null,  // the float value of four 200 bytes: any finite number
  'AudioBuffer.copyFromChannel': 0.25,
  'WebGL bufferData': 1,
  'WebGL texImage2D': 1,
  postMessage: 1,
  'Request body': 200,
  File: 200,
  'SubtleCrypto.digest': 32,
  'WritableStreamDefaultWriter.write': 64,
  'XMLHttpRequest.send': 1,
};

for (const mode of ['strict', 'compat']) {
  for (const [sink, live] of Object.entries(EXPECTED_LIVE)) {
    test(`${mode}: ${sink}`, () => {
      const result = loaded()[mode][sink];
      if (sink.startsWith('WebGL') && !loaded().webgl) assert.fail('WebGL2 is not available in this Chromium');
      if (live === null) assert.ok(Number.isFinite(result.live), JSON.stringify(result));
      else assert.equal(result.live, live, JSON.stringify(result));
      assert.equal(result.freed, 'use-after-free', JSON.stringify(result));
    });
  }
}
