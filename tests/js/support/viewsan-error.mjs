// What the guard threw: the suites assert on ViewSanErrors, and let any other error fail the test.
import assert from 'node:assert/strict';

import { ViewSanError } from 'viewsan';

/** The ViewSanError `fn` throws; fails the test if it throws none, rethrows any other error. */
export function catchViewSan(fn) {
  const kind = viewSanKind(fn, (error) => error);
  if (kind === null) assert.fail('expected a ViewSanError');
  return kind;
}

/** The kind of the ViewSanError `fn` throws, or null when it throws none. */
export function viewSanKind(fn, pick = (error) => error.kind) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ViewSanError) return pick(error);
    throw error;
  }
  return null;
}
