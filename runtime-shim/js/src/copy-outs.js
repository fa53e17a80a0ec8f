// Copies out of linear memory: a view's `slice()`, a copy-construct, `Array.from`. Every copy's
// bytes are counted, and each place that copies is reported once, as a warning: glue code copies
// in loops (wasm-bindgen's getArrayU8FromWasm0(...).slice()), and a report per copy would bury
// everything else and grow without bound. The report says where the copy began (`address`, a
// byte address in the memory) and the allocation there.
//
// Finding a copy's place reads the JS stack, which costs more than most copies: a binding that
// copies each view it makes paid a read of its whole stack for each (80 µs with zxing-wasm's wasm
// frames under it). So each stream of copies is looked at for its places as
// stack-look-sampler.js says, and its place is the frame that copies (the faulting location, by
// which contract 3 deduplicates; the glue's copying function for the glue's copies).

import { StackLookSampler } from './stack-look-sampler.js';

const itself = (record) => record;

export class CopyOuts {
  #bytes = 0;
  #reports;
  #facts;
  // The copies out of the program's guarded views, and out of the views the glue lent.
  #ofViews = new StackLookSampler();
  #ofLent = new StackLookSampler();

  /**
   * @param {import('./session-reports.js').SessionReports} reports
   * @param {import('./report-facts.js').ReportFacts} facts
   */
  constructor(reports, facts) {
    this.#reports = reports;
    this.#facts = facts;
  }

  /** Bytes copied out of guarded and glue views so far. */
  get bytes() {
    return this.#bytes;
  }

  // Counts a copy of `bytes` out of the view `record` describes, and reports it if its place is
  // new. `place`: {entry, frames}, viewsan's function the program called to copy, where known
  // (ReportPlaces). Returns whether this copy was reported.
  #report(record, bytes, how, address, place = undefined) {
    this.#bytes += bytes;
    return this.#reports.perPlace(how, 'copy-out', () => ({
      view: record.describe(), bytes, address, region: this.#facts.regionAt(address), access: { op: 'call', method: how },
    }), place);
  }

  /**
   * A copy of one stream, looked at for its place as `sampler` says; `recordOf(source)` makes what
   * describes the view only when it looks. The place is `frames` above `entry`, viewsan's
   * function the program called to copy (none known: the program's whole stack).
   */
  sampled(sampler, source, bytes, how, address, entry, frames = 1, recordOf = itself) {
    if (!sampler.shouldLook()) {
      this.#bytes += bytes;
      return;
    }
    sampler.looked(this.#report(recordOf(source), bytes, how, address, entry && { entry, frames }));
  }

  /** A copy out of one of the program's guarded views (ViewRecord). */
  ofView(record, bytes, how, address, entry) {
    this.sampled(this.#ofViews, record, bytes, how, address, entry);
  }

  /**
   * A copy out of a view the glue lent (LentViewRecord). Most are the glue's own: a `Vec<u8>`
   * wasm hands JavaScript is copied out with `.slice()` of one, at every call; the program's
   * whole stack cost lz4-wasm's binding about 30 µs a call.
   */
  ofLent(record, bytes, how, address, entry) {
    this.sampled(this.#ofLent, record, bytes, how, address, entry);
  }
}
