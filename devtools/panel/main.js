// The panel's entry: mounts the Panel on the page and picks its feed. In the Chrome extension
// (a DevTools panel, or its page opened with ?tab=ID) it follows the inspected tab; standalone,
// `?live=URL` follows the CLI's event stream and `?report=URL` opens a report file; without
// either, a report can be dropped on the page or picked with the file input. Whatever it shows can
// be exported as a report file (the CLI's --report shape), which opens again here.

import { ViewsanModel } from './model.js';
import { Panel } from './panel.js';
import { reportFileText } from './report-file-text.js';
import { fetchReport, followExtension, followLive, readReportFile } from './sources.js';

const panel = new Panel(document.body);

const fileInput = document.querySelector('#report-file');
// A button, not the input's label: a label is no tab stop, and the input is hidden.
document.querySelector('#load-report').addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const [file] = fileInput.files;
  if (file) panel.open(() => readReportFile(file), file.name);
});
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', (event) => {
  if (!event.relatedTarget) document.body.classList.remove('dragging');
});
document.addEventListener('drop', (event) => {
  event.preventDefault();
  document.body.classList.remove('dragging');
  const [file] = event.dataTransfer.files;
  if (file) panel.open(() => readReportFile(file), file.name);
});

// A download of the run as it is now: reports, stats, events, page errors and contexts.
document.querySelector('#export-report').addEventListener('click', () => {
  const blob = new Blob([reportFileText(panel.model.toJSON())], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `viewsan-report-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
});

const params = new URLSearchParams(location.search);
const inspectedTab = globalThis.chrome?.devtools?.inspectedWindow?.tabId
  ?? (location.protocol === 'chrome-extension:' && params.has('tab') ? Number(params.get('tab')) : null);

if (inspectedTab != null) {
  document.body.dataset.shell = 'extension';
  panel.follow((model, onStatus) => followExtension({ runtime: globalThis.chrome.runtime, tabId: inspectedTab }, model, onStatus));
} else if (params.has('report')) {
  const url = params.get('report');
  panel.open(() => fetchReport(url), url);
} else if (params.has('live')) {
  panel.follow((model, onStatus) => followLive(params.get('live'), model, onStatus));
} else {
  panel.setModel(new ViewsanModel());
  panel.setStatus('Drop a viewsan report here, or load one', 'idle');
}
