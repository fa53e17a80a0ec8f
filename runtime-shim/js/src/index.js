// viewsan: guarded typed-array views over WebAssembly memory (DESIGN.md contract 2).
import './node-require.js';
import { startApi } from './runtime.js';

export { instantiate, emscripten, ViewSanError, REPORT_KINDS, formatReport, OPTIONS } from './runtime.js';

// Only Node waits (for the shim): a page's worker must not set its message listeners late.
const ready = startApi();
if (ready) await ready;
