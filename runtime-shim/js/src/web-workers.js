// Pages and workers: every dedicated Worker started after register.js loads register.js too,
// with the page's VIEWSAN_OPTIONS. A worker's first script cannot be made to import anything
// first, so the worker starts from a wrapper (a blob: URL, so that it has the page's origin and
// can import register.js by its absolute URL, which a data: worker's opaque origin could not
// without CORS headers). The wrapper holds the messages that arrive while register.js loads,
// loads it (web-worker-start.js), then runs the original script and hands the messages on:
//   - module workers: a module wrapper that import()s the original, so import.meta.url and its
//     relative imports are its own;
//   - classic workers: a classic wrapper that import()s register.js (dynamic import works in
//     classic workers; a static import or importScripts of an ES module does not) and then
//     importScripts() the original, so it still runs as a classic script in the global scope with
//     importScripts available, which a module wrapper would take away. It runs once register.js
//     has loaded, no longer during the worker's first evaluation; the held messages cover the gap.
// The original runs from a blob: URL, so web-worker-start.js makes `location`, and the relative URLs
// of importScripts, fetch, Request and XMLHttpRequest, resolve against the original's URL. A data:
// worker runs with the page's origin instead of an opaque one. SharedWorkers are not wrapped (a
// wrapper per page would end the sharing between pages), nor workers under a policy that forbids
// blob: workers (watchPolicy): they are named on the console.

import { environmentOptions, printError } from './environment.js';
import { markGuardedWorker, sendHeapsWith } from './shared-heaps.js';

const REGISTER_URL = new URL('./register.js', import.meta.url).href;
const START_URL = new URL('./web-worker-start.js', import.meta.url).href;

export function propagateToWebWorkers() {
  const blobs = rememberBlobs();
  const policy = watchPolicy();
  const Original = globalThis.Worker;
  if (typeof Original === 'function') {
    const Patched = new Proxy(Original, {
      construct(target, args, newTarget) {
        const actualTarget = newTarget === Patched ? target : newTarget;
        const [scriptURL, options] = args;
        const url = resolve(scriptURL);
        if (!url) return Reflect.construct(target, args, actualTarget);  // the engine says why
        if (policy.blocksBlobWorkers()) {
          printError(`viewsan: WARNING: worker ${url} runs unguarded: ${POLICY_REASON}`);
          return Reflect.construct(target, args, actualTarget);
        }
        const source = blobs.stable(url);
        const wrapper = wrapperURL(source, url, options?.type === 'module' ? 'module' : 'classic');
        try {
          const worker = Reflect.construct(target, [wrapper, ...args.slice(1)], actualTarget);
          markGuardedWorker(worker);
          return worker;
        } catch (error) {
          // A policy against blob: workers (CSP worker-src, Trusted Types): the app's worker as is.
          if (source.own) URL.revokeObjectURL(source.url);
          printError(`viewsan: WARNING: worker ${url} runs unguarded: ${error?.message ?? error}`);
          return Reflect.construct(target, args, actualTarget);
        } finally {
          // The worker has parsed its URL: revoking now does not stop it loading.
          URL.revokeObjectURL(wrapper);
        }
      },
    });
    globalThis.Worker = Patched;
    sendHeapsWith(Original.prototype);
  }
  const OriginalShared = globalThis.SharedWorker;
  if (typeof OriginalShared === 'function') {
    const named = new Set();
    const PatchedShared = new Proxy(OriginalShared, {
      construct(target, args, newTarget) {
        const url = resolve(args[0]) ?? String(args[0]);
        if (!named.has(url)) {
          named.add(url);
          printError(`viewsan: WARNING: SharedWorker ${url} runs unguarded: viewsan guards dedicated workers only`);
        }
        return Reflect.construct(target, args, newTarget === PatchedShared ? target : newTarget);
      },
    });
    globalThis.SharedWorker = PatchedShared;
  }
}

const POLICY_REASON = "the page's Content-Security-Policy keeps blob: out of worker-src, and viewsan " +
  'starts workers from a blob: wrapper; allow blob: there to guard them';

