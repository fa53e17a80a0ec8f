// What the host gives viewsan: options from the environment, and (Node only) the exit-time
// JSON report and exit code. Loads unchanged in browsers: node: modules are imported lazily.

import { parseOptionString } from './options.js';
import { REPORT_VERSION, STAT_FIELDS, mergeRepeatedReports } from './protocol.js';

export const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Node's modules whose typed-array sinks viewsan patches; null in browsers and workers. Required,
// not imported: fs's ES module namespace would read every lazy export (its streams, ~15 modules).
// process.getBuiltinModule (Node 20.16) needs neither the module loader nor an await; before it,
// node-require.js made one.
const requireBuiltin = !isNode ? null
  : process.getBuiltinModule ? (id) => process.getBuiltinModule(id) : globalThis[Symbol.for('viewsan.nodeRequire')];
export const nodeBuiltins = isNode
  ? { require: requireBuiltin, fs: requireBuiltin('node:fs'), module: requireBuiltin('node:module') }
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
const processReports = [];  // { report, thrown, place, time }
let exitOptions = null;  // report_path and exitcode: those of the latest session
let fallbackExitOptions = null;  // register's, for a main thread whose wasm runs only in workers
let exitHookInstalled = false;
let threads = null;
let unguardedSource = null;  // register's list of the modules it instantiated unguarded
// When this process started, in the file system's clock (ms since the epoch); read where only Node
// runs. Not from performance.timeOrigin: the first read of `performance` makes Node load
// perf_hooks, about 1 ms of every start.
const processStart = () => Date.now() - process.uptime() * 1000;

// Milliseconds from a fixed point, for intervals within a thread. Node's own clock: the first read
// of `performance` loads perf_hooks, about 1 ms of every start.
export const monotonicNow = isNode
  ? () => Number(process.hrtime.bigint()) / 1e6
  : () => (typeof performance === 'object' ? performance.now() : Date.now());

// Milliseconds comparable across the threads of a process, to order their reports: Node's clock
// is one for all threads; a page's workers each count from their own time origin.
const processClock = isNode ? monotonicNow
  : () => (typeof performance === 'object' ? performance.timeOrigin + performance.now() : Date.now());

export function trackSession(session, options) {
  sessions.push(session);
  exitOptions = options;
  threads?.sessionStarted?.();
  if (isNode) installExitHook();
}

/** `place`: the place the session deduplicated the report by, null when it keeps each one. */
export function recordProcessReport(report, { thrown, place }) {
  const entry = { report, thrown, place, time: processClock() };
  processReports.push(entry);
  threads?.forward?.(entry);
}

export function summedStats() {
  const total = {};
  for (const s of sessions) {
    for (const [k, v] of Object.entries(s.processStats())) total[k] = (total[k] ?? 0) + v;
  }
  return total;
}

/** This thread's part of the process report, for a worker thread to hand to the main thread. */
export function threadReport() {
  return { entries: processReports, stats: summedStats() };
}

/**
 * Connects this thread's exit-time report to the other threads of the process (thread-reports.js):
 * a worker thread forwards its reports (`forward(entry)`, `sessionStarted()`) and leaves the file
 * to the main thread; the main thread adds theirs (`collect()`: `{entries, stats, sessions}`) and
 * writes the file when any thread had a session, with `options` (register's) if it had none.
 */
export function connectThreads(link, options, unguarded = null) {
  unguardedSource = unguarded ?? unguardedSource;
  threads = link;
  fallbackExitOptions = options;
  if (isNode && link.collect) installExitHook();
}

/**
 * A Node process that loaded viewsan writes its report_path file at exit even when it never guards
 * anything (the file then says so): the main thread does, with `options` unless a session or
 * register sets others. A worker leaves the file to the main thread.
 */
export function reportAtExit(options) {
  if (!isNode || !options.reportPath) return;
  const { isMainThread } = nodeBuiltins.require('node:worker_threads');
  if (!isMainThread) return;
  fallbackExitOptions ??= options;
  installExitHook();
}

function writtenSince(fs, file, start) {
  try {
    return fs.statSync(file).mtimeMs >= start;
  } catch {
    return false;
  }
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const { fs } = nodeBuiltins;
  const path = nodeBuiltins.require('node:path');
  // The report is written at exit, and also when an exception is about to go uncaught: a handler
  // that throws it again (Emscripten 3.1.6's Node glue does) ends Node with status 7 and no exit
  // event. The monitor changes nothing else: the exception goes on as it would have.
  process.on('uncaughtExceptionMonitor', () => writeExitReport(fs, path));
  process.on('exit', () => {
    const entries = writeExitReport(fs, path);
    if (!entries) return;
    const options = exitOptions ?? fallbackExitOptions;
    // A thrown ViewSanError ends the process by itself unless the app catches it on purpose;
    // errors that were only recorded must still fail the run, as a sanitizer's exitcode does.
    const notThrown = entries.some((e) => e.report.severity === 'error' && !e.thrown);
    if (notThrown && !process.exitCode) process.exitCode = options.exitcode;
  });
}

// Writes the report_path file (when one is asked for) from every thread's reports so far, and
// returns those reports; null when no session or register set the options.
function writeExitReport(fs, path) {
  const options = exitOptions ?? fallbackExitOptions;
  if (!options) return null;
  let entries = processReports;
  const stats = summedStats();
  let otherSessions = 0;
  if (threads?.collect) {
    const others = threads.collect();
    entries = [...entries, ...others.entries].sort((a, b) => a.time - b.time);
    for (const [k, v] of Object.entries(others.stats)) stats[k] = (stats[k] ?? 0) + v;
    otherSessions = others.sessions;
  }
  // A process whose threads guarded nothing still writes the file, and says so: a CI step must
  // not pass because no instrumented module was loaded. One exception: a process that only
  // starts others (a test runner, under the same VIEWSAN_OPTIONS) must not replace the report a
  // child wrote while it ran, so a file written since this process started is left as it is.
  const guarded = sessions.length + otherSessions > 0;
  if (options.reportPath && !threads?.forward) {
    const unguarded = unguardedSource?.() ?? [];
    let file = null;
    if (guarded) {
      // Each thread's session reports its own places: one place, several threads, one report.
      // A session records a place once, so each entry is a source of its own; a report kept
      // apart (thrown, report_all) has no place.
      const reports = mergeRepeatedReports(entries, (entry) => (entry.place ? entry : null), (entry) => entry.place);
      file = { version: REPORT_VERSION, guarded: true, reports, stats };
      if (unguarded.length) file.unguarded = unguarded;
    } else if (!writtenSince(fs, options.reportPath, processStart())) {
      file = {
        version: REPORT_VERSION,
        guarded: false,
        message: 'viewsan guarded nothing in this process: no instrumented module was instantiated'
          + (unguarded.length ? ` (${unguarded.length} module${unguarded.length === 1 ? ' was' : 's were'} not guarded)` : ''),
        reports: [],
        stats: Object.fromEntries(STAT_FIELDS.map((field) => [field, 0])),
        unguarded,
      };
    }
    if (file) {
      const json = JSON.stringify(file, null, 2);
      const dir = path.dirname(options.reportPath);
      const tmp = path.join(dir, `.${path.basename(options.reportPath)}.${process.pid}.tmp`);
      fs.writeFileSync(tmp, `${json}\n`);
      fs.renameSync(tmp, options.reportPath);
    }
  }
  return entries;
}
