// The shim ABI's layout has one source, shim_abi.h: the offsets and values the JS runtime reads
// (runtime-shim/js/src/shim-layout.js) are those the compiler gives the header's structures and
// enums, as tests/shim/layout_dump.cpp prints them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import * as layout from '../../runtime-shim/js/src/shim-layout.js';

const compiled = JSON.parse(execFileSync(process.env.VIEWSAN_SHIM_LAYOUT_DUMP, { encoding: 'utf8' }));

test('the site constants', () => {
  assert.deepEqual({ VS_SITE_JS: layout.VS_SITE_JS, VS_SITE_UNKNOWN: layout.VS_SITE_UNKNOWN }, compiled.Constants);
});

for (const name of ['RegionState', 'ErrorKind', 'EventKind', 'State', 'Event', 'Ring', 'Result', 'RegionRecord']) {
  test(`${name}: every name, offset and value as compiled`, () => {
    assert.deepEqual({ ...layout[name] }, compiled[name]);
  });
}

test('no structure has fields past the last one the runtime maps', () => {
  for (const [name, size] of Object.entries(compiled.Sizes)) {
    const last = Math.max(...Object.values(layout[name]));
    // The last field is at most 8 bytes wide (a double), padding included.
    assert.ok(size - last <= 8, `${name}: ${size} bytes, the last mapped field at ${last}`);
  }
});
