// wasm-bindgen's cached views in headless Chromium (tests/browser/pages/bindgen-glue.js): the
// glue's script is fetched to be read, its views are real typed arrays from the first growth after
// it arrived, and what the glue lends the app, and the app's own views, stay guarded. Under
// register, with the glue instantiating its module itself (bindgen-register.js), the script is
// read while the module compiles, and the first cached view is the glue's already.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pageResults } from './support/page-results.mjs';

const loaded = pageResults('bindgen-glue.html');
const underRegister = pageResults('bindgen-register.html');

test('the page ran', () => assert.equal(loaded().error, undefined, loaded().error));

test("the glue's first cached view is guarded, and those it makes once its script arrived are real", () => {
  assert.equal(loaded().greeting, 'hello from wasm');
  assert.equal(loaded().byteSum, 294);
  assert.equal(loaded().firstGuarded, true);
  assert.equal(loaded().laterReal, true);
});

test("the app's own view and a lent `&[u8]` stay guarded; the one kept past the call is caught", () => {
  assert.equal(loaded().appViewGuarded, true);
  assert.equal(loaded().lentGuarded, true);
  assert.equal(loaded().lentKept, 'use-after-free');
  assert.deepEqual(loaded().errors, ['use-after-free']);
});

test("under register, the glue's script is read while its module compiles: its first cached view is its own", () => {
  assert.equal(underRegister().error, undefined, underRegister().error);
  assert.equal(underRegister().greeting, 'hello from wasm');
  assert.equal(underRegister().firstGuarded, false);
  assert.equal(underRegister().lentKept, 'use-after-free');
});
