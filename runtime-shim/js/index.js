// viewsan: guarded typed-array views over WebAssembly memory (DESIGN.md contract 2).
export { instantiate } from './instantiate.js';
export { emscripten } from './emscripten.js';
export { ViewSanError } from './errors.js';
export { REPORT_KINDS } from './report.js';
export { FLAGS as OPTIONS } from './options.js';
