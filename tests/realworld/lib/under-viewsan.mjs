// Runs a corpus workload twice: as its users run it today (the original package, no viewsan),
// and under viewsan (the package's .wasm instrumented in place, `node --import viewsan/register`),
// and returns both results with the JSON report viewsan wrote at exit.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { copyPackage, corpusFile, instrument, scratchDir, validate } from '../../corpus/lib/instrument.mjs';
import { runNodeProgram } from '../../corpus/lib/run-node.mjs';

export { corpusFile, scratchDir } from '../../corpus/lib/instrument.mjs';
export { REGISTER_PACKAGES } from './packages.mjs';

// `viewsan/register` resolves from the project root, as from an app that depends on `viewsan`.
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const workload = (name) => fileURLToPath(new URL(`../../corpus/workloads/${name}`, import.meta.url));

let runs = 0;

/**
 * Runs `node [--import viewsan/register] script ...args`; with `viewsanOptions` (a string for
 * VIEWSAN_OPTIONS) the program runs under viewsan, and its report_path file is returned. The
 * program must exit with `status`.
 */
export function runProgram(scratch, script, args, viewsanOptions, status = 0) {
  const reportPath = join(scratch, `report-${++runs}.json`);
  const underViewsan = viewsanOptions !== undefined;
  const env = { ...process.env };
  delete env.VIEWSAN_OPTIONS;
  if (underViewsan) env.VIEWSAN_OPTIONS = `${viewsanOptions}:report_path=${reportPath}`;
  const run = runNodeProgram({
    script, args, preload: underViewsan ? 'viewsan/register' : undefined, env, cwd: projectRoot, status,
  });
  return { ...run, report: underViewsan ? JSON.parse(readFileSync(reportPath, 'utf8')) : null };
}

/** Prints what a report held, kind by kind, for the test log. */
export function summarize(report) {
  const kinds = {};
  for (const r of report.reports) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  return JSON.stringify({ kinds, stats: report.stats });
}

/**
 * A correct program under viewsan: no error report, and the shim saw the allocator at work
 * (so the silence means something).
 */
export function assertSilent(report, label) {
  const errors = report.reports.filter((r) => r.severity === 'error');
  assert.deepEqual(errors.map((r) => r.message), [], `${label}: false alarms`);
  assert.equal(report.stats.errors, 0, label);
  assert.ok(report.stats.allocs > 0 && report.stats.frees > 0,
    `${label}: the shim saw no allocator calls: ${JSON.stringify(report.stats)}`);
}

/**
 * A copy of `pkg` (an entry of REGISTER_PACKAGES) in `dir` whose .wasm files are replaced by
 * their instrumented builds, each instrumented with the package's glue when it has one.
 */
export function instrumentedPackage(pkg, dir) {
  const copy = copyPackage(pkg.name, dir);
  for (const dependency of pkg.dependencies ?? []) copyPackage(dependency, dir);
  // As the README's recipe does: each .wasm replaced where the package's loader finds it.
  for (const file of pkg.wasm) {
    const glue = Array.isArray(pkg.glue) ? pkg.glue : pkg.glue?.[file];
    const path = join(copy, file);
    instrument(path, null, glue ? [glue[0], corpusFile(glue[1])] : []);
    validate(path);
  }
  return copy;
}

/**
 * The tests of one REGISTER_PACKAGES entry: `original.check(results)` on what the original package
 * gives (a test named after `original.does`); then, in strict and compat mode, the instrumented
 * copy under viewsan gives the same results with no error report (a test named after
 * `underViewsan.gives`), and `underViewsan.check(run)` holds. With `twin`, the package's buggy
 * twin (its workload run with `twin.args` after the package's own) must report `twin.kind` once
 * in each mode, and `twin.check(report)` must hold for that report.
 */
export function testUnderViewsan(pkg, { original: expectOriginal, underViewsan, twin }) {
  const scratch = scratchDir();
  const script = workload(pkg.workload);
  const args = pkg.args ?? [];
  const original = runProgram(scratch, script, [corpusFile(pkg.name), ...args]);
  const guarded = instrumentedPackage(pkg, join(scratch, 'instrumented'));

  test(`the original package ${expectOriginal.does}`, () => expectOriginal.check(original.results));

  for (const mode of ['strict', 'compat']) {
    test(`under viewsan (${mode}): ${underViewsan.gives}, no error report`, () => {
      const run = runProgram(scratch, script, [guarded, ...args], `mode=${mode}:halt_on_error=0`);
      console.log(`${pkg.name} (${mode}): ${summarize(run.report)}; ` +
        `${original.ms.toFixed(0)} ms original, ${run.ms.toFixed(0)} ms under viewsan`);
      assert.deepEqual(run.results, original.results);
      assertSilent(run.report, `${pkg.name} (${mode})`);
      underViewsan.check?.(run);
    });
  }

  for (const mode of twin ? ['strict', 'compat'] : []) {
    test(`the buggy twin under viewsan (${mode}) is reported as ${twin.kind}`, () => {
      // Errors recorded and not thrown (halt_on_error=0) make the exit status 1.
      const run = runProgram(scratch, script, [guarded, ...args, ...twin.args], `mode=${mode}:halt_on_error=0`, 1);
      const found = run.report.reports.filter((r) => r.kind === twin.kind);
      assert.equal(found.length, 1, `${pkg.name} (${mode}): ${summarize(run.report)}`);
      twin.check?.(found[0]);
    });
  }
}
