// The viewsan.sites section (contract 1) as the runtime reads it: its header (version, module,
// coverage) when the module is instantiated, its sites when a report first needs them (a large
// module's are megabytes of JSON, parsed again by every thread otherwise); a cut-off section is
// refused at once with the same message as before, and a section in another shape is read whole.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { SiteTable } from '../../runtime-shim/js/src/sites.js';
import { withCustomSection } from '../instrument/fuzz/wasm-module.mjs';

const heap = readFileSync(path.join(process.env.VIEWSAN_FIXTURES, 'freelist-heap.wasm'));

// The heap fixture with a viewsan.sites custom section holding `text`.
const withSites = (text) => new WebAssembly.Module(withCustomSection(heap, 'viewsan.sites', Buffer.from(text)));

const SITES = [
  { id: 0, kind: 'export', func: 'malloc', callee: 'malloc', offset: 10 },
  { id: 1, kind: 'call', func: 'consume', callee: 'free', offset: 42, file: 'heap.c', line: 7, column: 3 },
];

test('the header is read at once, the sites when first asked for', () => {
  const table = SiteTable.fromModule(withSites(JSON.stringify({ version: 1, module: 'heap.wasm', coverage: 'complete', sites: SITES })));
  assert.equal(table.module, 'heap.wasm');
  assert.equal(table.coverageComplete, true);
  assert.equal(table.calledFromJs(0), true);
  assert.equal(table.calledFromJs(1), false);
  assert.deepEqual(table.describe(1), {
    id: 1, kind: 'call', func: 'consume', callee: 'free', offset: 42, file: 'heap.c', line: 7, column: 3, inlinedInto: null,
  });
  assert.equal(table.describe(2), null);
});

test('a module name that holds the text the header is cut at is read right', () => {
  const table = SiteTable.fromModule(withSites(JSON.stringify({ version: 1, module: 'odd,"sites":[.wasm', coverage: 'partial', sites: SITES })));
  assert.equal(table.module, 'odd,"sites":[.wasm');
  assert.equal(table.describe(0).func, 'malloc');
});

test('a section in another order is read whole', () => {
  const table = SiteTable.fromModule(withSites(JSON.stringify({ sites: SITES, coverage: 'partial', module: 'm', version: 1 })));
  assert.equal(table.module, 'm');
  assert.equal(table.coverageComplete, false);
  assert.equal(table.describe(0).kind, 'export');
});

test('a cut-off section, or one of another version, is refused when the module is read', () => {
  const text = JSON.stringify({ version: 1, module: 'heap.wasm', coverage: 'partial', sites: SITES });
  assert.throws(() => SiteTable.fromModule(withSites(text.slice(0, -20))), /viewsan\.sites section is not valid JSON/);
  assert.throws(() => SiteTable.fromModule(withSites(JSON.stringify({ version: 2, module: 'x', coverage: 'partial', sites: [] }))),
    /viewsan\.sites version 2 is not supported \(expected 1\)/);
});
