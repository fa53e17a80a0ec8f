// The viewsan package's modules the panel imports, under panel/viewsan/: in the repository that
// folder is a link to the package's sources (runtime-shim/js/src), so the server serves, and the extension
// carries, only the files listed here, never the rest of the runtime.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The panel's imports from the viewsan package, as `./viewsan/<name>`. */
export const PANEL_VIEWSAN_FILES = Object.freeze(['protocol.js', 'report-format.js']);

/** Where the panel finds them: a link to the viewsan package, or a copy of these files. */
export const PANEL_VIEWSAN_DIR = fileURLToPath(new URL('../panel/viewsan/', import.meta.url));

/** The file `name` of panel/viewsan/, or null when it is not on the list. */
export function panelViewsanFile(name) {
  return PANEL_VIEWSAN_FILES.includes(name) ? path.join(PANEL_VIEWSAN_DIR, name) : null;
}
