// The viewsan panel: owns the model and the selection, and re-renders every view, at most once a
// frame, when either changes. `?live=URL` follows the CLI's event stream, `?report=URL` opens a
// report file; without either, a report can be dropped on the page or picked with the file input.

import { CountersView } from './counters-view.js';
import { plural } from './format.js';
import { ViewsanModel } from './model.js';
import { PageErrorsView } from './page-errors-view.js';
import { RegionMapView } from './region-map-view.js';
import { ReportDetailView } from './report-detail-view.js';
import { ReportListView } from './report-list-view.js';
import { fetchReport, followLive, readReportFile } from './sources.js';
import { TimelineView } from './timeline-view.js';

class Panel {
  #model = new ViewsanModel();
  #unsubscribe = () => {};
  #stopFollowing = () => {};
  /** Set once the user picks a session; until then the panel shows the latest report's. */
  #chosenSessionKey = null;
  #selectedReport = null;
  #selectedAllocId = null;
  #renderQueued = false;

  constructor(root) {
    this.status = root.querySelector('#status');
    this.sessionSelect = root.querySelector('#session-select');
    this.counters = new CountersView(root.querySelector('#counters'));
    this.reportList = new ReportListView(root.querySelector('#report-list'), (entry) => this.selectReport(entry));
    this.reportDetail = new ReportDetailView(root.querySelector('#report-detail'));
    this.regionMap = new RegionMapView(root.querySelector('#region-map'), (allocId) => this.selectRegion(allocId));
    this.timeline = new TimelineView(root.querySelector('#timeline'),
      (allocId) => this.selectRegion(allocId), (entry) => this.selectReport(entry));
    this.pageErrors = new PageErrorsView(root.querySelector('#page-errors'));

    this.sessionSelect.addEventListener('change', () => {
      this.#chosenSessionKey = this.sessionSelect.value;
      this.#selectedAllocId = null;
      this.#queueRender();
    });
    // The SVG views size themselves to their pane.
    new ResizeObserver(() => this.#queueRender()).observe(root.querySelector('#region-map'));
  }

  setModel(model) {
    this.#unsubscribe();
    this.#model = model;
    this.#chosenSessionKey = null;
    this.#selectedReport = null;
    this.#selectedAllocId = null;
    this.#unsubscribe = model.subscribe(() => this.#queueRender());
    this.#queueRender();
  }

  setStatus(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }

  async open(load, label) {
    this.#stopFollowing();
    this.setStatus(`Loading ${label}…`, 'loading');
    try {
      this.setModel(await load());
      this.setStatus(`Report: ${label}`, 'ready');
    } catch (error) {
      this.setStatus(`Cannot open ${label}: ${error.message}`, 'error');
    }
  }

  follow(url) {
    const model = new ViewsanModel();
    this.setModel(model);
    this.#stopFollowing = followLive(url, model, {
      onStatus: (status, detail) => {
        if (status === 'open') this.setStatus('Live', 'live');
        else if (status === 'retrying') this.setStatus('Live: connection lost, retrying…', 'error');
        else this.setStatus(`Run over (${detail.endedBy})`, 'ended');
      },
    });
  }

  selectReport(entry) {
    this.#selectedReport = entry;
    this.#selectedAllocId = entry.report.region?.allocId ?? null;
    if (entry.sessionKey) this.#chosenSessionKey = entry.sessionKey;
    this.#queueRender();
  }

  selectRegion(allocId) {
    this.#selectedAllocId = this.#selectedAllocId === allocId ? null : allocId;
    this.#queueRender();
  }

  #queueRender() {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    requestAnimationFrame(() => {
      this.#renderQueued = false;
      this.#render();
    });
  }

  #render() {
    const model = this.#model;
    const { stats } = model;
    const session = model.sessions.get(this.#shownSessionKey());
    const highlight = {
      selectedAllocId: this.#selectedAllocId,
      errorAllocIds: new Set(session?.reports
        .filter((entry) => entry.report.severity === 'error')
        .map((entry) => entry.report.region?.allocId)),
    };
    document.title = stats.errors > 0 ? `viewsan: ${plural(stats.errors, 'error')}` : 'viewsan';
    this.counters.render(stats, model.pageErrors.length);
    this.reportList.render(model.reports, this.#selectedReport);
    this.reportDetail.render(this.#selectedReport);
    this.#renderSessionSelect(session);
    this.regionMap.render(session, highlight);
    this.timeline.render(session, highlight);
    this.pageErrors.render(model.pageErrors);
  }

  #shownSessionKey() {
    const { sessions, reports } = this.#model;
    if (this.#chosenSessionKey && sessions.has(this.#chosenSessionKey)) return this.#chosenSessionKey;
    return reports.findLast((entry) => sessions.has(entry.sessionKey))?.sessionKey ?? sessions.keys().next().value;
  }

  #renderSessionSelect(current) {
    const options = [...this.#model.sessions.values()].map((session) => {
      const option = new Option(
        `Context ${session.context}, session ${session.session}: ${plural(session.regions.size, 'allocation')}`,
        session.key);
      option.selected = session === current;
      return option;
    });
    this.sessionSelect.replaceChildren(...options);
    this.sessionSelect.hidden = options.length === 0;
    this.sessionSelect.disabled = options.length < 2;
  }
}

const panel = new Panel(document.body);

const fileInput = document.querySelector('#report-file');
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

const params = new URLSearchParams(location.search);
if (params.has('report')) {
  const url = params.get('report');
  panel.open(() => fetchReport(url), url);
} else if (params.has('live')) {
  panel.follow(params.get('live'));
} else {
  panel.setModel(new ViewsanModel());
  panel.setStatus('Drop a viewsan report here, or load one', 'idle');
}
