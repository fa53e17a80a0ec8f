// The bytes under a report, as they were when it was made: a report's `memory` field, for a hex
// view (the DevTools panel shows it as Chrome's Memory Inspector would). Taken once per report
// (reports are deduplicated before they are made), never on an access that reports nothing.
//
// Shape, plain JSON:
//   {spans: [{start, hex}], marks: [{start, end, state, allocId?}]}
// `spans` are one or two windows of memory, in address order: `start` a byte address, `hex` the
// bytes from there as lowercase hex (two digits a byte). `marks` are byte ranges [start, end),
// whole even where a span shows only part of them, painted in this order:
//   'freed' | 'live'   the report's region (its allocation, freed or still live), with allocId
//   'reused'           the newer allocation that now owns the freed bytes (report.newer), with allocId
//   'view'             the bytes the view covers
//   'access'           the bytes the faulting access touched: the element read or written, a
//                      DataView get/set's bytes, a copy-out's copied range, a bad free's pointer

import { RawUint8Array } from './view-constructors.js';

/** Bytes in a row of the hex view: windows start and end on row boundaries where memory allows. */
const ROW = 16;
/** At most this many bytes a report: 16 rows, enough to see a view and what lies around it. */
const MAX_BYTES = 256;
/** Bytes shown before and after what the report is about. */
const CONTEXT = ROW;
/** The rows before the faulting element's row when a second window shows its neighbourhood. */
const ROWS_BEFORE_ACCESS = 3;

const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The snapshot of `memory` for a report made of `fields` (makeReport's), or null when the report
 * names no place in memory (a view whose offset was given as an object, with no region) or the
 * session has no memory.
 * @param {WebAssembly.Memory|null} memory
 * @param {object} fields kind, view?, region?, newer?, access?, address?, bytes?
 */
export function memorySnapshot(memory, fields) {
  if (!memory) return null;
  const marks = markRanges(fields);
  const subject = subjectRange(fields);
  if (subject === null) return null;
  // The memory's current buffer: after a growth the bytes live in the new one (the view's own is
  // detached); over shared memory it is a SharedArrayBuffer as long as the memory is now.
  const { buffer } = memory;
  const access = marks.find((mark) => mark.state === 'access');
  const spans = windows(subject, access?.start ?? null, buffer.byteLength)
    .map(([start, end]) => ({ start, hex: readHex(buffer, start, end) }));
  return spans.length === 0 ? null : { spans, marks };
}

// The range the snapshot is about: the copied bytes of a copy-out, else the view, else the
// region of a bad free (or its pointer when no allocation owns it).
function subjectRange({ kind, view, region, address, bytes }) {
  if (kind === 'copy-out' && address != null) return range(address, bytes ?? 0);
  if (view?.byteOffset != null) return viewRange(view) ?? range(view.byteOffset, 0);
  if (region?.ptr == null) return null;
  return region.size == null ? range(region.freedPtr ?? region.ptr, 0) : range(region.ptr, region.size);
}

function markRanges({ kind, view, region, newer, access, address, bytes }) {
  const marks = [];
  if (region?.ptr != null && region.size != null) {
    marks.push({ ...range(region.ptr, region.size), state: region.freeSite ? 'freed' : 'live', allocId: region.allocId });
  }
  if (newer?.ptr != null) marks.push({ ...range(newer.ptr, newer.size), state: 'reused', allocId: newer.allocId });
  const covered = view?.byteOffset != null ? viewRange(view) : null;
  if (covered !== null) marks.push({ ...covered, state: 'view' });
  const touched = accessRange(kind, view, region, access, address, bytes);
  if (touched !== null) marks.push({ ...touched, state: 'access' });
  return marks;
}

// The bytes a view covers; null when its length is unknown (a failed construction's): its
// extent is not known, and it is not marked.
function viewRange(view) {
  return view.length == null ? null : range(view.byteOffset, view.length * elementSize(view.ctor));
}

// The bytes the faulting access touched, when the report says which.
function accessRange(kind, view, region, access, address, bytes) {
  if (kind === 'copy-out') return address == null ? null : range(address, bytes ?? 0);
  if (kind === 'double-free' || kind === 'invalid-free') {
    const ptr = region?.freedPtr ?? region?.ptr;
    return ptr == null ? null : range(ptr, 1);
  }
  if (!access || view?.byteOffset == null) return null;
  if (access.method && access.byteOffset != null) {
    // A DataView get/set: its byte offset, as many bytes as the method's type has.
    return range(Number(view.byteOffset) + access.byteOffset, elementSize(access.method));
  }
  if (access.index == null || !/^\d+$/.test(access.index)) return null;
  const size = elementSize(view.ctor);
  return range(Number(view.byteOffset) + Number(access.index) * size, size);
}

/**
 * The windows to read, [start, end) pairs in address order within [0, memoryBytes): the subject
 * with CONTEXT bytes on each side, on row boundaries, when it fits in MAX_BYTES with the faulting
 * element inside. A longer subject (a long view, a big copy) shows its first MAX_BYTES; when the
 * faulting element lies further on (or outside the subject: a stale whole-memory view read past
 * its old end), half the bytes show the subject's start and half the element's neighbourhood.
 */
function windows(subject, accessStart, memoryBytes) {
  const whole = [alignDown(subject.start - CONTEXT), alignUp(subject.end + CONTEXT)];
  const accessInside = accessStart === null || (accessStart >= whole[0] && accessStart < whole[1]);
  let spans;
  if (accessInside && whole[1] - whole[0] <= MAX_BYTES) {
    spans = [whole];
  } else if (accessStart === null) {
    spans = [[whole[0], whole[0] + MAX_BYTES]];
  } else {
    const half = MAX_BYTES / 2;
    const head = [whole[0], Math.min(whole[1], whole[0] + half)];
    const aroundStart = alignDown(accessStart) - ROWS_BEFORE_ACCESS * ROW;
    const around = [aroundStart, aroundStart + half];
    if (around[0] <= head[1] && around[1] >= head[0]) {
      // The element is near the start: one window from there (a row before the element, should
      // it lie before the subject), as long as the subject allows.
      const start = Math.min(head[0], alignDown(accessStart) - ROW);
      spans = [[start, Math.min(start + MAX_BYTES, Math.max(whole[1], around[1]))]];
    } else {
      spans = [head, around].sort((a, b) => a[0] - b[0]);
    }
  }
  return spans
    .map(([start, end]) => [Math.max(0, start), Math.min(memoryBytes, end)])
    .filter(([start, end]) => start < end);
}

function readHex(buffer, start, end) {
  // A plain Uint8Array, the engine's own: viewsan's guarded views would check (and count a
  // copy-out); this reads the bytes as they are, from a SharedArrayBuffer too.
  const bytes = new RawUint8Array(buffer, start, end - start);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_DIGITS[bytes[i]];
  return hex;
}

/** Bytes per element of a typed-array constructor or DataView method, by the bits in its name. */
function elementSize(name) {
  const bits = /\d+/.exec(name ?? '');
  return bits === null ? 1 : Math.max(1, Number(bits[0]) / 8);
}

// Addresses are Numbers here (a memory64 report's too: the shim's are, and a memory Node or a
// browser can make is far below 2^53).
function range(start, size) {
  return { start: Number(start), end: Number(start) + Number(size) };
}

const alignDown = (address) => Math.floor(address / ROW) * ROW;
const alignUp = (address) => Math.ceil(address / ROW) * ROW;
