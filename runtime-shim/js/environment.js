// What the host gives viewsan: options from the environment, and (Node only) the exit-time
// JSON report and exit code. Loads unchanged in browsers: node: modules are imported lazily.

import { parseOptionString } from './options.js';

export const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Node's modules whose typed-array sinks viewsan patches; null in browsers and workers.
export const nodeBuiltins = isNode
  ? { fs: await import('node:fs'), module: await import('node:module') }
  : null;

let envOptionsCache;

/** VIEWSAN_OPTIONS from process.env (Node) or globalThis.VIEWSAN_OPTIONS (pages, workers). */
export function environmentOptions() {
  if (envOptionsCache === undefined) {
    const raw = isNode ? process.env.VIEWSAN_OPTIONS : globalThis.VIEWSAN_OPTIONS;
    if (raw && typeof raw === 'object') envOptionsCache = { ...raw };
    else envOptionsCache = raw ? parseOptionString(String(raw)) : {};
  }
  return envOptionsCache;
}

/** Every line viewsan prints goes to stderr (console.error in a page). */
export function printError(text) {
  if (isNode) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  else console.error(text);
}

// Every session and every report in this process, for the exit-time report (contract 3: every
// report of every session, oldest first, and stats summed over sessions).
const sessions = [];
const processReports = [];
let errorsNotThrown = 0;  // errors recorded with halt_on_error=0: they decide the exit code
let exitOptions = null;  // report_path and exitcode: those of the latest session

export function trackSession(session, options) {
  sessions.push(session);
  if (isNode && exitOptions === null) installExitHook();
  exitOptions = options;
}

export function recordProcessReport(report, { thrown }) {
  processReports.push(report);
  if (report.severity === 'error' && !thrown) errorsNotThrown++;
}

export function summedStats() {
  const total = {};
  for (const s of sessions) {
    for (const [k, v] of Object.entries(s.stats())) total[k] = (total[k] ?? 0) + v;
  }
  return total;
}

async function installExitHook() {
  const fs = await import('node:fs');
  const path = await import('node:path');
  process.on('exit', () => {
    const options = exitOptions;
    const stats = summedStats();
    if (options.reportPath) {
      const json = JSON.stringify({ version: 1, reports: processReports, stats }, null, 2);
      const dir = path.dirname(options.reportPath);
      const tmp = path.join(dir, `.${path.basename(options.reportPath)}.${process.pid}.tmp`);
      fs.writeFileSync(tmp, `${json}\n`);
      fs.renameSync(tmp, options.reportPath);
    }
    // A thrown ViewSanError ends the process by itself unless the app catches it on purpose;
    // errors that were only recorded must still fail the run, as a sanitizer's exitcode does.
    if (errorsNotThrown > 0 && !process.exitCode) process.exitCode = options.exitcode;
  });
}
