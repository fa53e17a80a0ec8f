// `launch`: a fresh headless Chromium on one page, the binding installed before the first script
// of the page and of every worker it starts, then collect until the run ends.

import CDP from 'chrome-remote-interface';
import { setTimeout as delay } from 'node:timers/promises';
import { ViewsanModel } from '../panel/model.js';
import { startChromium } from './chromium.js';
import { Collector } from './collector.js';
import { HOST, IDLE_MS, TIMEOUT_SECONDS } from './defaults.js';
import { asRunFailure, BrowserError } from './errors.js';
import { RunTimer } from './run-timer.js';
import { connectToBrowser, followTargets } from './targets.js';

/**
 * @typedef {object} RunResult
 * @property {'idle'|'timeout'|'interrupted'} endedBy
 * @property {boolean} loaded   whether a load event was seen
 * @property {object} report    the report file's JSON (`ViewsanModel#toJSON`)
 * @property {ViewsanModel} model
 * @property {string[]} warnings
 * @property {boolean} runtimeRan  whether any page or worker sent a batch (the viewsan runtime ran)
 * @property {number} skippedBatches  batches of a newer protocol version than this package reads:
 *   the run was not read whole (`warnings` says so)
 */

/**
 * Opens `url` in headless Chromium and collects its viewsan events.
 * Rejects with a BrowserError when Chromium cannot start, the page does not load (network error
 * or HTTP status >= 400), or the DevTools connection fails.
 * @param {object} options
 * @param {string} options.url
 * @param {string} [options.chromium]   executable; default `chromium` on PATH
 * @param {number} [options.timeoutMs]
 * @param {number} [options.idleMs]
 * @param {AbortSignal} [options.signal]  ends the run early, keeping what was collected
 * @param {ViewsanModel} [options.model]  pass one to watch it live (the panel server does)
 * @returns {Promise<RunResult>}
 */
export async function launch({
  url,
  chromium,
  timeoutMs = TIMEOUT_SECONDS * 1000,
  idleMs = IDLE_MS,
  signal,
  model = new ViewsanModel(),
}) {
  const browser = await startChromium({ executable: chromium });
  const timer = new RunTimer({ timeoutMs, idleMs, signal });
  const collector = new Collector({ model, timer });
  let client;
  try {
    client = await connectToBrowser(HOST, browser.port);
    client.on('disconnect', () => timer.fail(new BrowserError(`lost the DevTools connection to Chromium (${url})`)));
    const { sessions } = await followTargets(client, {
      onTarget: (target) => collector.watch(target),
      onDetached: (target) => collector.unwatch(target),
      onError: (error, target) => collector.warnings.push(`could not watch ${target.type} ${target.label}: ${error.message}`),
    });
    const page = await firstPage(sessions);
    // Subscribed before navigating: a small page can load within the navigate reply's network chunk.
    const firstLoad = page.once('Page.loadEventFired');
    // Chromium answers Page.navigate once the response starts: a server that never answers would
    // hold the run past its timeout and Ctrl-C, so the timer may end it first.
    const navigation = page.send('Page.navigate', { url });
    const navigated = await Promise.race([navigation, timer.done.then(() => null, () => null)]);
    if (navigated?.errorText) throw new BrowserError(`page failed to load: ${navigated.errorText} (${url})`);
    if (navigated) firstLoad.then(() => checkDocumentStatus(page, url)).catch((error) => timer.fail(error));
    else navigation.catch(() => {});  // the browser closes below, and the request with it
    const endedBy = await timer.done;
    return {
      endedBy, loaded: timer.loaded, report: model.toJSON(), model, warnings: collector.warnings,
      runtimeRan: collector.batches > 0, skippedBatches: collector.reader.skipped,
    };
  } catch (error) {
    throw asRunFailure(error, model.toJSON());
  } finally {
    timer.cancel();
    await client?.close().catch(() => {});
    await browser.close();
  }
}

// The about:blank tab Chromium opens may be announced a moment after DevTools starts listening.
async function firstPage(sessions) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const page = [...sessions.values()].find((session) => session.type === 'page');
    if (page) return page;
    await delay(50);
  }
  throw new BrowserError('Chromium opened no page');
}

// An error status still loads a page (the server's error body), so ask the page what it got.
async function checkDocumentStatus(page, url) {
  const { result } = await page.send('Runtime.evaluate', {
    expression: "performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0",
    returnByValue: true,
  });
  if (result.value >= 400) throw new BrowserError(`page failed to load: HTTP ${result.value} (${url})`);
}
