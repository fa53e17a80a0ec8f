// Builds contract-3 reports and renders their text, compiler-rt style: the JSON is the source and
// the text is derived from it, one block per fact (what, where, freed by, allocated by, view, hint).

import { REPORT_KINDS } from './protocol.js';
import { siteLabel } from './sites.js';
import { nameWasmFrames, parseFrames } from './wasm-frames.js';

const hex = (n) => (typeof n === 'bigint' ? `0x${n.toString(16)}` : `0x${Math.trunc(n).toString(16)}`);
// Where a view is: its byteOffset, or (for a construction that failed on an offset given as an
// object, which viewsan does not convert a second time) a phrase.
const at = (byteOffset) => (byteOffset == null ? 'an offset given as an object' : hex(byteOffset));

// One line per kind (protocol.js lists them): the fix, stated so that the report alone lets a user
// repair the code.
const HINTS = {
  'use-after-grow':
    'memory.grow replaced memory.buffer; re-create the view from memory.buffer after every call that may allocate, and never keep it across such a call',
  'use-after-free':
    'the view outlived its allocation; drop the view when its region is freed, or free the region only after the last use of the view',
  'use-after-reuse':
    'the view outlived its allocation and now reads another allocation\'s bytes; drop the view when its region is freed',
  'misaligned-view':
    'pad the header so the payload starts at a multiple of the element size, or read the bytes through a DataView, which has no alignment constraint',
  'view-out-of-bounds':
    'the view is longer than the allocation under it; check the length (in elements, not bytes) passed to the constructor',
  'unallocated-view':
    'no live allocation owns these bytes; use the pointer the allocator returned, and only while it is allocated',
  'double-free': 'this region was already freed; make exactly one owner responsible for freeing it',
  'invalid-free': 'pass free() exactly the pointer the allocator returned',
  'resizable-view':
    'pass the API a fixed-length copy (view.slice()); to an API that writes into the view (crypto.getRandomValues, readPixels, copyFromChannel), pass a new fixed-length array and copy it in with view.set(array)',
  'copy-out': 'a copy out of linear memory; use the view in place if the copy was not intended',
};

// A view whose buffer memory.toResizableBuffer() or toFixedLengthBuffer() detached (a
// use-after-grow with no growth): the fix names that call.
const replacementHint = (method) =>
  `memory.${method}() replaced memory.buffer; re-create the view from memory.buffer after that call, and never keep one across it`;

/** Every kind is an error but copy-out, a warning. */
export function severityOf(kind) {
  return kind === 'copy-out' ? 'warning' : 'error';
}

/**
 * @param {object} fields kind, severity?, view?, region?, grow?, access?, newer?, detail?, bytes?
 * @returns {object} the contract-3 report with its rendered `message`
 */
export function makeReport(fields) {
  // Consumers (the DevTools panel, report files) know the kinds from protocol.js alone.
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
  if (fields.module) report.module = fields.module;
  report.message = renderReport(report, fields.detail);
  return report;
}

// viewsan's own frames above the code being recorded: captured too, then filtered out.
const OWN_FRAMES = 6;
// How deep the stack of a report made where it happens goes (as ASan's 30): a bad free is found
// under the hook's frames and the allocator's, then come the program's.
const REPORT_FRAMES = 30;
const ANONYMOUS_WASM_FRAME = /^\s*at wasm:\/\/wasm\/[^ ]*:wasm-function\[\d+\]:0x[0-9a-f]+$/;

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
  return error;
}

/**
 * The JS stack at the caller of viewsan, without viewsan's own frames. Pass an Error created
 * earlier (captureStack) to format its stack now: formatting costs more than capturing. A stack
 * that was not recorded (null) is ''.
 */
export function currentStack(error = new Error()) {
  if (error === null) return '';
  const stack = error.stack ?? '';
  const lines = stack
    .split('\n')
    .slice(1)
    .filter((line) => !isOwnFrame(line) && !/\$viewsan\.hooked /.test(line));
  // The frame that called viewsan's JavaScript from wasm is the shim's (a hook finding a bad
  // free): viewsan's own too. (The app's modules call the shim directly, never viewsan's JS.)
  if (lines.length > 0 && ANONYMOUS_WASM_FRAME.test(lines[0])) lines.shift();
  // An allocator viewsan moved aside to hook it keeps its own name in reports.
  return nameWasmFrames(lines.join('\n').replaceAll('$viewsan.orig (', ' ('));
}

/** Whether a stack line (or a frame's file name) is in viewsan's own code. */
export function isOwnFrame(text) {
  return /\/runtime-shim\/js\/|\/node_modules\/viewsan\//.test(text);
}

