// The whole runtime as the package's entry points see it: the API (`viewsan`) and register's hooks
// (`viewsan/register`), from one set of modules so that the two are one runtime. The build makes
// it both ES modules (pages) and one script (Node, loaded with a code cache: entries/load-runtime.js).

import { guardMemoriesFromCreation } from './early-sessions.js';
import { environmentOptions, isNode, reportAtExit } from './environment.js';
import { resolveOptions } from './options.js';
import { loadShimModule } from './shim.js';

export { instantiate } from './instantiate.js';
export { emscripten } from './emscripten.js';
export { ViewSanError } from './errors.js';
export { REPORT_KINDS } from './protocol.js';
export { formatReport } from './report-format.js';
export { FLAGS as OPTIONS } from './options.js';
export { installRegister } from './register-hooks.js';

let apiStarted;  // what startApi returns, once it ran

/**
 * What importing the API does, once. Memories are recorded from their creation, so that views
 * made over one before the module that uses it is instantiated are guarded too. They need the
 * shim: in Node it is compiled before the import resolves (the promise returned; one that cannot
 * load is reported by instantiate(), where it is needed). A page is not kept waiting on the
 * network (a worker would miss the messages posted to it meanwhile): there, views made before the
 * shim arrived stay plain, and null is returned. report_path is written even if the program never
 * instantiates a module (then it says so).
 */
export function startApi() {
  if (apiStarted === undefined) {
    guardMemoriesFromCreation();
    reportAtExit(resolveOptions({}, environmentOptions()));
    apiStarted = isNode ? loadShimModule().catch(() => null) : null;
  }
  return apiStarted;
}
