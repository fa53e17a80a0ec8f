// Node: this runtime's register as a preload (`--import`), for the threads and processes the
// program starts (node-workers.js, node-child-processes.js), and whether flags they would start
// with preload it already.

// This runtime's register: src/register.js beside the sources; beside the Node bundle
// (dist/node-runtime.js), the entry point that loads only that bundle.
export const REGISTER_URL = new URL(/\/node-runtime\.js$/.test(import.meta.url) ? './node-register.js' : './register.js',
  import.meta.url).href;
// The package's entry point by path, which loads dist/register.js: preloading it is the same.
const PACKAGE_REGISTER_URL = new URL('../register.js', import.meta.url).href;

let preloadTest = null;

/**
 * A test of Node flags (an execArgv, NODE_OPTIONS' arguments): whether they preload this
 * register.js, as `--import viewsan/register`, its path or its URL. Made once: workers and child
 * processes both ask, at register's start.
 * @param {NodeRequire} require for Node's built-in modules
 * @returns {(args: string[]) => boolean}
 */
export function registerPreloadTest(require) {
  preloadTest ??= makePreloadTest(require);
  return preloadTest;
}

function makePreloadTest(require) {
  const fs = require('node:fs');
  const path = require('node:path');
  const { fileURLToPath } = require('node:url');
  const realpath = (file) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return file;
    }
  };
  const registerPaths = [REGISTER_URL, PACKAGE_REGISTER_URL].map((url) => realpath(fileURLToPath(url)));
  return (args) => args.some((arg, i) => {
    const value = arg === '--import' ? args[i + 1] : arg.startsWith('--import=') ? arg.slice(9) : null;
    if (typeof value !== 'string') return false;
    if (/^viewsan\/register(\.js)?$/.test(value)) return true;
    try {
      if (value.startsWith('file:')) return registerPaths.includes(realpath(fileURLToPath(value)));
      return !/^[a-z][a-z0-9+.-]*:/i.test(value) && registerPaths.includes(realpath(path.resolve(value)));
    } catch {
      return false;
    }
  });
}
