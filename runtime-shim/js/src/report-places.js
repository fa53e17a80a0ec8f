// Reports made once per place (copy-out warnings, resizable views at sinks): glue code copies in
// loops, and a report per call would bury everything else and grow without bound. A place is the
// report's kind, the call that made it and the JS stack there. The stack is keyed by where its
// frames are (script, line, column), read from V8's structured frames without formatting them:
// formatting the stack, which a report needs, costs several times more and is done only for a
// place seen for the first time. Engines without Error.prepareStackTrace key by the text.

import { OWN_FRAMES_AT_MOST, currentStack, isOwnFrame } from './report.js';
import { frameFile, structuredStack } from './structured-stack.js';

// Frames as V8 hands them to Error.prepareStackTrace: one position per frame, so that two stacks
// get the same key exactly when their formatted text (which names the same positions) is the same.
export function framePositions(error, frames) {
  let key = '';
  for (const frame of frames) {
    key += `${frame.getScriptNameOrSourceURL?.() ?? frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()}`
      + `${frame.isWasm?.() ? `@${frame.getFunctionName()}` : ''}\n`;
  }
  return key;
}

// The program's frames of them, Error.stackTraceLimit deep, viewsan's own left out.
const programFramePositions = (limit) => (error, frames) => framePositions(error, frames
  .filter((frame) => !isOwnFrame(frameFile(frame)))
  .slice(0, limit));

/**
 * The current JS stack as a place key: positions, not text; the program's frames, as many as the
 * formatted stack shows (Error.stackTraceLimit), read past viewsan's own (at most
 * OWN_FRAMES_AT_MOST of them). With `entry`, the function of viewsan's the program called, only
 * the frames above it, `frames` of them (as many as the formatted stack shows, by default), which
 * costs no frame of viewsan's: a frame costs about half a microsecond to read, and a place is
 * keyed where a loop may reach it thousands of times.
 */
export function stackKey(entry = undefined, frames = Error.stackTraceLimit) {
  const limit = Error.stackTraceLimit;
  const key = entry !== undefined ? structuredStack(framePositions, frames, entry)
    : typeof limit === 'number' ? structuredStack(programFramePositions(limit), limit + OWN_FRAMES_AT_MOST)
      : structuredStack(framePositions, limit);
  return typeof key === 'string' && key !== '' ? key : currentStack();
}

export class ReportPlaces {
  #seen = new Set();

  /**
   * The key of the place where `kind` is reported for call `how`: the current JS stack; with
   * `place` ({entry, frames}), the frames above `entry` (stackKey); with `place.key`, the place
   * the caller read already (framePositions). The same in every thread, for the same code reached
   * the same way.
   */
  keyOf(kind, how, place = undefined) {
    return `${kind}\n${how}\n${place?.key ?? stackKey(place?.entry, place?.frames)}`;
  }

  /** True the first time `key` (keyOf) is asked for. */
  firstTimeAt(key) {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }
}
