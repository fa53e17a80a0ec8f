// What a page's check threw, as its results record it: the ViewSanError's kind, 'no report', or
// any other error by name and message. A page that runs the runtime's sources (src/) passes their
// ViewSanError: the package's entry points load the bundle's (dist/), another class.
import { ViewSanError } from '../../../runtime-shim/js/index.js';

export function kindOf(fn, errorClass = ViewSanError) {
  try {
    fn();
    return 'no report';
  } catch (error) {
    return error instanceof errorClass ? error.kind : `${error.name}: ${error.message}`;
  }
}
