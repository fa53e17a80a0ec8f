// Where the panel's data comes from. Like DevTools shells, the panel differs only in its feed:
// a live stream from the CLI's server, the extension's service worker, or a report file fetched
// by URL or dropped on the page.

import { BatchReader } from './batch-reader.js';
import { EXTENSION_PORTS } from './extension-ports.js';
import { ViewsanModel } from './model.js';

export async function fetchReport(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return ViewsanModel.fromJSON(await response.json());
}

export async function readReportFile(file) {
  return ViewsanModel.fromJSON(JSON.parse(await file.text()));
}

// Messages are folded in slices of at most SLICE_MS, each in a task of its own: a burst of them
// (a replay, or a panel that fell behind) never makes one long task. EventSource hands over all
// the messages of a network chunk in one task, so each is queued first.
const SLICE_MS = 12;

class IngestQueue {
  #jobs = [];
  #scheduled = false;
  #channel = new MessageChannel();

  constructor() {
    this.#channel.port1.onmessage = () => this.#run();
  }

  push(job) {
    this.#jobs.push(job);
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#channel.port2.postMessage(null);
    }
  }

  #run() {
    const deadline = performance.now() + SLICE_MS;
    let done = 0;
    while (done < this.#jobs.length && performance.now() < deadline) this.#jobs[done++]();
    this.#jobs.splice(0, done);
    if (this.#jobs.length) this.#channel.port2.postMessage(null);
    else this.#scheduled = false;
  }
}

/**
 * Follows the CLI server's event stream into `model`. EventSource reconnects by itself and the
 * server resumes after the last message received, so a reconnect neither loses nor repeats events.
 * @param {(status: 'open'|'retrying'|'ended', detail?: object) => void} onStatus
 * @returns {() => void} stops following
 */
export function followLive(url, model, onStatus) {
  const source = new EventSource(url);
  const queue = new IngestQueue();
  source.addEventListener('open', () => onStatus('open'));
  source.addEventListener('error', () => onStatus('retrying'));
  source.addEventListener('context', ({ data }) => queue.push(() => model.addContext(JSON.parse(data))));
  source.addEventListener('events', ({ data }) => queue.push(() => model.ingest(JSON.parse(data))));
  source.addEventListener('pageError', ({ data }) => queue.push(() => model.addPageError(JSON.parse(data))));
  source.addEventListener('end', ({ data }) => {
    source.close();
    queue.push(() => onStatus('ended', JSON.parse(data)));
  });
  return () => source.close();
}

/**
 * Follows one tab through the extension's service worker, which relays the batches the content
 * script picks up from each of the tab's documents (frames included) and keeps a backlog from
 * before the panel opened. Each document is a context of its own.
 * @param {{runtime: {connect(info: {name: string}): object}, tabId: number}} extension
 *   `runtime` is `chrome.runtime`
 * @param {(status: 'open'|'waiting'|'retrying'|'warning', detail?: object) => void} onStatus
 *   'warning' (with `{text}`) says that batches of a newer protocol version were skipped
 * @returns {() => void} stops following
 */
export function followExtension({ runtime, tabId }, model, onStatus) {
  const contexts = new Map();
  const contextOf = ({ document, url, frameId }) => {
    let context = contexts.get(document);
    if (context === undefined) {
      context = contexts.size + 1;
      contexts.set(document, context);
      model.addContext({ context, target: frameId === 0 ? 'page' : 'iframe', url: url ?? null });
    }
    return context;
  };
  let port = null;
  let stopped = false;
  let heard = false;
  const queue = new IngestQueue();
  // The warning stays up: a panel that skipped events does not show the whole run.
  const reader = new BatchReader((text) => {
    heard = true;
    onStatus('warning', { text });
  });
  const fold = (message) => {
    const events = reader.read(message.batch);
    if (!events) return;
    if (!heard) {
      heard = true;
      onStatus('open');
    }
    model.ingest(events, contextOf(message));
  };
  const connect = () => {
    port = runtime.connect({ name: EXTENSION_PORTS.panel });
    port.onMessage.addListener((message) => {
      if (message?.type === 'batch' && typeof message.batch === 'string') queue.push(() => fold(message));
    });
    // The service worker may be stopped and started again by the browser: join it again.
    port.onDisconnect.addListener(() => {
      if (stopped) return;
      onStatus('retrying');
      setTimeout(() => !stopped && connect(), 500);
    });
    port.postMessage({ type: 'watch', tabId });
  };
  connect();
  onStatus('waiting', { text: 'Waiting for viewsan events from the inspected page…' });
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
