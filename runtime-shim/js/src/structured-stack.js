// V8's structured stack frames (Error.prepareStackTrace), read without formatting the stack: what
// `prepare(error, frames)` makes of the current stack, `limit` frames deep counting this one and
// its caller, or only the frames above function `above` (Error.captureStackTrace's own cut, which
// costs no frames); undefined where the engine has no such hook (it then leaves the stack a string).

export function structuredStack(prepare, limit, above = undefined) {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  try {
    if (above === undefined) return new Error().stack;
    const holder = {};
    Error.captureStackTrace?.(holder, above);
    return holder.stack;
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

/** A frame's script (its file name or URL), '' where it has none (eval'd code). */
export const frameFile = (frame) => String(frame.getFileName?.() ?? '');

/** A `prepare` for structuredStack: the first frame itself (a CallSite), or null. */
export const firstFrame = (error, frames) => frames[0] ?? null;

/**
 * The script (frameFile) of the frame that called function `fn`, read from one structured frame;
 * null where the engine gives none.
 */
export function callerFile(fn) {
  const frame = structuredStack(firstFrame, 1, fn);
  return typeof frame === 'object' && frame !== null ? frameFile(frame) : null;
}
