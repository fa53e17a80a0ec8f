// @jsquash/png in headless Chromium under viewsan, as a page would run it: register.js, then the
// package's own modules, whose loader streams its .wasm (instrumented in place in a copy of the
// package). The page decodes and encodes a PNG, compares with what the original package gives in
// Node, and viewsan-devtools collects the run: no error report, no page error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { codec, decodeEncode, makePng } from '../corpus/workloads/png.mjs';
import { digest } from '../corpus/workloads/run-main.mjs';
import { REGISTER_PACKAGES, corpusFile, instrumentedPackage, scratchDir } from './lib/under-viewsan.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chromium = process.env.VIEWSAN_CHROMIUM ?? 'chromium';
const scratch = scratchDir();

test('@jsquash/png in a page: the same pixels and bytes, no error report, no page error', async () => {
  const { png } = makePng(67, 45);
  writeFileSync(join(scratch, 'image.png'), png);
  // What the original package gives, in Node.
  const original = await decodeEncode(await codec(corpusFile('@jsquash/png')), 67, 45);
  const expected = {
    width: 67,
    height: 45,
    decoded: await digest(original.decoded.data),
    encoded: await digest(original.encoded),
    redecoded: await digest(original.redecoded.data),
  };
  const pkg = instrumentedPackage(REGISTER_PACKAGES.png, join(scratch, 'instrumented'));

  const reportPath = join(scratch, 'report.json');
  const page = `/tests/realworld/pages/png.html?pkg=/pkg&png=/data/image.png&expect=${
    encodeURIComponent(JSON.stringify(expected))}`;
  const cli = spawnSync(process.execPath, [
    join(root, 'devtools/bin/viewsan-devtools.js'), 'launch', '--root', root,
    '--mount', `/pkg=${pkg}`, '--mount', `/data=${scratch}`, '--chromium', chromium,
    page, '--report', reportPath, '--timeout', '60', '--idle', '3000',
  ], { encoding: 'utf8' });
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  console.log(`@jsquash/png in Chromium: ${JSON.stringify(report.stats)}`);
  assert.deepEqual(report.pageErrors, [], cli.stderr);
  assert.deepEqual(report.reports.filter((r) => r.severity === 'error'), []);
  assert.equal(cli.status, 0, cli.stderr);
  // The module was guarded, and the page got through both decodes and the encode: the glue
  // copied the pixels out twice and the encoded file once.
  assert.ok(report.stats.allocs > 0 && report.stats.frees > 0, JSON.stringify(report.stats));
  assert.ok(report.stats.copyOutBytes >= 2 * 67 * 45 * 4 + expected.encoded.bytes,
    JSON.stringify(report.stats));
});
