// `viewsan` (src/index.js) for pages and by path: the ES modules' runtime, or in Node the one
// script's (load-runtime.js).
import * as modules from './runtime.esm.js';
import { nodeRuntime } from './load-runtime.js';

const runtime = nodeRuntime() ?? modules;
export const { instantiate, emscripten, ViewSanError, REPORT_KINDS, formatReport, OPTIONS } = runtime;

// Only Node waits (for the shim): a page's worker must not set its message listeners late.
const ready = runtime.startApi();
if (ready) await ready;
