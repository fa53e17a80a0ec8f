// Where the panel's data comes from. Like DevTools shells, the panel differs only in its feed:
// a live stream from the CLI's server, or a report file fetched by URL or dropped on the page.

import { ViewsanModel } from './model.js';

export async function fetchReport(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return ViewsanModel.fromJSON(await response.json());
}

export async function readReportFile(file) {
  return ViewsanModel.fromJSON(JSON.parse(await file.text()));
}

/**
 * Follows the CLI server's event stream into `model`. EventSource reconnects by itself and the
 * server resumes after the last message received, so a reconnect neither loses nor repeats events.
 * @param {{onStatus: (status: 'open'|'retrying'|'ended', detail?: object) => void}} callbacks
 * @returns {() => void} stops following
 */
export function followLive(url, model, { onStatus }) {
  const source = new EventSource(url);
  source.addEventListener('open', () => onStatus('open'));
  source.addEventListener('error', () => onStatus('retrying'));
  source.addEventListener('events', (message) => model.ingest(JSON.parse(message.data)));
  source.addEventListener('pageError', (message) => model.addPageError(JSON.parse(message.data)));
  source.addEventListener('end', (message) => {
    source.close();
    onStatus('ended', JSON.parse(message.data));
  });
  return () => source.close();
}
