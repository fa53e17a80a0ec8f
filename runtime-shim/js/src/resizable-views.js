// resizable-view (contract 3). After memory.toResizableBuffer(), memory.buffer is a resizable
// ArrayBuffer (a growable SharedArrayBuffer for a shared memory), and so is the buffer of every
// view made over it. Web IDL refuses a view over such a buffer to every operation that does not
// declare it takes one ([AllowResizable]), which none of the platform APIs viewsan's sinks patch
// does: Chromium throws a TypeError, other engines accept some of them or mishandle them. viewsan
// reports the view at the sink in every engine, so that what breaks in one browser shows in every
// test run.

/** Whether `buffer` can change length: a resizable ArrayBuffer or a growable SharedArrayBuffer. */
export function isResizable(buffer) {
  return buffer.resizable === true || buffer.growable === true;
}

/**
 * Reports a guarded view over a resizable buffer handed to `api`, a Web IDL operation that takes
 * none; once per place when the report is not thrown. A detached view was reported already.
 */
export function checkFixedLength(record, api) {
  if (!isResizable(record.buffer) || record.detached()) return;
  record.session.reportPerPlace(api, 'resizable-view', () => ({
    view: record.describe(),
    access: { op: 'call', method: api },
    detail: `${api} takes no view over a resizable buffer (memory.buffer after memory.toResizableBuffer()): `
      + 'Chromium throws a TypeError, other engines differ',
  }));
}
