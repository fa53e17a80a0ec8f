// Node: every worker_threads Worker started after register loads register too, with the parent's
// VIEWSAN_OPTIONS. Node 20 passes the parent's execArgv, `--import viewsan/register` included, to
// workers from files and data: URLs and to eval code that Node runs as a module; it does not run
// --import before eval code that it runs as a script (CommonJS). So:
//   - file, data: URL and module eval workers: nothing to do when the execArgv they inherit loads
//     register; otherwise (register was imported by the app's code) `--import <register.js>` is
//     put before the inherited execArgv;
//   - script eval workers: the code is wrapped; the wrapper imports register.js, then runs the
//     code with an indirect eval (same global scope, `require` and `module` as Node's eval gives;
//     `vm.runInThisContext` cannot import() without an experimental flag in Node 20);
//   - an execArgv the app gave explicitly is its say over the worker's flags: kept as it is. Node
//     then applies the NODE_OPTIONS of the worker's env too, where register puts itself
//     (node-child-processes.js); a worker that gets register from neither is named on stderr.

import { printError } from './environment.js';
import { nodeOptionsArguments } from './node-child-processes.js';
import { REGISTER_URL, registerPreloadTest } from './register-preload.js';
import { markGuardedWorker, nodeCanReceiveHeaps, sendHeapsWith } from './shared-heaps.js';
import { workerStarting } from './thread-reports.js';

/** @param {NodeRequire} require for Node's built-in modules */
export function propagateToNodeWorkers(require) {
  const workerThreads = require('node:worker_threads');
  const vm = require('node:vm');
  const Original = workerThreads.Worker;
  const loadsRegister = registerPreloadTest(require);

  const Patched = new Proxy(Original, {
    construct(target, args, newTarget) {
      workerStarting();
      const actualTarget = newTarget === Patched ? target : newTarget;
      const [filename, options] = args;
      const guarded = guardedArguments(filename, options ?? {});
      if (guarded.reason) {
        printError(`viewsan: WARNING: ${describe(filename, options)} runs unguarded: ${guarded.reason}`);
        return Reflect.construct(target, args, actualTarget);
      }
      const construct = (execArgv) => {
        const worker = Reflect.construct(target,
          [guarded.filename, execArgv ? { ...guarded.options, execArgv } : guarded.options], actualTarget);
        markGuardedWorker(worker);
        return worker;
      };
      try {
        return construct();
      } catch (error) {
        if (error?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || !guarded.addedImport) throw error;
        // The inherited execArgv, given explicitly: Node refuses its flags that act on the whole
        // process (V8's, --title, ...), which the worker shares anyway. Once more without them.
        const refused = error.message.split(': ').slice(1).join(': ').split(', ');
        try {
          return construct(guarded.options.execArgv.filter((arg) => !refused.includes(arg)));
        } catch (retryError) {
          if (retryError?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw retryError;
          printError(`viewsan: WARNING: ${describe(filename, options)} runs unguarded: Node refuses this ` +
            `process's execArgv in a worker (${process.execArgv.join(' ')}); preload with ` +
            '`node --import viewsan/register` instead, which Node passes to workers itself');
          return Reflect.construct(target, args, actualTarget);
        }
      }
    },
  });

  function guardedArguments(filename, options) {
    const explicit = options.execArgv !== undefined;
    const execArgv = options.execArgv ?? process.execArgv;
    const preloaded = loadsRegister(execArgv) || loadsRegister(nodeOptionsArguments(appliedNodeOptions(options)));
    if (explicit && !preloaded) {
      return { reason: `its execArgv (${JSON.stringify(execArgv)}) leaves out --import viewsan/register` };
    }
    const guarded = { ...options };
    if (!preloaded) guarded.execArgv = ['--import', REGISTER_URL, ...execArgv];
    // An env of the app's own: the parent's options unless it sets others (SHARE_ENV shares them).
    const parentOptions = process.env.VIEWSAN_OPTIONS;
    if (parentOptions !== undefined && options.env && typeof options.env === 'object'
        && !Object.hasOwn(options.env, 'VIEWSAN_OPTIONS')) {
      guarded.env = { ...options.env, VIEWSAN_OPTIONS: parentOptions };
    }
    if (options.eval && runsAsScript(String(filename))) {
      return { filename: wrapScript(String(filename)), options: guarded, addedImport: !preloaded };
    }
    return { filename, options: guarded, addedImport: !preloaded };
  }

  // The NODE_OPTIONS Node applies to the worker: its env's, read when the worker is given an
  // execArgv or an env of its own (else it inherits this thread's flags as they are). Register
  // puts itself there (node-child-processes.js).
  function appliedNodeOptions(options) {
    const ownEnv = typeof options.env === 'object' && options.env !== null;
    if (!ownEnv && options.execArgv === undefined) return '';
    const nodeOptions = (ownEnv ? options.env : process.env).NODE_OPTIONS;
    return nodeOptions === undefined ? '' : String(nodeOptions);
  }

  // Node runs eval code as a script unless it fails to parse as one (then as a module, when it
  // has module syntax): the same parse here tells which.
  function runsAsScript(code) {
    try {
      new vm.Script(code);
      return true;
    } catch {
      return false;
    }
  }

  workerThreads.Worker = Patched;
  if (nodeCanReceiveHeaps(workerThreads.MessagePort)) sendHeapsWith(Original.prototype);
  // `import { Worker } from 'node:worker_threads'` sees the patched constructor too.
  require('node:module').syncBuiltinESMExports();
}

function wrapScript(code) {
  const named = /\/\/[#@] sourceURL=/.test(code) ? code : `${code}\n//# sourceURL=[worker eval]`;
  return `import(${JSON.stringify(REGISTER_URL)}).then(() => (0, eval)(${JSON.stringify(named)}));`;
}

function describe(filename, options) {
  if (options?.eval) {
    const code = String(filename).replace(/\s+/g, ' ').trim();
    return `worker [eval] ${JSON.stringify(code.length > 60 ? `${code.slice(0, 57)}...` : code)}`;
  }
  const name = filename instanceof URL ? filename.href : String(filename);
  return `worker ${name.length > 100 ? `${name.slice(0, 97)}...` : name}`;
}
