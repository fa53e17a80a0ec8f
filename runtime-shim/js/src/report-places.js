// Reports made once per place (copy-out warnings, resizable views at sinks): glue code copies in
// loops, and a report per call would bury everything else and grow without bound. A place is the
// report's kind, the call that made it and the JS stack there. The stack is keyed by where its
// frames are (script, line, column), read from V8's structured frames without formatting them:
// formatting the stack, which a report needs, costs several times more and is done only for a
// place seen for the first time. Engines without Error.prepareStackTrace key by the text.

import { currentStack } from './report.js';
import { structuredStack } from './structured-stack.js';

// Frames as V8 hands them to Error.prepareStackTrace: one position per frame, so that two stacks
// get the same key exactly when their formatted text (which names the same positions) is the same.
function framePositions(error, frames) {
  let key = '';
  for (const frame of frames) {
    key += `${frame.getScriptNameOrSourceURL?.() ?? frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()}`
      + `${frame.isWasm?.() ? `@${frame.getFunctionName()}` : ''}\n`;
  }
  return key;
}

/**
 * The current JS stack as a place key: positions, not text. As many frames as the formatted
 * stack used to key by: the program's Error.stackTraceLimit, two more for this call and the one
 * that reads the frames. With `entry`, the function of viewsan's the program called, only the
 * frames above it, the program's own, `frames` of them (as many as the formatted stack shows, by
 * default): a frame costs about half a microsecond to read, and a place is keyed where a loop
 * may reach it thousands of times.
 */
export function stackKey(entry = undefined, frames = Error.stackTraceLimit) {
  const limit = Error.stackTraceLimit;
  const depth = entry !== undefined ? frames : typeof limit === 'number' ? limit + 2 : limit;
  const key = structuredStack(framePositions, depth, entry);
  return typeof key === 'string' && key !== '' ? key : currentStack();
}

export class ReportPlaces {
  #seen = new Set();

  /**
   * True the first time `kind` is reported for call `how` from the current JS stack; with
   * `place` ({entry, frames}), from the frames above `entry` (stackKey).
   */
  firstTime(kind, how, place = undefined) {
    const key = `${kind}\n${how}\n${stackKey(place?.entry, place?.frames)}`;
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }
}
