// A ViewSanError that the program catches and swallows must still leave its report where a
// sanitizer's reports go (ASan prints at detection): the report is printed shortly after it is
// thrown unless the error reached the top level uncaught, where the host prints it itself (so
// that it is not printed twice). "Shortly after" is the next timer: Node turns unhandled
// rejections into uncaught exceptions before timers run. A process that exits first prints the
// ones still waiting. The exit code is left alone: tests catch ViewSanErrors on purpose. The
// report is in report_path either way.

import { isNode, printError } from './environment.js';

const waiting = new Set();  // thrown, not known to be uncaught, not printed yet
let watching = false;

function flush() {
  for (const error of waiting) printError(error.message);
  waiting.clear();
}

function watch() {
  watching = true;
  const uncaught = (error) => waiting.delete(error);
  if (isNode) {
    // A monitor only observes: the process still crashes as it would without viewsan.
    process.on('uncaughtExceptionMonitor', uncaught);
    process.on('exit', flush);
  } else if (typeof globalThis.addEventListener === 'function') {
    globalThis.addEventListener('error', (event) => uncaught(event.error));
    globalThis.addEventListener('unhandledrejection', (event) => uncaught(event.reason));
  }
}

/** Prints `error`'s report unless it turns out to reach the top level uncaught. */
export function printIfSwallowed(error) {
  if (!watching) watch();
  waiting.add(error);
  const timer = setTimeout(() => {
    if (waiting.delete(error)) printError(error.message);
  }, 0);
  timer?.unref?.();  // never keeps a process alive; the exit hook prints what is left
}
