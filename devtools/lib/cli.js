// The viewsan-devtools command line: one table of commands and options drives the parser and
// --help; main() runs a command and returns the exit status.

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { ViewsanModel } from '../panel/model.js';
import { attach } from './attach.js';
import { CHROMIUM, HOST, IDLE_MS, PORT, SERVE_HOST, SERVE_PORT, TIMEOUT_SECONDS } from './defaults.js';
import { BrowserError, UsageError } from './errors.js';
import { writeExtension } from './extension.js';
import { launch } from './launch.js';
import { writeReportFile } from './report-file.js';
import { startPanelServer } from './server.js';
import { startStaticServer } from './static-server.js';
import { printReportsAsTheyArrive } from './live-reports.js';
import { formatSummary } from './summary.js';

const PROGRAM = 'viewsan-devtools';
const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const EXIT = Object.freeze({ CLEAN: 0, ERRORS_REPORTED: 1, FAILURE: 2, NEVER_RAN: 3 });

const OPTIONS = {
  report: { value: 'FILE', help: 'write the JSON report to FILE', parse: parseReportPath },
  timeout: { value: 'S', help: `end the run after S seconds (default ${TIMEOUT_SECONDS})`, parse: parsePositive },
  idle: {
    value: 'MS',
    help: `after the load event, end once no batch came for MS ms (default ${IDLE_MS})`,
    parse: parseCount,
  },
  serve: {
    value: '[PORT]',
    help: `serve the live panel on ${SERVE_HOST}:PORT (default: ${SERVE_PORT}, the same URL every run, or a free port when it is taken); stays up until Ctrl-C`,
    parse: parsePort,
    optionalValue: true,
  },
  chromium: { value: 'PATH', help: `launch: the Chromium to start (default: ${CHROMIUM} on PATH)` },
  root: { value: 'DIR', help: `launch: serve DIR on ${SERVE_HOST} for the run; a <url> that starts with / is a path on it` },
  mount: { value: 'PREFIX=DIR', help: 'launch: with --root, also serve DIR under PREFIX (repeatable)', parse: parseMount, repeatable: true },
  host: { value: 'HOST', help: `attach: where Chrome listens (default ${HOST})` },
  port: { value: 'PORT', help: `attach: Chrome's --remote-debugging-port (default ${PORT})`, parse: parsePort },
};

const COMMANDS = {
  launch: {
    operand: 'url',
    help: 'open <url> in a fresh headless Chromium and collect until the page is idle',
    options: ['report', 'timeout', 'idle', 'serve', 'chromium', 'root', 'mount'],
  },
  attach: {
    help: 'collect from every page and worker of a Chrome started with --remote-debugging-port',
    options: ['report', 'timeout', 'idle', 'serve', 'host', 'port'],
  },
  extension: {
    operand: 'dir',
    help: 'write the Chrome extension (a viewsan panel in DevTools) to <dir>, to load unpacked',
    options: [],
  },
};

export const HELP = `Usage: ${PROGRAM} launch <url> [options]
       ${PROGRAM} attach [options]
       ${PROGRAM} extension <dir>

Collects viewsan's events from pages in Chromium over the DevTools protocol: violation reports,
region lifetimes and memory growth, for CI (--report) or a live panel (--serve).

Commands:
${Object.entries(COMMANDS).map(([name, { operand, help }]) => row(operand ? `${name} <${operand}>` : name, help))
  .join('\n')}

Options:
${Object.entries(OPTIONS).map(([name, { value, help }]) => row(`--${name} ${value}`, help)).join('\n')}
${row('-h, --help', 'print this help')}
${row('--version', 'print the version')}

Ctrl-C ends a run early; its report is still written.
Exit status: 0 no error reported, 1 errors reported, 2 usage error, browser failure or events of a
newer viewsan runtime left unread, 3 the viewsan runtime never ran on the page (launch) or on any
page of the attached Chrome (attach).

Examples:
  ${PROGRAM} launch http://127.0.0.1:8000/app.html --report viewsan-report.json
  chromium --remote-debugging-port=9222 &
  ${PROGRAM} attach --serve 9230
  ${PROGRAM} extension ./viewsan-extension   # then chrome://extensions, "Load unpacked"
`;

function row(left, right) {
  return `  ${left.padEnd(20)}${right}`;
}

