// The two ways a run fails before it can judge the page; the CLI turns both into exit code 2.

/** Bad command line: the CLI adds a pointer to --help. */
export class UsageError extends Error {
  name = 'UsageError';
}

/**
 * Chromium missing or unreachable, a page that does not load, a broken CDP connection, a panel
 * port already taken.
 * `report` holds what was collected before the failure, once a run got that far.
 */
export class BrowserError extends Error {
  name = 'BrowserError';

  constructor(message, { cause, report } = {}) {
    super(message, { cause });
    this.report = report ?? null;
  }
}

/** Any failure during a run, as a BrowserError carrying what was collected before it. */
export function asRunFailure(error, report) {
  if (error instanceof BrowserError) {
    error.report ??= report;
    return error;
  }
  return new BrowserError(`DevTools protocol failure: ${error.message}`, { cause: error, report });
}