// A Content-Security-Policy without blob: in the directive that governs workers stops every
// wrapper, and the engine says so only later, on the worker's error event: a <meta> policy is read
// here at once; a header policy shows in the first violation, which is named (that worker does not
// start), and the workers after it are started as they are.
function watchPolicy() {
  const governing = ['worker-src', 'child-src', 'script-src', 'default-src'];
  const metaBlocks = [...(globalThis.document?.querySelectorAll('meta[http-equiv]') ?? [])]
    .filter((meta) => meta.httpEquiv.toLowerCase() === 'content-security-policy')
    .some((meta) => {
      const directives = new Map(meta.content.split(';').map((d) => d.trim().split(/\s+/))
        .filter(([name]) => name).map(([name, ...sources]) => [name.toLowerCase(), sources]));
      const sources = governing.map((name) => directives.get(name)).find(Boolean);
      return sources !== undefined && !sources.some((source) => source.toLowerCase() === 'blob:');
    });
  let violated = false;
  globalThis.addEventListener?.('securitypolicyviolation', (event) => {
    if (violated || event.blockedURI !== 'blob' || !governing.includes(event.effectiveDirective)) return;
    violated = true;
    printError(`viewsan: WARNING: a worker did not start: ${POLICY_REASON}; workers started from now on run unguarded`);
  });
  return { blocksBlobWorkers: () => metaBlocks || violated };
}

// The worker's URL, absolute, when it is one a wrapper can load: blob:, data:, or same-origin.
function resolve(scriptURL) {
  let url;
  try {
    url = new URL(String(scriptURL), globalThis.document?.baseURI ?? globalThis.location?.href);
  } catch {
    return null;
  }
  const sameOrigin = url.protocol === 'blob:' || url.protocol === 'data:' || url.origin === globalThis.origin;
  return sameOrigin ? url.href : null;
}

// blob: URLs are often revoked right after `new Worker(url)`, which is fine for a worker that
// loads it at once but not for a wrapper that loads it later: the Blob behind each URL made here
// is remembered, so that the wrapper gets a URL of its own for it (the wrapper revokes it).
function rememberBlobs() {
  const byURL = new Map();
  const { createObjectURL, revokeObjectURL } = URL;
  URL.createObjectURL = function (object) {
    const url = createObjectURL.call(this, object);
    if (object instanceof Blob) byURL.set(url, object);
    return url;
  };
  URL.revokeObjectURL = function (url) {
    byURL.delete(String(url));
    return revokeObjectURL.call(this, url);
  };
  for (const [patched, original] of [[URL.createObjectURL, createObjectURL], [URL.revokeObjectURL, revokeObjectURL]]) {
    Object.defineProperty(patched, 'name', { value: original.name });
  }
  return {
    stable(url) {
      const blob = byURL.get(url);
      return blob ? { url: createObjectURL.call(URL, blob), own: true } : { url, own: false };
    },
  };
}

function wrapperURL(source, original, type) {
  const config = {
    url: source.url,
    revoke: source.own,
    original,
    options: plainOptions(),
    start: START_URL,
    register: REGISTER_URL,
  };
  const run = type === 'module' ? 'import(config.url)' : 'importScripts(config.url)';
  // An arrow function's scope, so that nothing here clashes with the original's global names.
  const code = `// viewsan: loads register.js, then runs ${original}
(() => {
  const config = ${JSON.stringify(config)};
  if (config.options !== undefined) self.VIEWSAN_OPTIONS = config.options;
  const held = [];
  const hold = (event) => { event.stopImmediatePropagation(); held.push(event); };
  self.addEventListener('message', hold);
  const release = () => {
    self.removeEventListener('message', hold);
    for (const e of held) {
      self.dispatchEvent(new MessageEvent('message',
        { data: e.data, origin: e.origin, lastEventId: e.lastEventId, source: e.source, ports: [...e.ports] }));
    }
  };
  import(config.start)
    .then(({ start }) => start(config), (error) => {
      console.error('viewsan: WARNING: worker ' + config.original + ' runs unguarded: ' + error);
    })
    .then(() => ${run})
    .finally(() => { if (config.revoke) URL.revokeObjectURL(config.url); })
    .then(release, (error) => { release(); setTimeout(() => { throw error; }); });
})();
`;
  return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
}

// The page's VIEWSAN_OPTIONS as the worker can receive it: a string, or an object's plain values.
function plainOptions() {
  const raw = globalThis.VIEWSAN_OPTIONS;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') return String(raw);
  return Object.fromEntries(Object.entries(environmentOptions()).filter(([, v]) => typeof v !== 'function'));
}