/**
 * @param {string[]} argv  arguments after the program name
 * @returns {{command: 'help'|'version'} | {command: 'launch'|'attach', url?: string, options: object}}
 */
export function parseCommandLine(argv) {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv.includes('--version')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command: launch, attach or extension');
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command '${command}'`);

  const options = {};
  const operands = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    const [name, inlineValue] = splitOption(arg);
    const option = OPTIONS[name];
    if (!option) throw new UsageError(`unknown option '${arg}'`);
    if (!spec.options.includes(name)) throw new UsageError(`option '--${name}' does not apply to ${command}`);
    let value = inlineValue;
    if (value === undefined) {
      const next = rest[i + 1];
      if (option.optionalValue) {
        // `--serve` may stand alone, so only a number right after it is its value.
        if (next !== undefined && /^\d+$/.test(next)) value = rest[++i];
      } else if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`option '--${name}' needs a value ${option.value}`);
      } else {
        value = rest[++i];
      }
    }
    const parsed = value === undefined ? null : option.parse ? option.parse(value, name) : value;
    if (option.repeatable) (options[name] ??= []).push(parsed);
    else options[name] = parsed;
  }

  if (!spec.operand) {
    if (operands.length) throw new UsageError(`unexpected argument '${operands[0]}'`);
    return { command, options };
  }
  if (operands.length === 0) throw new UsageError(`${command} needs a <${spec.operand}>`);
  if (operands.length > 1) throw new UsageError(`unexpected argument '${operands[1]}'`);
  if (command === 'extension') return { command, dir: operands[0], options };
  if (options.mount && !options.root) throw new UsageError('--mount needs --root');
  if (options.root && operands[0].startsWith('/')) return { command, url: operands[0], options };
  if (!URL.canParse(operands[0])) {
    throw new UsageError(`'${operands[0]}' is not an absolute URL (http://…, https://… or file://…)`);
  }
  return { command, url: operands[0], options };
}

function splitOption(arg) {
  const equals = arg.indexOf('=');
  return equals === -1 ? [arg.replace(/^--?/, ''), undefined] : [arg.slice(2, equals), arg.slice(equals + 1)];
}

function parseMount(text, name) {
  const equals = text.indexOf('=');
  if (!text.startsWith('/') || equals < 2) throw new UsageError(`--${name} needs PREFIX=DIR with PREFIX starting with /, not '${text}'`);
  return [text.slice(0, equals), text.slice(equals + 1)];
}

function parsePositive(text, name) {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError(`--${name} needs a positive number, not '${text}'`);
  return value;
}

// A report the run cannot write is known before the run, not after it.
function parseReportPath(value, name) {
  const folder = dirname(resolve(value));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // missing: said below
  }
  if (!isFolder) throw new UsageError(`option '--${name}' ${value}: the folder ${folder} does not exist`);
  return value;
}

function parseCount(text, name) {
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 0)) throw new UsageError(`--${name} needs a whole number, not '${text}'`);
  return value;
}

function parsePort(text, name) {
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 0 && value <= 65535)) {
    throw new UsageError(`--${name} needs a port number, not '${text}'`);
  }
  return value;
}

const log = (line) => process.stderr.write(`${line}\n`);

/**
 * Runs one command line. Ctrl-C ends a run early and still writes its report.
 * @returns {Promise<number>} the exit status
 */
