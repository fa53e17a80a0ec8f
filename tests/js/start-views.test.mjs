// Views JavaScript makes over an imported memory while the module instantiates (its start
// function calls back into JavaScript) are guarded like views made afterwards.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { instantiate } from 'viewsan';

import { catchViewSan } from './support/viewsan-error.mjs';

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const bytes = await readFile(path.join(fixtures, 'start-views.vs.wasm'));

for (const mode of ['strict', 'compat']) {
  test(`${mode}: a view made during the start function is caught after free and reuse`, async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    let ptr;
    let view;
    const imports = {
      env: {
        memory,
        made: (p) => {
          ptr = p;
          view = new Uint8Array(memory.buffer, p, 16);
          view.fill(5);
        },
      },
    };
    const { instance, session } = await instantiate(bytes, imports, { mode });
    assert.equal(view.at(0), 5);
    instance.exports.free(ptr);
    const freed = catchViewSan(() => view.at(0));
    assert.equal(freed.kind, 'use-after-free');
    assert.match(freed.message, /allocated by init \(calls malloc\)/);
    assert.equal(instance.exports.malloc(16), ptr);
    assert.equal(catchViewSan(() => view.at(0)).kind, 'use-after-reuse');
    assert.equal(session.stats().errors, 2);
  });
}

test('an instantiation that fails lets go of the memory: the same imports instantiate again', async () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  await assert.rejects(instantiate(bytes, { env: { memory } }), /made/);  // env.made is missing
  const { instance } = await instantiate(bytes, { env: { memory, made: () => {} } });
  assert.equal(typeof instance.exports.malloc(8), 'number');
});
