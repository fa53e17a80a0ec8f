// The Vite dev server's side of the plugin: a middleware, ahead of Vite's own, that
//   - serves every .wasm the page fetches (from a `?url` import, `new URL('./x.wasm', import.meta.url)`,
//     `?init`, a file in public/) instrumented, when the plugin's filter takes the file; the
//     bytes come from the instrument cache, the file on disk is only read;
//   - serves the runtime (register.js and the modules and shims it loads) from the viewsan
//     package's own folder under `${base}@viewsan/`, wherever the package is (a dependency in
//     node_modules, a workspace symlink, a linked checkout): no `server.fs.allow` entry needed,
//     and Vite's transforms never touch it;
//   - serves the source maps of instrumented modules under `${base}@viewsan/maps/`.
// Whatever it does not take goes on to Vite unchanged, including files Vite's `server.fs` rules
// deny (Vite answers those with its 403).
// Node only: the package's main entry never loads this file.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const RUNTIME_PREFIX = '@viewsan/';
// The package's entry points and shims, and the bundles in dist/ that the entry points load.
const RUNTIME_FILE = /^(?:dist\/)?[\w.-]+\.(?:js|wasm|js\.map)$/;
const MAP_FILE = /^maps\/([0-9a-f]{64})\.wasm\.map$/;
// Vite marks with `import` the requests by which a module imports a file (`x.wasm?url` becomes
// `/x.wasm?import&url`, JavaScript that exports the URL): those are Vite's to answer. Any other
// request for a .wasm path (`/x.wasm`, `/x.wasm?init` from Vite's `?init` loader) is for its bytes.
const IMPORT_QUERY = 'import';
// A page's fetch can come before its HMR client has connected (or while only an earlier page's
// closing socket is there, which Vite sends nothing to): an error is sent again to the clients
// that connect this soon after it.
const ERROR_REPLAY_MS = 10_000;
const CONTENT_TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

const isInside = (dir, file) => file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

// Vite's own rule for serving a file from the file system (server.fs.strict, allow, deny).
function servingAllowed(config, file) {
  const { fs } = config.server;
  if (!fs.strict) return true;
  if (config.fsDenyGlob?.(file)) return false;
  return fs.allow.some((dir) => file === dir || isInside(dir, file));
}

/** The file a request path (base removed, decoded) names, as Vite's dev server would serve it. */
async function requestedFile(config, pathname) {
  if (pathname.startsWith('/@fs/')) {
    const file = path.resolve(pathname.slice('/@fs'.length));
    return servingAllowed(config, file) && await isFile(file) ? file : null;
  }
  // public/ first, as Vite serves it first; public files are served at the base, unchecked.
  if (config.publicDir) {
    const file = path.resolve(config.publicDir, `.${pathname}`);
    if (isInside(config.publicDir, file) && await isFile(file)) return file;
  }
  const file = path.resolve(config.root, `.${pathname}`);
  return isInside(config.root, file) && servingAllowed(config, file) && await isFile(file) ? file : null;
}

function send(req, res, config, { body, type, etag }) {
  for (const [name, value] of Object.entries(config.server.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-cache');
  if (etag) {
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  res.setHeader('Content-Length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * `instrument(file)` is the instrument cache's; `accepts(file)` the plugin's include/exclude;
 * `say(file, result)` tells the user what became of a module; `packageDir` is the viewsan
 * package's folder; `cacheDir` where the cache keeps source maps.
 */
export function devMiddleware(server, { instrument, accepts, say, packageDir, cacheDir }) {
  const { config } = server;
  const relative = (file) => path.relative(config.root, file).split(path.sep).join('/');
  /** @type {Map<string, {payload: object, at: number}>} the errors not yet replaced by a success, by file */
  const recentErrors = new Map();
  server.ws.on('connection', (socket) => {
    const now = Date.now();
    for (const [file, { payload, at }] of recentErrors) {
      if (now - at <= ERROR_REPLAY_MS) socket.send(JSON.stringify(payload));
      else recentErrors.delete(file);
    }
  });

  async function serveRuntime(req, res, name) {
    const map = MAP_FILE.exec(name);
    const file = map ? path.join(cacheDir, `${map[1]}.wasm.map`)
      : RUNTIME_FILE.test(name) ? path.join(packageDir, name) : null;
    if (!file || !await isFile(file)) {
      res.statusCode = 404;
      res.end(`viewsan: no ${name} in the viewsan package`);
      return;
    }
    send(req, res, config, { body: await readFile(file), type: CONTENT_TYPES[path.extname(file)] });
  }

  async function serveWasm(req, res, file) {
    let result;
    try {
      result = await instrument(file);
    } catch (error) {
      const message = `viewsan: ${relative(file)} could not be instrumented, so it is not served: ` +
        `${error.message}\n(the plugin's exclude option serves it as it is, unguarded)`;
      config.logger.error(message);
      const payload = { type: 'error', err: { message, stack: '', id: file, plugin: 'viewsan' } };
      recentErrors.set(file, { payload, at: Date.now() });
      server.ws.send(payload);
      res.statusCode = 500;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(message);
      return;
    }
    recentErrors.delete(file);
    say(file, result);
    send(req, res, config, { body: result.bytes, type: 'application/wasm', etag: `"${result.hash}"` });
  }

  return async function viewsanMiddleware(req, res, next) {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      let url;
      let pathname;
      try {
        url = new URL(req.url, 'http://localhost');
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return next();
      }
      if (!pathname.startsWith(config.base)) return next();
      pathname = `/${pathname.slice(config.base.length)}`;
      if (pathname.startsWith(`/${RUNTIME_PREFIX}`)) return await serveRuntime(req, res, pathname.slice(RUNTIME_PREFIX.length + 1));
      if (!pathname.endsWith('.wasm') || url.searchParams.has(IMPORT_QUERY)) return next();
      const file = await requestedFile(config, pathname);
      if (!file || !accepts(file)) return next();
      return await serveWasm(req, res, file);
    } catch (error) {
      return next(error);
    }
  };
}
