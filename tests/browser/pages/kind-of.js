// What a page's check threw, as its results record it: the ViewSanError's kind, 'no report', or
// any other error by name and message.
import { ViewSanError } from '../../../runtime-shim/js/index.js';

export function kindOf(fn) {
  try {
    fn();
    return 'no report';
  } catch (error) {
    return error instanceof ViewSanError ? error.kind : `${error.name}: ${error.message}`;
  }
}
