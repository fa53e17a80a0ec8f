// `attach`: join a Chrome the user started with --remote-debugging-port, one CDP client per page.
// Nothing is reloaded: a page that already ran its scripts reports from its next navigation on.

import CDP from 'chrome-remote-interface';
import { ViewsanModel } from '../panel/model.js';
import { Collector } from './collector.js';
import { HOST, IDLE_MS, PORT, TIMEOUT_SECONDS } from './defaults.js';
import { asRunFailure, BrowserError } from './errors.js';
import { RunTimer } from './run-timer.js';

/**
 * Collects viewsan events from every page of a running Chrome until the run ends. The idle
 * clock starts at the first load event after attaching.
 * @param {object} options
 * @param {string} [options.host]
 * @param {number} [options.port]
 * @param {number} [options.timeoutMs]
 * @param {number} [options.idleMs]
 * @param {AbortSignal} [options.signal]
 * @param {ViewsanModel} [options.model]
 * @param {(pages: {id: string, url: string}[]) => void} [options.onAttached]  once every page is wired
 * @returns {Promise<import('./launch.js').RunResult>}
 */
export async function attach({
  host = HOST,
  port = PORT,
  timeoutMs = TIMEOUT_SECONDS * 1000,
  idleMs = IDLE_MS,
  signal,
  model = new ViewsanModel(),
  onAttached,
}) {
  const pages = (await listTargets(host, port)).filter((target) => target.type === 'page');
  if (pages.length === 0) throw new BrowserError(`Chrome at ${host}:${port} has no open page to attach to`);

  const timer = new RunTimer({ timeoutMs, idleMs, signal });
  const collector = new Collector({ model, timer });
  const clients = [];
  try {
    for (const page of pages) {
      const client = await CDP({ host, port, target: page });
      clients.push(client);
      await collector.watch(client, page.url);
    }
    onAttached?.(pages.map(({ id, url }) => ({ id, url })));
    const endedBy = await timer.done;
    return { endedBy, loaded: timer.loaded, report: model.toJSON(), model, warnings: collector.warnings };
  } catch (error) {
    throw asRunFailure(error, model.toJSON());
  } finally {
    timer.cancel();
    // Closing a client drops its binding: the pages' next navigations run without it.
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
  }
}

const CONNECTION_ERRORS = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  ECONNRESET: 'connection reset',
};

async function listTargets(host, port) {
  try {
    return await CDP.List({ host, port });
  } catch (error) {
    // CRI rejects a non-200 answer with the body as the message: some other server has the port.
    const reason = CONNECTION_ERRORS[error.code] ?? error.code ?? 'not a Chrome DevTools endpoint';
    throw new BrowserError(
      `cannot reach Chrome at ${host}:${port}: ${reason} (start it with --remote-debugging-port=${port})`,
      { cause: error },
    );
  }
}
