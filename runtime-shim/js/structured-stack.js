// V8's structured stack frames (Error.prepareStackTrace), read without formatting the stack: what
// `prepare(error, frames)` makes of the current stack, `limit` frames deep counting this one and
// its caller; undefined where the engine has no such hook (it then leaves the stack a string).

export function structuredStack(prepare, limit) {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  try {
    return new Error().stack;
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}
