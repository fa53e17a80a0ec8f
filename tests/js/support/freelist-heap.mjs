// The hand-written heap fixture (fixtures/freelist-heap.wat, instrumented by the build), which
// most suites drive: instantiated under viewsan, its exports and the session side by side.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { instantiate } from 'viewsan';

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const bytes = await readFile(path.join(fixtures, 'freelist-heap.vs.wasm'));

/** `{...exports, session}` of a fresh instance with these options. */
export async function loadFreelistHeap(options) {
  const { instance, session } = await instantiate(bytes, {}, options);
  return { ...instance.exports, session };
}
