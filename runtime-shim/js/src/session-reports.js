// A session's reports: every one, whatever its kind, goes through one path (emit): deduplicated
// by place, made, recorded, streamed, handed to onReport, then thrown (haltOnError) or printed.
// Detection decides what happened; this decides what becomes of it.

import { ViewSanError } from './errors.js';
import { printError, recordProcessReport } from './environment.js';
import { memorySnapshot } from './memory-snapshot.js';
import { ReportPlaces, stackKey } from './report-places.js';
import { currentStack, makeReport, severityOf } from './report.js';
import { printIfSwallowed } from './thrown-reports.js';

export class SessionReports {
  #session;
  #list = [];
  #firstAtPlace = new Map();        // kind and place -> the first report made there
  #perPlace = new ReportPlaces();   // the reports made once per place: where they were made
  #errors = 0;
  #warnings = 0;

  /** @param {{options: object, stream: object, sites: object, memory: WebAssembly.Memory|null, track(): void}} session */
  constructor(session) {
    this.#session = session;
  }

  /** Every report so far, oldest first (contract 2). */
  get list() {
    return this.#list;
  }

  get errors() {
    return this.#errors;
  }

  get warnings() {
    return this.#warnings;
  }

  /**
   * Reports `kind` with the fields `makeFields()` returns once for each place that makes it (the
   * call `how`, from the same JS stack: report-places.js), since glue code calls in loops; except
   * a report that is thrown (an error, with haltOnError), which each call gets. `place`:
   * {entry, frames}, where viewsan's function the program called is known (ReportPlaces).
   * Returns whether it reported.
   */
  perPlace(how, kind, makeFields, place = undefined) {
    const halts = this.#halts(kind);
    const key = halts ? null : this.#perPlace.keyOf(kind, how, place);
    if (key !== null && !this.#perPlace.firstTimeAt(key)) return false;
    this.emit({ ...makeFields(), kind, stack: currentStack() }, key);
    return true;
  }

  /** Reports `kind` about a view once (record and continue), or every time it throws. */
  oncePerView(record, kind, makeFields) {
    if (!this.#session.options.haltOnError) {
      record.reported ??= new Set();
      if (record.reported.has(kind)) return;
      record.reported.add(kind);
    }
    this.emit({ kind, ...makeFields() });
  }

  /** `placeKey`: the place a once-per-place report was made at (perPlace), where known. */
  emit(fields, placeKey = null) {
    const session = this.#session;
    session.track();
    const halt = this.#halts(fields.kind);
    // Record-and-continue: a report made again of the same kind at the same place (a loop over
    // stale views) counts the first one up instead of adding a report, as ASan deduplicates. Each
    // thrown report is its own.
    let place = null;
    if (!halt && !session.options.reportAll) {
      place = `${fields.kind}\n${stackKey()}`;
      const first = this.#firstAtPlace.get(place);
      if (first !== undefined) {
        first.count++;
        this.#count(first);
        // A consumer that came after the first one still gets the report once.
        session.stream.pushReport(first);
        return;
      }
    }
    // The bytes under the report, read now: a moment later the program may change them.
    const memory = memorySnapshot(session.memory, fields) ?? undefined;
    const report = makeReport({ ...fields, module: session.sites.module ?? undefined, memory });
    report.count = 1;
    if (place !== null) this.#firstAtPlace.set(place, report);
    this.#list.push(report);
    // The process's report file merges one place's reports from several threads: by the place
    // this session deduplicated them by (none for reports kept each its own).
    recordProcessReport(report, { thrown: halt, place: place === null ? null : placeKey ?? place });
    this.#count(report);
    session.stream.pushReport(report);
    session.options.onReport?.(report);
    if (halt) {
      const error = new ViewSanError(report);
      printIfSwallowed(error);
      throw error;
    }
    if (report.severity === 'error') printError(report.message);
  }

  #halts(kind) {
    return severityOf(kind) === 'error' && this.#session.options.haltOnError;
  }

  #count(report) {
    if (report.severity === 'warning') this.#warnings++;
    else this.#errors++;
  }
}
