// A page's worker's start (src/web-worker-start.js): pages load the ES modules runtime.
export * from './web-worker-start.esm.js';
