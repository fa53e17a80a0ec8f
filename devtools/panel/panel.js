// The viewsan panel: owns the model, the filters and the selection, and renders every view at
// most once a frame. Lists and counters follow every frame; the charts, which walk every region,
// redraw at most every CHART_INTERVAL_MS while events stream in, and at once when the user
// selects or filters. The same Panel runs standalone (main.js) and in the Chrome extension.

import { CountersView } from './counters-view.js';
import { FilterBarView } from './filter-bar-view.js';
import { emptyFilter, FilteredList, matchesReport, matchesView } from './filters.js';
import { describeSession, parseAddress, plural } from './format.js';
import { ViewsanModel } from './model.js';
import { PageErrorsView } from './page-errors-view.js';
import { RegionMapView } from './region-map-view.js';
import { ReportDetailView } from './report-detail-view.js';
import { ReportListView } from './report-list-view.js';
import { TimelineView } from './timeline-view.js';
import { ViewsListView } from './views-list-view.js';

/** While events stream in, the charts redraw at most this often, and less when drawing them is slow. */
const CHART_INTERVAL_MS = 400;
const CHART_DUTY = 5;

export class Panel {
  #model = new ViewsanModel();
  #unsubscribe = () => {};
  #stop = () => {};
  #filter = emptyFilter();
  #reports = new FilteredList(matchesReport);
  #views = new FilteredList(matchesView);
  /** The session a selection pointed at last: the charts show it unless the filter names one. */
  #focusSessionKey = null;
  #selectedReport = null;
  #selectedAllocId = null;
  #selectedView = null;
  #renderQueued = false;
  #chartsStale = true;
  #chartsUrgent = true;
  #chartsDrawnAt = -Infinity;
  #chartsCost = 0;
  #chartsPending = [];
  #chartTimer = null;
  #viewsEpoch = '';
  #viewsEpochAt = -Infinity;
  #viewsUrgent = true;

  constructor(root) {
    this.root = root;
    this.status = root.querySelector('#status');
    this.filterBar = new FilterBarView(root.querySelector('#filters'), (change) => this.setFilter(change));
    this.counters = new CountersView(root.querySelector('#counters'));
    this.reportList = new ReportListView(root.querySelector('#report-list'), (entry) => this.selectReport(entry));
    this.reportDetail = new ReportDetailView(root.querySelector('#report-detail'),
      (location) => this.setStatus(location ? `Copied ${location}` : 'Cannot copy to the clipboard here', location ? this.status.dataset.state : 'error'));
    this.regionMap = new RegionMapView(root.querySelector('#region-map'), (allocId) => this.selectRegion(allocId));
    this.timeline = new TimelineView(root.querySelector('#timeline'),
      (allocId) => this.selectRegion(allocId), (entry) => this.selectReport(entry),
      (from, to) => this.setFilter({ time: { from, to } }));
    this.viewsList = new ViewsListView(root.querySelector('#views-list'), (view) => this.selectView(view));
    this.pageErrors = new PageErrorsView(root.querySelector('#page-errors'));
    this.mapAddress = root.querySelector('#map-address');
    root.querySelector('#map-goto').addEventListener('submit', (event) => {
      event.preventDefault();
      this.goToAddress(this.mapAddress.value);
    });
    this.mapAddress.addEventListener('input', () => this.mapAddress.removeAttribute('aria-invalid'));
    this.liveViewsOnly = root.querySelector('#live-views-only');
    this.liveViewsOnly.checked = this.#filter.liveViewsOnly;
    this.liveViewsOnly.addEventListener('change', () => this.setFilter({ liveViewsOnly: this.liveViewsOnly.checked }));
    // The charts size themselves to their pane's width (their height is theirs to change).
    let paneWidth = 0;
    new ResizeObserver(([entry]) => {
      if (entry.contentRect.width === paneWidth) return;
      paneWidth = entry.contentRect.width;
      this.#invalidateCharts(true);
    }).observe(root.querySelector('#region-map'));
  }

  get model() {
    return this.#model;
  }

