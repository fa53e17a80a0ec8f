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

// Sites with names that hold what the reader looks for, quotes, commas and braces among them.
const MANY = Array.from({ length: 500 }, (_, id) => ({
  id, kind: id % 3 === 0 ? 'export' : 'call',
  func: id % 7 === 0 ? `odd{"id":${id + 1},"kind":"export"}\u00e9 "q" ${id}` : `f${id}`,
  callee: id % 5 === 0 ? null : 'malloc', offset: id * 17,
  ...(id % 4 === 0 ? { file: `src/${id},{"id":2}.c`, line: id, column: null, inlinedInto: id % 8 === 0 ? 'outer' : null } : {}),
}));

test('a site a report needs is read alone, the same as from the whole section', () => {
  const module = withSites(JSON.stringify({ version: 1, module: 'many.wasm', coverage: 'partial', sites: MANY }));
  const whole = SiteTable.fromModule(module);
  whole.sites;  // parsed whole
  for (const index of [0, 1, 2, 7, 8, 63, 64, 250, 498, 499, 500, -1]) {
    const table = SiteTable.fromModule(module);
    assert.deepEqual(table.describe(index), whole.describe(index), `site ${index}`);
    assert.equal(table.calledFromJs(index), whole.calledFromJs(index), `site ${index}`);
  }
  // Past a few dozen sites asked for, the section is parsed whole: the same answers.
  const table = SiteTable.fromModule(module);
  for (let index = 0; index < MANY.length; index++) assert.deepEqual(table.describe(index), whole.describe(index));
});

test('reading one site does not parse the others', () => {
  const text = JSON.stringify({ version: 1, module: 'broken.wasm', coverage: 'partial', sites: MANY.slice(0, 10) })
    .replace('{"id":6,', '{"id":6,oops,');
  const table = SiteTable.fromModule(withSites(text));
  assert.equal(table.describe(2).func, 'f2');
  assert.equal(table.calledFromJs(9), true);
  assert.throws(() => table.sites, /viewsan\.sites section is not valid JSON/);
});
