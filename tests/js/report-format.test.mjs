// The one formatter: each kind's text, rendered from the report's JSON alone, against its golden
// text (tests/js/golden/<kind>.txt, from tests/js/golden/reports.json); the runtime's own
// messages are that formatter's output for the reports' JSON. VIEWSAN_UPDATE_GOLDEN=1 rewrites
// the golden texts (then read the diff).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPORT_KINDS, formatReport, instantiate } from 'viewsan';

const golden = path.join(import.meta.dirname, 'golden');
const reports = JSON.parse(readFileSync(path.join(golden, 'reports.json'), 'utf8'));
const fixture = (name) => readFile(path.join(process.env.VIEWSAN_FIXTURES, name));

for (const kind of REPORT_KINDS) {
  test(`${kind}: the golden text`, () => {
    const file = path.join(golden, `${kind}.txt`);
    const text = `${formatReport(reports[kind])}\n`;
    if (process.env.VIEWSAN_UPDATE_GOLDEN === '1') writeFileSync(file, text);
    assert.equal(text, readFileSync(file, 'utf8'));
  });
}

test('a copy-out\'s summary: where its bytes began, and the function the view was handed to', () => {
  const summary = (access) => formatReport({ ...reports['copy-out'], access }).split('\n').find((l) => l.startsWith('SUMMARY'));
  assert.equal(summary({ op: 'call', method: 'slice' }), 'SUMMARY: viewsan: copy-out Uint8Array.slice() at 0x11428');
  assert.equal(summary({ op: 'call', method: 'Array.from' }), 'SUMMARY: viewsan: copy-out Array.from(Uint8Array) at 0x11428');
  assert.equal(summary({ op: 'call', method: 'new Float32Array' }), 'SUMMARY: viewsan: copy-out new Float32Array(Uint8Array) at 0x11428');
});

test('a report made at run time says what formatReport says of its JSON', async () => {
  const { instance, session } = await instantiate(await fixture('freelist-heap.vs.wasm'), {},
    { haltOnError: false, exitcode: 0 });
  const { malloc, free, memory } = instance.exports;
  const p = malloc(32);
  const view = new Uint8Array(memory.buffer, p, 32);
  view.slice(4, 8);
  free(p);
  view[0] = 1;
  free(p);
  const q = malloc(32);
  free(q + 8);
  assert.deepEqual(session.reports.map((r) => r.kind), ['copy-out', 'use-after-free', 'double-free', 'invalid-free']);
  for (const report of session.reports) {
    assert.equal(formatReport(JSON.parse(JSON.stringify(report))), report.message);
  }
  const [copy, , double, invalid] = session.reports;
  assert.equal(copy.address, p + 4, 'where the copy began');
  assert.equal(copy.region.allocId, double.region.allocId, 'and the allocation there');
  assert.match(double.message, /^attempted free of 0x[0-9a-f]+ by JavaScript through the export free, which was already freed$/m);
  assert.equal(double.attempt.kind, 'export');
  assert.match(double.attempt.stack, /report-format\.test\.mjs/);
  assert.match(invalid.message, /^attempted free of 0x[0-9a-f]+ by JavaScript through the export free: 8 bytes inside allocation #\d+, not at its start$/m);
});
