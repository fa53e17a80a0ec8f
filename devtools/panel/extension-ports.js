// Port names between the extension's content script, service worker and panel: the one part of
// the panel's wiring that is viewsan-devtools' own (contract 4 itself is viewsan/protocol.js).
// The content script cannot import modules and repeats the page port's name.

export const EXTENSION_PORTS = Object.freeze({ page: 'viewsan-page', panel: 'viewsan-panel' });
