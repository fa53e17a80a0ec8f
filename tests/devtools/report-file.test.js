// The --report file: the model's JSON exactly, indented for people, one line per event so that
// large runs stay small; written whole or not at all.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeReportFile } from '../../devtools/lib/report-file.js';
import { reportFileText } from '../../devtools/panel/report-file-text.js';
import { ViewsanModel } from '../../devtools/panel/model.js';
import { busyBatch, useAfterFreeBatch } from './fixtures/events.js';

function report() {
  const model = new ViewsanModel();
  model.ingest(busyBatch(), 1);
  model.ingest(useAfterFreeBatch(), 2);
  return model.toJSON();
}

test('the file holds the report, each event on a line of its own', async () => {
  const json = report();
  const text = reportFileText(json);
  assert.deepEqual(JSON.parse(text), json);
  const eventLines = text.split('\n').filter((line) => /^ {4}\{"type":/.test(line));
  assert.equal(eventLines.length, json.events.length);
  assert.ok(json.events.length > 10);
  // Reports stay indented: they are what a person opens the file for.
  assert.match(text, /\n {2}"reports": \[\n {4}\{\n {6}"kind": /);
});

test('a report without events, or with none, is plain indented JSON', () => {
  assert.equal(reportFileText({ version: 1, reports: [] }), `${JSON.stringify({ version: 1, reports: [] }, null, 2)}\n`);
  assert.deepEqual(JSON.parse(reportFileText({ version: 1, events: [] })), { version: 1, events: [] });
});

test('written whole, with no temporary file left', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'viewsan-report-'));
  try {
    const file = path.join(dir, 'report.json');
    await writeReportFile(file, report());
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), report());
    assert.deepEqual(await readdir(dir), ['report.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
