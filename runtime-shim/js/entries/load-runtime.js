// The runtime in Node: one script, node-runtime.js, compiled with a V8 code cache kept between
// runs. A start then neither parses the runtime again nor compiles again the functions earlier
// runs compiled: about a third of what viewsan adds to a short program's run, where Node 20 has
// no cache for ES modules. Pages load the ES modules (runtime.esm.js and its chunks). The entry
// points Node resolves the package's names to (node-index.js, node-register.js) load only this
// script; the others (index.js, register.js: pages, and paths) import the ES modules too, and in
// Node hand out this script's runtime all the same, so that a process has one runtime whichever
// entry point it names.

import * as protocol from './protocol.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// process.getBuiltinModule (Node 20.16) needs neither the module loader nor an await; before it,
// a require made here, which the runtime uses too (environment.js).
const requireBuiltin = !isNode ? null : process.getBuiltinModule?.bind(process)
  ?? (globalThis[Symbol.for('viewsan.nodeRequire')] ??= (await import('node:module')).createRequire(import.meta.url));

let loaded = null;

/** Node: the runtime (loaded once); elsewhere null. */
export function nodeRuntime() {
  if (!isNode) return null;
  loaded ??= loadScript();
  return loaded;
}

function loadScript() {
  const fs = requireBuiltin('node:fs');
  const vm = requireBuiltin('node:vm');
  // Named without './': the Vite plugin follows such names to what a page loads.
  const url = new URL('node-runtime.js', import.meta.url);
  const file = requireBuiltin('node:url').fileURLToPath(url);
  const cache = codeCache(file);
  // The bundle's `import.meta.url` is the first parameter: its modules' URLs are the dist/ folder's.
  // It imports protocol.js, this folder's, through the second.
  const wrapped = `(function (__viewsanModuleUrl, require) {${fs.readFileSync(file, 'utf8')}\nreturn viewsanRuntime;\n})`;
  const script = new vm.Script(wrapped, { filename: url.href, cachedData: cache.data });
  const runtime = script.runInThisContext()(url.href, (id) => {
    if (id === './protocol.js') return protocol;
    throw new Error(`viewsan: node-runtime.js imports ${id}, which its loader does not give`);
  });
  cache.keep(script);
  return runtime;
}

// The code cache: a file per user in the system's temporary folder, named after the V8 version,
// the architecture and the bundle's identity on disk (V8 itself only checks the source's length).
// Read only from a folder this user owns that no one else can write to: a code cache is trusted
// input. Written once, at the exit of a run that had none, or whose cache V8 rejected, so that it
// holds the functions that run compiled (V8 takes about 4 ms to write one: not at every exit).
// code_cache=0 in VIEWSAN_OPTIONS turns it off.
function codeCache(file) {
  const none = { data: undefined, keep() {} };
  if (!codeCacheWanted()) return none;
  try {
    const fs = requireBuiltin('node:fs');
    const path = requireBuiltin('node:path');
    const uid = process.getuid?.();
    const dir = path.join(requireBuiltin('node:os').tmpdir(), uid === undefined ? 'viewsan-code-cache' : `viewsan-code-cache-${uid}`);
    const { size, mtimeMs, ino } = fs.statSync(file);
    const target = path.join(dir, `${process.versions.v8}-${process.arch}-${size}-${mtimeMs}-${ino}.bin`);
    const trusted = () => {
      const folder = fs.statSync(dir);
      return uid === undefined || (folder.uid === uid && (folder.mode & 0o022) === 0);
    };
    let data;
    try {
      if (trusted()) data = fs.readFileSync(target);
    } catch {
      // no cache yet
    }
    return {
      data,
      keep(script) {
        if (data !== undefined && !script.cachedDataRejected) return;
        process.once('exit', () => {
          try {
            fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
            if (!trusted()) return;
            const partial = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}`;
            fs.writeFileSync(partial, script.createCachedData());
            fs.renameSync(partial, target);
            prune(fs, path, dir);
          } catch {
            // a read-only or full disk: the next run compiles again
          }
        });
      },
    };
  } catch {
    return none;
  }
}

// code_cache in VIEWSAN_OPTIONS, read before the runtime (which holds the options' parser) loads,
// as that parser reads it: items split at ':', ',' or spaces, a value maybe quoted, the last one
// given winning, one that is not a boolean ignored (the parser warns of it).
function codeCacheWanted() {
  let wanted = true;
  for (const item of (process.env.VIEWSAN_OPTIONS ?? '').split(/[:,\s]+/)) {
    if (!item.startsWith('code_cache=')) continue;
    const value = item.slice('code_cache='.length).replace(/^(['"])(.*)\1$/, '$2');
    if (/^(0|false|no)$/i.test(value)) wanted = false;
    else if (/^(1|true|yes)$/i.test(value)) wanted = true;
  }
  return wanted;
}

// Each build or installed copy of the runtime has its cache: the folder keeps the latest written.
const CACHES_KEPT = 16;

function prune(fs, path, dir) {
  const caches = fs.readdirSync(dir).filter((name) => name.endsWith('.bin'))
    .map((name) => ({ file: path.join(dir, name), written: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const { file } of caches.slice(CACHES_KEPT)) fs.rmSync(file, { force: true });
}
