// `attach`: join a Chrome the user started with --remote-debugging-port and follow its pages,
// those open now and those opened during the run, with their workers. Nothing is reloaded: the
// runtime of a page already loaded starts sending once it sees the binding, so what it did
// before the attach is not collected; a reload collects from the page's start.

import { ViewsanModel } from '../panel/model.js';
import { Collector } from './collector.js';
import { HOST, IDLE_MS, PORT, TIMEOUT_SECONDS } from './defaults.js';
import { asRunFailure, BrowserError } from './errors.js';
import { RunTimer } from './run-timer.js';
import { connectToBrowser, followTargets } from './targets.js';

/**
 * Collects viewsan events from every page and worker of a running Chrome until the run ends.
 * The idle clock starts at the first load event after attaching.
 * @param {object} options
 * @param {string} [options.host]
 * @param {number} [options.port]
 * @param {number} [options.timeoutMs]
 * @param {number} [options.idleMs]
 * @param {AbortSignal} [options.signal]
 * @param {ViewsanModel} [options.model]
 * @param {(pages: {id: string, url: string}[]) => void} [options.onAttached]
 *   once the pages open at the start are wired
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
  const client = await reachChrome(host, port);
  const timer = new RunTimer({ timeoutMs, idleMs, signal });
  const collector = new Collector({ model, timer });
  try {
    client.on('disconnect', () => timer.fail(new BrowserError(`lost the DevTools connection to Chrome at ${host}:${port}`)));
    const { sessions } = await followTargets(client, {
      onTarget: (target) => collector.watch(target),
      onDetached: (target) => collector.unwatch(target),
      onError: (error, target) => collector.warnings.push(`could not watch ${target.type} ${target.label}: ${error.message}`),
    });
    const pages = [...sessions.values()].filter((session) => session.type === 'page');
    onAttached?.(pages.map(({ targetId, url }) => ({ id: targetId, url })));
    const endedBy = await timer.done;
    return {
      endedBy, loaded: timer.loaded, report: model.toJSON(), model, warnings: collector.warnings,
      runtimeRan: collector.batches > 0, skippedBatches: collector.reader.skipped,
    };
  } catch (error) {
    throw asRunFailure(error, model.toJSON());
  } finally {
    timer.cancel();
    // Detaching drops the bindings: the pages' next navigations run without them.
    await client.close().catch(() => {});
  }
}

const CONNECTION_ERRORS = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  ECONNRESET: 'connection reset',
};

async function reachChrome(host, port) {
  try {
    return await connectToBrowser(host, port);
  } catch (error) {
    // CRI rejects a non-200 answer with the body as the message: some other server has the port.
    const reason = CONNECTION_ERRORS[error.code] ?? error.code ?? 'not a Chrome DevTools endpoint';
    throw new BrowserError(
      `cannot reach Chrome at ${host}:${port}: ${reason} (start it with --remote-debugging-port=${port})`,
      { cause: error },
    );
  }
}
