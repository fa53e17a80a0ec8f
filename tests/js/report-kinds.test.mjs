// Every contract-3 kind has its hint and its documentation page, and renders the same blocks.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { REPORT_KINDS } from 'viewsan';

import { makeReport } from '../../runtime-shim/js/src/report.js';

const docs = path.resolve(import.meta.dirname, '../../docs/reports');

test('the kinds are exactly those of contract 3', () => {
  assert.deepEqual([...REPORT_KINDS].sort(), [
    'copy-out', 'double-free', 'invalid-free', 'misaligned-view', 'resizable-view', 'unallocated-view',
    'use-after-free', 'use-after-grow', 'use-after-reuse', 'view-out-of-bounds',
  ]);
});

for (const kind of REPORT_KINDS) {
  test(`${kind}: a documentation page, and a report with headline, summary and hint`, () => {
    assert.ok(existsSync(path.join(docs, `${kind}.md`)), `docs/reports/${kind}.md`);
    const report = makeReport({
      kind,
      view: { ctor: 'Float32Array', byteOffset: 0x410, length: 4, createdAt: '    at app (app.js:1:1)' },
      region: { ptr: 0x410, size: 16, allocId: 1, allocSite: null, freeSite: null },
      bytes: 16,
      stack: '    at app (app.js:2:1)',
    });
    const lines = report.message.split('\n');
    assert.match(lines[0], new RegExp(`^(ERROR|WARNING): viewsan: ${kind} `));
    assert.match(report.message, new RegExp(`^SUMMARY: viewsan: ${kind} `, 'm'));
    assert.match(lines.at(-1), /^HINT: \S/);
    assert.equal(report.severity, kind === 'copy-out' ? 'warning' : 'error');
  });
}

test('use-after-grow: a buffer memory.toResizableBuffer() replaced is named, with its stack, in place of a growth', () => {
  const report = makeReport({
    kind: 'use-after-grow',
    view: { ctor: 'Uint8Array', byteOffset: 0x410, length: 16, createdAt: '    at app (app.js:1:1)' },
    access: { op: 'read', index: '0' },
    grow: {
      fromPages: 2, toPages: 2, method: 'toResizableBuffer',
      site: { kind: 'js', func: null, callee: null, offset: null, stack: '    at convert (app.js:3:1)' },
    },
    stack: '    at app (app.js:2:1)',
  });
  const lines = report.message.split('\n');
  const at = lines.indexOf('memory.toResizableBuffer() in JavaScript replaced memory.buffer (2 pages, not grown), which detached the view\'s buffer');
  assert.ok(at > 0, report.message);
  assert.equal(lines[at + 1], '    at convert (app.js:3:1)');
  assert.doesNotMatch(report.message, /memory grew/);
  assert.match(lines.at(-1), /^HINT: memory\.toResizableBuffer\(\) replaced memory\.buffer; re-create the view/);
});
