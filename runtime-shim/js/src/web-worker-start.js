// Runs in a worker that web-workers.js wrapped, before the worker's own script: register.js (with
// the options the wrapper set as self.VIEWSAN_OPTIONS), the shim compiled (a script that
// instantiates synchronously at its start finds it ready), and the original script's URL as the
// worker's own where the wrapper's blob: URL would otherwise show through.

import './register.js';
import { loadShimModule } from './shim.js';

/** @param {{original: string}} config the wrapper's configuration (web-workers.js) */
export async function start({ original }) {
  rebase(original);
  await loadShimModule();
}

// `location` becomes the original's. For an http(s) original, whose relative URLs resolved
// against its own URL, importScripts, fetch, Request and XMLHttpRequest resolve them so again
// (relative URLs of a blob: or data: script never resolved, and still do not).
function rebase(original) {
  const url = new URL(original);
  const location = Object.create(globalThis.WorkerLocation?.prototype ?? Object.prototype);
  for (const key of ['href', 'origin', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash']) {
    Object.defineProperty(location, key, { value: url[key], enumerable: true });
  }
  Object.defineProperty(location, 'toString', { value: () => url.href });
  Object.defineProperty(globalThis, 'location', { value: location, configurable: true, enumerable: true });

  if (url.protocol === 'blob:' || url.protocol === 'data:') return;
  const absolute = (input) => {
    if (typeof input !== 'string') return input;
    try {
      return new URL(input, url).href;
    } catch {
      return input;  // the API itself reports the bad URL
    }
  };
  const wrap = (owner, name, replacement) => {
    const original = owner?.[name];
    if (typeof original !== 'function') return;
    const patched = replacement(original);
    Object.defineProperty(patched, 'name', { value: original.name });
    owner[name] = patched;
  };
  wrap(globalThis, 'importScripts', (importScripts) => function (...urls) {
    return importScripts.apply(this, urls.map(absolute));
  });
  wrap(globalThis, 'fetch', (fetch) => function (input, init) {
    return fetch.call(this, absolute(input), init);
  });
  wrap(globalThis.XMLHttpRequest?.prototype, 'open', (open) => function (method, target, ...rest) {
    return open.call(this, method, absolute(target), ...rest);
  });
  if (typeof globalThis.Request === 'function') {
    const Request = new Proxy(globalThis.Request, {
      construct(target, [input, ...rest], newTarget) {
        return Reflect.construct(target, [absolute(input), ...rest], newTarget === Request ? target : newTarget);
      },
    });
    globalThis.Request = Request;
  }
}
