// Workers get the runtime when their parent has it: register.js calls this once it has patched
// WebAssembly. Node's worker_threads (node-workers.js, with one exit-time report for the process:
// thread-reports.js), dedicated workers in pages and workers (web-workers.js). A worker receives
// the registries of the shared heaps its parent posts it (shared-heaps.js).

import { isNode, nodeBuiltins } from './environment.js';
import { propagateToNodeWorkers } from './node-workers.js';
import { receiveHeaps } from './shared-heaps.js';
import { connectThreadReports } from './thread-reports.js';
import { propagateToWebWorkers } from './web-workers.js';

let propagating = false;

/** @param {object} options resolved options (register's, or the first emscripten() glue's) */
export function propagateToWorkers(options) {
  if (propagating) return;
  propagating = true;
  if (isNode) {
    const { require } = nodeBuiltins;
    const workerThreads = require('node:worker_threads');
    propagateToNodeWorkers(require);
    connectThreadReports(workerThreads, options);
    if (!workerThreads.isMainThread) receiveHeaps(workerThreads);
  } else {
    propagateToWebWorkers();
    receiveHeaps();
  }
}
