// The contract-4 event stream and the report file, in one place for the CLI, its server and the
// panel. Browser-safe: no Node imports.

/** Global function the page runtime calls with each JSON batch; the CLI installs it as a CDP binding. */
export const BINDING_NAME = '__viewsan_devtools';

/** `version` of the report file (the Node runtime's `report_path` shape plus events and page errors). */
export const REPORT_VERSION = 1;

/** Fields of `stats`, in the order of contract 2's `session.stats()`. */
export const STAT_FIELDS = Object.freeze([
  'allocs', 'frees', 'reallocs', 'grows', 'liveBytes', 'peakBytes', 'copyOutBytes', 'errors', 'warnings',
]);

export const WASM_PAGE_BYTES = 65536;

/** Report kinds of contract 3, in the order the filter menu lists them. */
export const REPORT_KINDS = Object.freeze([
  'use-after-grow', 'use-after-free', 'use-after-reuse', 'misaligned-view', 'view-out-of-bounds',
  'unallocated-view', 'double-free', 'invalid-free', 'resizable-view', 'copy-out',
]);

/** Port names between the extension's content script, service worker and panel. */
export const EXTENSION_PORTS = Object.freeze({ page: 'viewsan-page', panel: 'viewsan-panel' });