function renderReport(r, detail) {
  const lines = [];
  const level = r.severity === 'warning' ? 'WARNING' : 'ERROR';
  lines.push(`${level}: viewsan: ${r.kind} ${headline(r)}`);
  if (detail) lines.push(detail);
  if (r.access) lines.push(accessLine(r));
  if (r.stack) lines.push(indent(r.stack));
  if (r.region) lines.push(...regionBlock(r));
  if (r.grow) lines.push(...growBlock(r.grow));
  if (r.view?.createdAt) {
    lines.push('the view was created here:');
    lines.push(indent(r.view.createdAt));
  }
  lines.push(`SUMMARY: viewsan: ${r.kind} ${summary(r)}`);
  lines.push(`HINT: ${r.grow?.method ? replacementHint(r.grow.method) : HINTS[r.kind]}`);
  return lines.join('\n');
}

function headline(r) {
  const v = r.view;
  switch (r.kind) {
    case 'double-free':
    case 'invalid-free':
      return `of ${hex(r.region?.freedPtr ?? r.region?.ptr ?? 0)}`;
    case 'copy-out':
      return `of ${r.bytes} bytes from linear memory through ${v ? `${article(v.ctor)} ${v.ctor} view` : 'a view'}`;
    default:
      if (!v) return '';
      if (v.ctor === 'DataView') return `on a DataView${v.length == null ? '' : ` of ${v.length} bytes`} at ${at(v.byteOffset)}`;
      return `on ${article(v.ctor)} ${v.ctor} view${v.length == null ? '' : ` of ${v.length} elements`} at ${at(v.byteOffset)}`;
  }
}

// How the faulting access is named: an element (`view[3]`), a method call, or a DataView get/set
// (`{op, method, byteOffset}`: the method and the byte offset it was asked for, null when that was
// an object viewsan did not convert).
function accessLine(r) {
  const a = r.access;
  let what;
  if (a.op === 'call') what = `call of ${a.method}()`;
  else if (a.method) what = `${a.op.toUpperCase()} by ${a.method}() at byte offset ${a.byteOffset ?? '(not a number)'}`;
  else what = `${a.op.toUpperCase()} of element [${a.index}]`;
  return `${what} through the view, here:`;
}

function regionBlock(r) {
  const g = r.region;
  const out = [];
  if (g.size != null && g.ptr != null) {
    const end = typeof g.ptr === 'bigint' ? g.ptr + BigInt(g.size) : g.ptr + g.size;
    out.push(`the region is allocation #${g.allocId} of ${g.size} bytes [${hex(g.ptr)}, ${hex(end)})`);
  }
  if (g.freeSite) {
    const ago = g.freesAgo == null ? '' : g.freesAgo === 0 ? ' (the most recent free)'
      : ` (${g.freesAgo} free${g.freesAgo === 1 ? '' : 's'} ago)`;
    out.push(`freed by ${siteLabel(g.freeSite)}${ago}${g.freeSite.stack ? ' here:' : ''}`);
    if (g.freeSite.stack) out.push(indent(g.freeSite.stack));
  }
  if (g.allocSite) {
    const verb = g.freeSite ? 'previously allocated' : 'allocated';
    out.push(`${verb} by ${siteLabel(g.allocSite)}${g.allocSite.stack ? ' here:' : ''}`);
    if (g.allocSite.stack) out.push(indent(g.allocSite.stack));
  }
  if (r.newer) {
    out.push(`its bytes now belong to allocation #${r.newer.allocId} of ${r.newer.size} bytes at ${hex(r.newer.ptr)}, allocated by ${siteLabel(r.newer.allocSite)}`);
  }
  return out;
}

function growBlock(g) {
  if (g.method) {
    const size = `${g.toPages} page${g.toPages === 1 ? '' : 's'}, not grown`;
    const out = [`memory.${g.method}() in ${siteLabel(g.site)} replaced memory.buffer (${size}), which detached the view's buffer`];
    if (g.site?.stack) out.push(indent(g.site.stack));
    return out;
  }
  const effect = g.shared ? "past the end of the view's SharedArrayBuffer" : "which detached the view's buffer";
  const out = [`memory grew from ${g.fromPages} to ${g.toPages} pages (64 KiB each) in ${siteLabel(g.site)}, ${effect}`];
  if (g.site?.stack) out.push(indent(g.site.stack));
  return out;
}

function summary(r) {
  const v = r.view;
  const a = r.access;
  const where = !a ? '' : a.op === 'call' ? `.${a.method}()` : a.method ? `.${a.method}(${a.byteOffset ?? ''})` : `[${a.index}]`;
  return v ? `${v.ctor}${where} at ${at(v.byteOffset)}` : (r.region ? `at ${hex(r.region.freedPtr ?? r.region.ptr)}` : '');
}

function indent(stack) {
  return stack
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
}

// "an Int32Array", "a Float32Array", "a Uint8Array" (said "you-int").
function article(word) {
  return /^[AEIO]/i.test(word) ? 'an' : 'a';
}
