// viewsan-devtools reads contract 4 through the viewsan package's protocol module: the panel
// imports it as ./viewsan/protocol.js (a link in the repository, copies in the extension), the
// CLI through the same path, and batches of every version are read or set aside on purpose.

import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import * as fromPackage from 'viewsan/protocol';
import * as fromPanel from '../../devtools/panel/viewsan/protocol.js';
import * as fromSources from '../../runtime-shim/js/src/protocol.js';
import { BatchReader } from '../../devtools/panel/batch-reader.js';
import { ViewsanModel } from '../../devtools/panel/model.js';
import { writeExtension } from '../../devtools/lib/index.js';
import { PANEL_VIEWSAN_FILES } from '../../devtools/lib/viewsan-files.js';
import { useAfterFreeBatch } from './fixtures/events.js';

const DEVTOOLS = fileURLToPath(new URL('../../devtools/', import.meta.url));

describe('the protocol module in viewsan-devtools', () => {
  test('the panel\'s ./viewsan/protocol.js is the viewsan package\'s source module itself, whose exports the package gives', () => {
    assert.equal(fromPanel, fromSources);
    // The package's copy is the bundle's (dist/, which esbuild printed again): the same values, and
    // the same functions by name and arity.
    const comparable = (module) => Object.fromEntries(Object.entries(module)
      .map(([name, value]) => [name, typeof value === 'function' ? `${value.name}/${value.length}` : value]));
    assert.deepEqual(comparable(fromPanel), comparable(fromPackage));
  });

  test('no constant of the protocol is defined again in viewsan-devtools', async () => {
    const names = Object.keys(fromPackage).filter((name) => /^[A-Z_]+$/.test(name) && name !== 'EventType');
    for (const folder of ['lib', 'panel', 'extension', 'bin']) {
      for (const entry of await readdir(path.join(DEVTOOLS, folder), { withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
        const source = await readFile(path.join(DEVTOOLS, folder, entry.name), 'utf8');
        for (const name of names) {
          assert.doesNotMatch(source, new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`), `${folder}/${entry.name} defines ${name}`);
        }
        assert.doesNotMatch(source, /'__viewsan_devtools'/, `${folder}/${entry.name} names the binding`);
      }
    }
  });

  test('the model counts every stats field of the protocol', () => {
    const model = new ViewsanModel();
    model.ingest(useAfterFreeBatch(), 1);
    // Unseen frees come as the session's count so far; sessions add up.
    model.ingest([{ type: 'stats', seq: 4, t: 4, session: 1, unseenFrees: 1 }], 1);
    model.ingest([{ type: 'stats', seq: 5, t: 5, session: 1, unseenFrees: 3 }], 1);
    model.ingest([{ type: 'stats', seq: 0, t: 1, session: 2, unseenFrees: 2 }], 1);
    assert.equal(model.stats.unseenFrees, 5);
    // Bytes copied out come as the session's count so far too: the copy-out reports' own bytes,
    // all a runtime that does not count them sends, are then not added again.
    model.ingest([{ type: 'report', seq: 6, t: 6, session: 1, reportId: 7, report: { kind: 'copy-out', severity: 'warning', bytes: 64 } }], 1);
    assert.equal(model.stats.copyOutBytes, 64);
    model.ingest([{ type: 'stats', seq: 7, t: 7, session: 1, copyOutBytes: 640 }], 1);
    model.ingest([{ type: 'report', seq: 8, t: 8, session: 1, reportId: 8, report: { kind: 'copy-out', severity: 'warning', bytes: 64 } }], 1);
    model.ingest([{ type: 'stats', seq: 9, t: 9, session: 1, copyOutBytes: 704 }], 1);
    assert.equal(model.stats.copyOutBytes, 704);
    assert.deepEqual(Object.keys(model.stats), fromPackage.STAT_FIELDS);
    assert.deepEqual(Object.keys(model.toJSON().stats), fromPackage.STAT_FIELDS);
    assert.equal(model.toJSON().version, fromPackage.REPORT_VERSION);
  });
});

describe('mergeRepeatedReports', () => {
  const { mergeRepeatedReports } = fromSources;
  const report = (kind, stack, count = 1) => ({ kind, stack, count });

  test("merges one place's reports from other sessions into the first, counts summed, copying it", () => {
    const first = report('copy-out', 'at a\nat b', 2);
    const entries = [
      { report: first, session: 1, place: 'p' },
      { report: report('copy-out', 'at a\nat c'), session: 2, place: 'p' },  // a deeper caller, one place
      { report: report('copy-out', 'at a\nat b'), session: 2, place: 'q' },
      { report: report('use-after-free', 'at a\nat b'), session: 3, place: null },  // kept apart
      { report: report('copy-out', 'at a\nat d', 4), session: 3, place: 'p' },
      { report: report('copy-out', 'at a\nat e'), session: 3, place: 'p' },  // a session's second: its own
    ];
    const merged = mergeRepeatedReports(entries, (e) => (e.place ? e.session : null), (e) => e.place);
    assert.deepEqual(merged.map((r) => [r.kind, r.stack, r.count]), [
      ['copy-out', 'at a\nat b', 7], ['copy-out', 'at a\nat b', 1], ['use-after-free', 'at a\nat b', 1],
      ['copy-out', 'at a\nat e', 1],
    ]);
    assert.equal(first.count, 2);
  });

  test('by default a place is the kind and the stack; a report without a stack is its own', () => {
    const entries = [1, 2, 3].map((session) => ({ report: report('copy-out', 'at a'), session }))
      .concat([{ report: report('copy-out', ''), session: 4 }, { report: report('copy-out', ''), session: 5 }]);
    assert.deepEqual(mergeRepeatedReports(entries, (e) => e.session).map((r) => r.count), [3, 1, 1]);
  });
});

describe('BatchReader', () => {
  const events = useAfterFreeBatch();

  test('reads version 1 and the bare arrays of runtimes from before versions', () => {
    const warnings = [];
    const reader = new BatchReader((message) => warnings.push(message));
    assert.deepEqual(reader.read(fromPackage.encodeBatch(events)), events);
    assert.deepEqual(reader.read(JSON.stringify(events)), events);
    assert.deepEqual(reader.read(fromPackage.encodeBatch([])), []);
    assert.deepEqual(warnings, []);
    assert.equal(reader.skipped, 0);
  });

  test('skips batches of a newer version, counts them, and warns once', () => {
    const warnings = [];
    const reader = new BatchReader((message) => warnings.push(message));
    assert.deepEqual(reader.read(JSON.stringify({ v: 2, events })), []);
    assert.deepEqual(reader.read(JSON.stringify({ v: 3, records: [] })), []);
    assert.deepEqual(reader.read(fromPackage.encodeBatch(events)), events, 'version 1 is still read');
    assert.equal(reader.skipped, 2);
    assert.deepEqual(warnings, [
      'skipped events of a newer viewsan runtime: it sends event-stream version 2, and this viewsan-devtools ' +
        "reads version 1 (update viewsan-devtools to the page's viewsan version)",
    ]);
  });

  test('returns null for what is no batch, without a version warning', () => {
    const warnings = [];
    const reader = new BatchReader((message) => warnings.push(message));
    for (const text of ['{not json', '{"v":1}', '{"events":[]}', '42', undefined]) assert.equal(reader.read(text), null, String(text));
    assert.deepEqual(warnings, []);
  });
});

describe('the extension carries the listed viewsan files', () => {
  test('copies of them in panel/viewsan/, not the link', async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'viewsan-extension-files-'));
    try {
      const { dir } = await writeExtension(scratch);
      // Written twice: a folder from before is brought up to date.
      await writeExtension(scratch);
      const viewsanDir = path.join(dir, 'panel', 'viewsan');
      assert.ok((await lstat(viewsanDir)).isDirectory());
      assert.deepEqual((await readdir(viewsanDir)).sort(), [...PANEL_VIEWSAN_FILES].sort());
      for (const name of PANEL_VIEWSAN_FILES) {
        assert.ok((await lstat(path.join(viewsanDir, name))).isFile(), `${name} is a file`);
        assert.equal(
          await readFile(path.join(viewsanDir, name), 'utf8'),
          await readFile(new URL(`../../runtime-shim/js/src/${name}`, import.meta.url), 'utf8'),
        );
      }
      assert.ok((await readdir(path.join(dir, 'panel'))).includes('extension-ports.js'));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
