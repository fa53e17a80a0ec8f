// The extension's service worker: receives batches from the content scripts of every tab and
// forwards each to the viewsan panels inspecting that tab. A tab's batches are also kept (up to
// BACKLOG_BATCHES), so a panel opened after the page ran still shows the run from its start.
// Each document (page or frame load) is a context of its own for the panel.

import { EXTENSION_PORTS } from './panel/extension-ports.js';

const BACKLOG_BATCHES = 5000;

/** @type {Map<number, {panels: Set<chrome.runtime.Port>, backlog: object[]}>} by tab id */
const tabs = new Map();
let nextDocument = 1;

function tab(tabId) {
  let entry = tabs.get(tabId);
  if (!entry) {
    entry = { panels: new Set(), backlog: [] };
    tabs.set(tabId, entry);
  }
  return entry;
}

function deliver(tabId, message) {
  const entry = tab(tabId);
  entry.backlog.push(message);
  if (entry.backlog.length > BACKLOG_BATCHES) entry.backlog.splice(0, entry.backlog.length - BACKLOG_BATCHES);
  for (const panel of entry.panels) panel.postMessage(message);
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === EXTENSION_PORTS.page) {
    const tabId = port.sender?.tab?.id;
    if (tabId === undefined) return;
    const source = { document: nextDocument++, frameId: port.sender.frameId ?? 0, url: port.sender.url ?? null };
    port.onMessage.addListener((message) => {
      if (message?.type === 'batch' && typeof message.batch === 'string') deliver(tabId, { type: 'batch', ...source, batch: message.batch });
    });
  } else if (port.name === EXTENSION_PORTS.panel) {
    let watched = null;
    port.onMessage.addListener((message) => {
      if (message?.type !== 'watch' || !Number.isInteger(message.tabId)) return;
      watched = tab(message.tabId);
      for (const backlogged of watched.backlog) port.postMessage(backlogged);
      watched.panels.add(port);
    });
    port.onDisconnect.addListener(() => watched?.panels.delete(port));
  }
});

chrome.tabs.onRemoved.addListener((tabId) => tabs.delete(tabId));
