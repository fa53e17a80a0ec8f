// Node: the Node processes a program under register starts load register too, the way a
// preloaded sanitizer reaches a process's children: through the environment they inherit.
// Register adds `--import <its URL>` to NODE_OPTIONS, which Node reads at every start and children
// pass on. A tool that runs its wasm in a process of its own (esbuild-wasm starts `node
// bin/esbuild` as its service) would otherwise instantiate the instrumented module where nothing
// provides its `viewsan` imports, and fail to link. A child the program starts with an
// environment of its own choosing (an `env` without NODE_OPTIONS) stays as the program chose.
// Each such process is a process of its own to viewsan: its reports, report_path file, exit code.

import { REGISTER_URL, registerPreloadTest } from './register-preload.js';

/** @param {NodeRequire} require for Node's built-in modules */
export function propagateToChildProcesses(require) {
  const current = process.env.NODE_OPTIONS ?? '';
  if (registerPreloadTest(require)(nodeOptionsArguments(current))) return;
  // A URL: NODE_OPTIONS splits at spaces, which a URL escapes.
  process.env.NODE_OPTIONS = `${current}${current.trim() === '' ? '' : ' '}--import=${REGISTER_URL}`;
}

/** NODE_OPTIONS split as Node splits it: at spaces, but not within double quotes (\ escapes). */
export function nodeOptionsArguments(value) {
  const args = [];
  let arg = null;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (!quoted && c === ' ') {
      if (arg !== null) args.push(arg);
      arg = null;
      continue;
    }
    arg ??= '';
    if (c === '"') quoted = !quoted;
    else if (quoted && c === '\\' && i + 1 < value.length) arg += value[++i];
    else arg += c;
  }
  if (arg !== null) args.push(arg);
  return args;
}
