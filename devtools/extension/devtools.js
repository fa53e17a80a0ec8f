// The extension's devtools_page: runs once per DevTools window and adds the viewsan panel, which
// is the panel of the standalone page itself (panel/index.html): it sees chrome.devtools and
// follows the inspected tab through the service worker.

chrome.devtools.panels.create('viewsan', '', 'panel/index.html');