  setModel(model) {
    this.#unsubscribe();
    this.#model = model;
    this.#focusSessionKey = null;
    this.#selectedReport = null;
    this.#selectedAllocId = null;
    this.#selectedView = null;
    this.#unsubscribe = model.subscribe(() => this.#invalidateCharts(false));
    this.#invalidateCharts(true);
  }

  setStatus(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }

  /** Shows what `load()` resolves to (a model), replacing any live feed. */
  async open(load, label) {
    this.#stop();
    this.#stop = () => {};
    this.setStatus(`Loading ${label}…`, 'loading');
    try {
      this.setModel(await load());
      this.setStatus(`Report: ${label}`, 'ready');
    } catch (error) {
      this.setStatus(`Cannot open ${label}: ${error.message}`, 'error');
    }
  }

  /**
   * Follows a live feed: `start(model, onStatus)` feeds a fresh model and returns a stop function.
   * onStatus takes 'open', 'retrying', 'waiting', 'warning' (with `{text}`) or 'ended' (with `{endedBy}`).
   */
  follow(start) {
    this.#stop();
    const model = new ViewsanModel();
    this.setModel(model);
    this.#stop = start(model, (status, detail) => {
      if (status === 'open') this.setStatus('Live', 'live');
      else if (status === 'waiting') this.setStatus(detail?.text ?? 'Waiting for the page…', 'idle');
      else if (status === 'retrying') this.setStatus('Live: connection lost, retrying…', 'error');
      else if (status === 'warning') this.setStatus(`Live: ${detail.text}`, 'error');
      else this.setStatus(`Run over (${detail.endedBy})`, 'ended');
    });
  }

  setFilter(change) {
    this.#filter = { ...this.#filter, ...change };
    this.#invalidateCharts(true);
  }

  selectReport(entry) {
    this.#selectedReport = entry;
    this.#selectedAllocId = entry.report.region?.allocId ?? null;
    this.#selectedView = null;
    if (entry.sessionKey) this.#focusSessionKey = entry.sessionKey;
    this.#invalidateCharts(true);
  }

  /**
   * Shows an address on the memory map ('0x' hex, or decimal, as DevTools' Memory Inspector takes
   * it) and selects the allocation that holds it.
   */
  goToAddress(text) {
    const address = parseAddress(text);
    const session = this.#model.sessions.get(this.#chartSessionKey());
    if (address === null || !session) {
      this.mapAddress.setAttribute('aria-invalid', 'true');
      this.setStatus(address === null ? `Not an address: ${text.trim() || '(empty)'}` : 'No memory to show yet', 'error');
      return;
    }
    this.mapAddress.removeAttribute('aria-invalid');
    const region = this.regionMap.goTo(session, address);
    this.#selectedAllocId = region ? region.allocId : null;
    this.#selectedView = null;
    this.#invalidateCharts(true);
  }

  selectRegion(allocId) {
    this.#selectedAllocId = this.#selectedAllocId === allocId ? null : allocId;
    this.#selectedView = null;
    this.#invalidateCharts(true);
  }

  selectView(view) {
    this.#selectedView = view;
    this.#selectedAllocId = view.allocId;
    this.#focusSessionKey = view.owner.key;
    this.#invalidateCharts(true);
  }

  // urgent: the user did something, so the charts follow at once (the map in this frame, the
  // timeline in the next); otherwise new events, which the charts pick up within the interval.
  #invalidateCharts(urgent) {
    this.#chartsStale = true;
    if (urgent) {
      this.#chartsUrgent = true;
      this.#viewsUrgent = true;
      // A half-drawn cycle would leave one chart without the new selection: start over.
      this.#chartsPending = [];
    }
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
    const filter = this.#filter;
    document.title = stats.errors > 0 ? `viewsan: ${plural(stats.errors, 'error')}` : 'viewsan';
    this.filterBar.render(model, filter);
    this.counters.render(stats, model.pageErrors.length, model.lostEvents);

    const reports = this.#reports.update(model.reports, filter);
    this.reportList.render(reports, this.#selectedReport, model.contexts, model.reports.length, model.reportCounts);
    this.reportDetail.render(this.#selectedReport, model.contexts);

    // Frees and grows change which views are live: while events stream in, the list takes them
    // in at the charts' pace, since each time it filters every view again.
    const now = performance.now();
    if (this.#viewsUrgent || now - this.#viewsEpochAt >= CHART_INTERVAL_MS) {
      this.#viewsEpoch = `${stats.frees}/${stats.reallocs}/${stats.grows}`;
      this.#viewsEpochAt = now;
      this.#viewsUrgent = false;
    } else if (this.#viewsEpoch !== `${stats.frees}/${stats.reallocs}/${stats.grows}`) {
      this.#chartTimer ??= setTimeout(() => {
        this.#chartTimer = null;
        this.#queueRender();
      }, CHART_INTERVAL_MS);
    }
    const epoch = filter.liveViewsOnly ? this.#viewsEpoch : '';
    const views = this.#views.update(model.views, filter, epoch);
    this.viewsList.render(views, {
      selectedView: this.#selectedView, contexts: model.contexts, total: model.views.length,
      liveOnly: filter.liveViewsOnly, epoch,
    });
    this.root.querySelector('#views-count').textContent = filter.liveViewsOnly
      ? `${views.length} live of ${model.views.length}` : `${views.length} of ${model.views.length}`;
    this.pageErrors.render(model.pageErrors);

    if (this.#chartsStale || this.#chartsPending.length) this.#renderCharts();
  }

  #renderCharts() {
    // Level of detail in time: drawing the charts may take at most 1/CHART_DUTY of the time, and
    // their work is spread over four frames (walk the session, then draw, for each chart), so
    // that no frame does much of it.
    if (this.#chartsPending.length === 0) {
      const wait = this.#chartsDrawnAt + Math.max(CHART_INTERVAL_MS, CHART_DUTY * this.#chartsCost) - performance.now();
      if (!this.#chartsUrgent && wait > 0) {
        this.#chartTimer ??= setTimeout(() => {
          this.#chartTimer = null;
          this.#queueRender();
        }, wait);
        return;
      }
      this.#chartsPending = ['map-prepare', 'map', 'timeline-prepare', 'timeline'];
      this.#chartsStale = false;
      this.#chartsDrawnAt = performance.now();
      this.#chartsCost = 0;
    }
    this.#chartsUrgent = false;
    const session = this.#model.sessions.get(this.#chartSessionKey());
    // The charts mark the reports the filters let through, as the list shows them.
    const shown = session ? this.#reports.items.filter((entry) => entry.sessionKey === session.key) : [];
    const highlight = {
      selectedAllocId: this.#selectedAllocId,
      selectedView: this.#selectedView,
      reports: shown,
      reportsKey: `${shown.length}/${shown.at(-1)?.seq ?? ''}/${JSON.stringify(this.#filter)}`,
      timeRange: this.#filter.time,
      errorAllocIds: new Set(shown
        .filter((entry) => entry.report.severity === 'error' && entry.report.region?.allocId != null)
        .map((entry) => entry.report.region.allocId)),
    };
    const label = session ? describeSession(session, this.#model.contexts) : '';
    for (const element of this.root.querySelectorAll('.chart-session')) element.textContent = label;
    const started = performance.now();
    const step = this.#chartsPending.shift();
    if (step === 'map-prepare') this.regionMap.prepare(session);
    else if (step === 'map') this.regionMap.render(session, highlight);
    else if (step === 'timeline-prepare') this.timeline.prepare(session);
    else this.timeline.render(session, highlight);
    this.#chartsCost += performance.now() - started;
    if (this.#chartsPending.length) this.#queueRender();
  }

  // The filter's session, else the one the last selection pointed at, else the newest report's,
  // else the first.
  #chartSessionKey() {
    const { sessions, reports } = this.#model;
    for (const key of [this.#filter.sessionKey, this.#focusSessionKey]) {
      if (key && sessions.has(key)) return key;
    }
    return reports.findLast((entry) => sessions.has(entry.sessionKey))?.sessionKey ?? sessions.keys().next().value;
  }
}

