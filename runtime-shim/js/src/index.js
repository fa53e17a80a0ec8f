// viewsan: guarded typed-array views over WebAssembly memory (DESIGN.md contract 2).
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

// Memories are recorded from their creation, so that views made over one before the module that
// uses it is instantiated are guarded too. They need the shim: in Node it is compiled before the
// import resolves (one that cannot load is reported by instantiate(), where it is needed). A page
// is not kept waiting on the network (a worker would miss the messages posted to it meanwhile):
// there, views made before the shim arrived stay plain.
guardMemoriesFromCreation();
if (isNode) await loadShimModule().catch(() => null);
// report_path is written even if the program never instantiates a module (then it says so).
reportAtExit(resolveOptions({}, environmentOptions()));