export async function main(argv) {
  let commandLine;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The shape of viewsan-instrument's usage errors.
    log(`${PROGRAM}: ${error.message}`);
    log("Try '--help' for more information.");
    return EXIT.FAILURE;
  }
  if (commandLine.command === 'help') {
    process.stdout.write(HELP);
    return EXIT.CLEAN;
  }
  if (commandLine.command === 'version') {
    process.stdout.write(`${PROGRAM} ${VERSION}\n`);
    return EXIT.CLEAN;
  }
  if (commandLine.command === 'extension') return writeExtensionCommand(commandLine.dir);

  const { command, url, options } = commandLine;
  const model = new ViewsanModel();
  const stopPrinting = printReportsAsTheyArrive(model, log);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  let server = null;
  let pages = null;
  try {
    let pageUrl = url;
    if (options.root) {
      const mounts = { '/': options.root };
      for (const [prefix, dir] of options.mount ?? []) mounts[prefix.endsWith('/') ? prefix : `${prefix}/`] = dir;
      pages = await startStaticServer({ mounts });
      if (url.startsWith('/')) pageUrl = pages.url(url);
    }
    if (options.serve !== undefined) {
      server = await startPanelServer({ model, port: options.serve ?? undefined }).catch((error) => {
        throw new BrowserError(`cannot serve the panel: ${error.message}`, { cause: error });
      });
      log(`${PROGRAM}: panel at ${server.url}`);
    }
    const run = {
      model,
      signal: interrupt.signal,
      timeoutMs: (options.timeout ?? TIMEOUT_SECONDS) * 1000,
      idleMs: options.idle ?? IDLE_MS,
    };
    const result = command === 'launch'
      ? await launch({ ...run, url: pageUrl, chromium: options.chromium })
      : await attach({
        ...run,
        host: options.host,
        port: options.port,
        onAttached: (pages) => log(`${PROGRAM}: attached to ${pages.length} page(s), following new pages and ` +
          'workers; a page already loaded reports from now on (reload it to collect from its start)'),
      });
    // Contract 4: a run where the runtime never ran guarded nothing, and must not pass (exit 3):
    // the instrumented build, or viewsan's runtime, was not loaded. (A guarded page sends its
    // first batch as soon as it sees the binding, even with nothing in it.)
    const neverRan = result.runtimeRan === false;
    const where = command === 'launch' ? pageUrl : `the pages of the Chrome at ${options.host ?? HOST}:${options.port ?? PORT}`;
    const neverRanMessage = `the viewsan runtime never ran on ${where}: no page or worker sent viewsan's events, ` +
      'so nothing was guarded (load the instrumented build with viewsan/register.js or instantiate() on the page)';
    // A run whose batches were partly of a newer protocol version was not read whole: no error
    // seen is no sign of none, so it fails (exit 2) unless errors were read.
    const unread = result.skippedBatches > 0;
    const unreadMessage = `could not read ${result.skippedBatches} batch${result.skippedBatches === 1 ? '' : 'es'} of ` +
      'events from a newer viewsan runtime, so the run is not judged: update viewsan-devtools to the viewsan the page loads';
    const message = neverRan ? neverRanMessage : unread ? unreadMessage : null;
    const report = { ...result.report, guarded: !neverRan, ...(message ? { message } : {}) };
    if (options.report && !(await writeReport(options.report, report))) return EXIT.FAILURE;
    log(formatSummary(result));
    if (message) log(`${PROGRAM}: ${message}`);
    if (server) await keepServing(server, result.endedBy, interrupt.signal);
    if (result.report.stats.errors > 0) return EXIT.ERRORS_REPORTED;
    if (unread) return EXIT.FAILURE;
    return neverRan ? EXIT.NEVER_RAN : EXIT.CLEAN;
  } catch (error) {
    if (!(error instanceof BrowserError)) throw error;
    log(`${PROGRAM}: ${error.message}`);
    if (options.report && error.report) await writeReport(options.report, error.report);
    return EXIT.FAILURE;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    stopPrinting();
    await server?.close();
    await pages?.close();
  }
}

async function writeExtensionCommand(dir) {
  try {
    const written = await writeExtension(dir);
    log(`${PROGRAM}: wrote the viewsan extension ${written.version} to ${written.dir}; load it unpacked ` +
      '(chrome://extensions, Developer mode, "Load unpacked"), then open DevTools on a page: the panel is "viewsan"');
    return EXIT.CLEAN;
  } catch (error) {
    log(`${PROGRAM}: cannot write the extension to ${dir}: ${error.message}`);
    return EXIT.FAILURE;
  }
}

// Returns whether the file was written; a run whose report is lost has failed.
async function writeReport(file, report) {
  try {
    await writeReportFile(file, report);
    return true;
  } catch (error) {
    log(`${PROGRAM}: cannot write the report to ${file}: ${error.message}`);
    return false;
  }
}

// The panel is most useful after the run, so the server outlives it until the user stops it.
async function keepServing(server, endedBy, interrupted) {
  server.finish(endedBy);
  if (interrupted.aborted) return;
  log(`${PROGRAM}: run over; the panel stays at ${server.url} until Ctrl-C`);
  await new Promise((resolve) => interrupted.addEventListener('abort', resolve, { once: true }));
}
