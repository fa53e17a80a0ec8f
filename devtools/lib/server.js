// Serves the panel on loopback and streams the model to it as Server-Sent Events. Every change
// becomes one numbered message, so a panel that reconnects (EventSource sends Last-Event-ID)
// resumes where it left off, and one that opens late replays the run from the start.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVE_HOST, SERVE_PORT } from './defaults.js';
import { panelViewsanFile } from './viewsan-files.js';

const REPLAY_CHUNK = 2000;
const PANEL_DIR = fileURLToPath(new URL('../panel/', import.meta.url));
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * `port`: the one given (0: a free one), else SERVE_PORT, or a free one when that is taken.
 * @param {{model: import('../panel/model.js').ViewsanModel, host?: string, port?: number}} options
 * @returns {Promise<{url: string, finish(endedBy: string): void, close(): Promise<void>}>}
 *   `finish` tells the panel that the run is over.
 */
export async function startPanelServer({ model, host = SERVE_HOST, port }) {
  const messages = [];
  const streams = new Set();
  const post = (event, data) => {
    messages.push({ event, data: JSON.stringify(data) });
    for (const stream of streams) writeMessage(stream, messages.length);
  };
  const writeMessage = (stream, id) => {
    const { event, data } = messages[id - 1];
    stream.write(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`);
  };

  // What happened before the server started, in chunks: the panel folds each message in its own
  // task, so a long run replays without freezing it.
  for (const context of model.contexts.values()) post('context', context);
  for (let start = 0; start < model.events.length; start += REPLAY_CHUNK) {
    post('events', model.events.slice(start, start + REPLAY_CHUNK));
  }
  for (const pageError of model.pageErrors) post('pageError', pageError);
  const unsubscribe = model.subscribe((change) => {
    if (change.type === 'events') post('events', change.events);
    else if (change.type === 'context') post('context', change.context);
    else post('pageError', change.pageError);
  });

  const server = createServer(async (request, response) => {
    // Loopback is not private to this user's browser tabs: refuse pages of other origins that
    // reach this port through DNS rebinding.
    if (!isLoopbackHost(request.headers.host)) return respond(response, 403, 'forbidden host');
    const { pathname } = new URL(request.url, 'http://loopback');
    if (pathname === '/') {
      response.writeHead(302, { Location: '/index.html?live=events' }).end();
    } else if (pathname === '/events') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      response.flushHeaders();
      const resumeAfter = Number.parseInt(request.headers['last-event-id'] ?? '0', 10) || 0;
      for (let id = resumeAfter + 1; id <= messages.length; id++) writeMessage(response, id);
      streams.add(response);
      request.on('close', () => streams.delete(response));
    } else if (pathname === '/report.json') {
      respond(response, 200, JSON.stringify(model.toJSON()), 'application/json');
    } else {
      await servePanelFile(pathname, response);
    }
  });
  try {
    await listen(server, port ?? SERVE_PORT, host);
  } catch (error) {
    if (port !== undefined || error.code !== 'EADDRINUSE') throw error;
    await listen(server, 0, host);
  }

  return {
    url: `http://${host}:${server.address().port}/`,
    finish(endedBy) {
      post('end', { endedBy });
    },
    async close() {
      unsubscribe();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function servePanelFile(pathname, response) {
  const file = panelFile(pathname.slice(1));
  if (!file) return respond(response, 404, 'not found');
  try {
    const body = await readFile(file);
    respond(response, 200, body, CONTENT_TYPES[path.extname(file)]);
  } catch {
    respond(response, 404, 'not found');
  }
}

// The panel is one flat folder, plus the listed modules of the viewsan package under viewsan/:
// any other path, traversal included, is simply not there.
function panelFile(name) {
  if (!CONTENT_TYPES[path.extname(name)]) return null;
  if (/^[\w-]+\.\w+$/.test(name)) return path.join(PANEL_DIR, name);
  const viewsanModule = /^viewsan\/([\w-]+\.js)$/.exec(name);
  return viewsanModule ? panelViewsanFile(viewsanModule[1]) : null;
}

function respond(response, status, body, contentType = 'text/plain; charset=utf-8') {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body);
}

function isLoopbackHost(hostHeader = '') {
  const hostname = hostHeader.replace(/:\d+$/, '');
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

async function listen(server, port, host) {
  server.listen(port, host);
  await once(server, 'listening');
}
