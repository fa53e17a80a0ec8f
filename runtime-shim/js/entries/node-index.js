// `viewsan` (src/index.js) as Node resolves the package's name: the one script's runtime only
// (load-runtime.js).
import { nodeRuntime } from './load-runtime.js';

const runtime = nodeRuntime();
export const { instantiate, emscripten, ViewSanError, REPORT_KINDS, formatReport, OPTIONS } = runtime;

await runtime.startApi();
