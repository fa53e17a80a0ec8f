// Runs in every frame's isolated world from document_start. It tells the page's viewsan runtime
// that a consumer is here (the data-viewsan-extension attribute, which the runtime checks when it
// starts and watches afterwards), and relays the batches the runtime posts with
// window.postMessage({source: 'viewsan', batch}) to the service worker through a runtime port.
// A page without viewsan never posts, and the port is never opened.
// (A content script cannot import modules: the port name is EXTENSION_PORTS.page of
// panel/extension-ports.js, and the message's `source` MESSAGE_SOURCE of viewsan/protocol.js.)

const PAGE_PORT = 'viewsan-page';

let port = null;

function announce() {
  document.documentElement.dataset.viewsanExtension = '1';
}

if (document.documentElement) {
  announce();
} else {
  // Rare: no root element yet at document_start.
  new MutationObserver((records, observer) => {
    if (!document.documentElement) return;
    observer.disconnect();
    announce();
  }).observe(document, { childList: true });
}

function connect() {
  const opened = chrome.runtime.connect({ name: PAGE_PORT });
  // The service worker went away (stopped, or the extension reloaded): reconnect on the next batch.
  opened.onDisconnect.addListener(() => {
    if (port === opened) port = null;
  });
  return opened;
}

window.addEventListener('message', (event) => {
  if (event.source !== window || event.data?.source !== 'viewsan' || typeof event.data.batch !== 'string') return;
  port ??= connect();
  try {
    port.postMessage({ type: 'batch', batch: event.data.batch });
  } catch {
    // The extension was reloaded under this page: its context is gone, and so is the relay.
    port = null;
  }
});
