// A loopback HTTP server for local pages: fixed bodies by path, plus folders mounted under a prefix.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/**
 * @param {{files?: Record<string, string>, mounts?: Record<string, string>,
 *          headers?: Record<string, string>}} routes
 *   `files` maps a path to its body (type from its extension); `mounts` maps a prefix ending in
 *   '/' to a folder; `headers` are sent with every response (e.g. COOP and COEP, which make a
 *   page cross-origin isolated: shared memory and threads).
 * @returns {Promise<{url(pathname: string): string, close(): Promise<void>}>}
 */
export async function startStaticServer({ files = {}, mounts = {}, headers = {} }) {
  const server = createServer(async (request, response) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const { pathname } = new URL(request.url, 'http://test');
    const type = CONTENT_TYPES[path.extname(pathname)] ?? 'application/octet-stream';
    if (pathname in files) return response.writeHead(200, { 'Content-Type': type }).end(files[pathname]);
    // The longest matching prefix wins, so '/build/' can sit inside a folder mounted at '/'.
    const prefix = Object.keys(mounts).sort((a, b) => b.length - a.length).find((mount) => pathname.startsWith(mount));
    const relative = prefix && path.normalize(pathname.slice(prefix.length));
    if (relative && !relative.startsWith('..')) {
      try {
        const body = await readFile(path.join(mounts[prefix], relative));
        return response.writeHead(200, { 'Content-Type': type }).end(body);
      } catch {
        // Falls through to 404.
      }
    }
    response.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not found</h1>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    url: (pathname) => `http://127.0.0.1:${port}${pathname}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
