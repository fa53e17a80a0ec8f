// Builds contract-3 reports: the JSON is the source, and its text (`message`) is rendered from it
// by the one formatter (report-format.js).

import { REPORT_KINDS } from './protocol.js';
import { formatReport } from './report-format.js';
import { nameWasmFrames, parseFrames } from './wasm-frames.js';

/** Every kind is an error but copy-out, a warning. */
export function severityOf(kind) {
  return kind === 'copy-out' ? 'warning' : 'error';
}

/**
 * @param {object} fields kind, severity?, view?, region?, grow?, access?, newer?, detail?, bytes?,
 *   address?, attempt? (a bad free's site), memory? (the bytes under it: memory-snapshot.js)
 * @returns {object} the contract-3 report with its rendered `message`
 */
export function makeReport(fields) {
  if (!REPORT_KINDS.includes(fields.kind)) {
    throw new TypeError(`viewsan: no report kind '${fields.kind}' in protocol.js`);
  }
  const report = {
    kind: fields.kind,
    severity: fields.severity ?? severityOf(fields.kind),
    message: '',
    view: fields.view ?? null,
    region: fields.region ?? null,
    grow: fields.grow ?? null,
    stack: fields.stack ?? currentStack(captureStack(REPORT_FRAMES)),
  };
  report.frames = parseFrames(report.stack);
  if (fields.access) report.access = fields.access;
  if (fields.newer) report.newer = fields.newer;
  if (fields.bytes != null) report.bytes = fields.bytes;
  if (fields.address != null) report.address = fields.address;
  if (fields.module) report.module = fields.module;
  if (fields.detail) report.detail = fields.detail;
  if (fields.attempt) report.attempt = fields.attempt;
  if (fields.memory) report.memory = fields.memory;
  report.message = formatReport(report);
  return report;
}

// viewsan's own frames above the code being recorded: captured too, then filtered out.
const OWN_FRAMES = 6;
// How deep the stack of a report made where it happens goes (as ASan's 30): a bad free is found
// under the hook's frames and the allocator's, then come the program's.
const REPORT_FRAMES = 30;
const ANONYMOUS_WASM_FRAME = /^\s*at wasm:\/\/wasm\/[^ ]*:wasm-function\[\d+\]:0x[0-9a-f]+$/;
// How many of the program's frames a stack captureStack recorded keeps.
const RECORDED_FRAMES = Symbol('viewsan.recordedFrames');

/**
 * Records the stack here, `frames` deep below viewsan's own frames (malloc_context_size), for
 * formatting later if a report needs it; null when frames is 0. Capturing costs about half a
 * microsecond a frame in Node 20 (viewsan's own included): 0 is what makes a call cheap.
 */
export function captureStack(frames) {
  if (!(frames > 0)) return null;
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = frames + OWN_FRAMES;
  const error = new Error();
  Error.stackTraceLimit = saved;
  // Where fewer of viewsan's frames than OWN_FRAMES are on the stack, more of the program's are
  // captured; shown, the stack keeps `frames` of them.
  error[RECORDED_FRAMES] = frames;
  return error;
}

// How deep viewsan's own frames go at most where it makes a report (a copy out found in a method
// of a lent view, through the session to its reports: a dozen): a stack read there is read this
// much deeper, so that the program's frames are still Error.stackTraceLimit deep once viewsan's
// are filtered out.
export const OWN_FRAMES_AT_MOST = 16;

/**
 * The JS stack at the caller of viewsan, without viewsan's own frames: as many of the program's
 * frames as Error.stackTraceLimit says. Pass an Error created earlier (captureStack) to format its
 * stack now: formatting costs more than capturing. A stack that was not recorded (null) is ''.
 */
export function currentStack(error = undefined) {
  if (error === null) return '';
  const limit = Error.stackTraceLimit;
  const deep = error === undefined && typeof limit === 'number';
  if (deep) Error.stackTraceLimit = limit + OWN_FRAMES_AT_MOST;
  const stack = (error ?? new Error()).stack ?? '';
  if (deep) Error.stackTraceLimit = limit;
  let lines = stack
    .split('\n')
    .slice(1)
    .filter((line) => !isOwnFrame(line) && !/\$viewsan\.hooked /.test(line));
  if (deep) lines = lines.slice(0, limit + 1);  // one more: a wasm frame that called viewsan goes below
  // The frame that called viewsan's JavaScript from wasm is the shim's (a hook finding a bad
  // free): viewsan's own too. (The app's modules call the shim directly, never viewsan's JS.)
  if (lines.length > 0 && ANONYMOUS_WASM_FRAME.test(lines[0])) lines.shift();
  const recorded = error?.[RECORDED_FRAMES];
  if (recorded !== undefined) lines = lines.slice(0, recorded);
  // An allocator viewsan moved aside to hook it keeps its own name in reports.
  return nameWasmFrames(lines.join('\n').replaceAll('$viewsan.orig (', ' ('));
}

// The folder of viewsan's running code (src/, or the bundle's dist/), as the engine names its
// scripts wherever the package is: a checkout, node_modules, an installed prefix, a page's server.
const OWN_FOLDER = new URL('./', import.meta.url).href;

/** Whether a stack line (or a frame's file name) is in viewsan's own code. */
export function isOwnFrame(text) {
  return text.includes(OWN_FOLDER) || /\/runtime-shim\/js\/|\/node_modules\/viewsan\//.test(text);
}
