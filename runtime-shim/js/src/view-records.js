// The views viewsan handed out, each mapped to its record (guarded-view.js), for the sinks, the
// unwrapping of arguments and the compat checks. A strict view, a Proxy viewsan made, answers a key
// of viewsan's own with its record, from its handler's get trap (the record is the handler):
// nothing is added to the Proxy when it is made. The sub-arrays a glue lends are made and dropped
// by the thousand: a WeakMap entry for each cost more than the rest of the view, in the set and in
// the collector's passes over ephemerons, and a private field added to each Proxy about 100 ns,
// the most of what a lent view cost. A lent view in compat mode, a real typed array, carries its
// record in a private field. The app's own compat views are the engine's typed arrays, whose shape
// is left alone: a WeakMap.

/** The key a strict view's handler answers with the record itself. */
export const RECORD_KEY = Symbol('viewsan.record');

// What a strict view answers RECORD_KEY with is checked to be a record: a user's Proxy may answer
// any key. Marked on the records' prototype, not on each record.
const IS_RECORD = Symbol('viewsan.isRecord');

/** The base of every record. */
export class RecordBase {
  static is(value) {
    return typeof value === 'object' && value !== null && value[IS_RECORD] === true;
  }
}
RecordBase.prototype[IS_RECORD] = true;

// A base class whose constructor returns the object it is given, so that a subclass's private
// field is added to that object (a class's way to brand an object it did not make).
class Branded {
  constructor(object) {
    return object;
  }
}

class CarriedRecord extends Branded {
  #record;

  constructor(view, record) {
    super(view);
    this.#record = record;
  }

  static of(value) {
    return #record in value ? value.#record : undefined;
  }
}

const realViews = new WeakMap();

// The strict view made last, and its record: a glue hands the view it just lent to a sink (a
// decoder's decode, encodeInto) at once, and asking the view's trap for its record costs about as
// much as making the view.
let latestStrict = null;
let latestStrictRecord = null;

export const viewRecords = {
  /** The record of a view viewsan handed out, else undefined (for any value). */
  get(value) {
    if (value === latestStrict && value !== null) return latestStrictRecord;
    if (typeof value !== 'object' || value === null) return undefined;
    let answered;
    try {
      answered = value[RECORD_KEY];  // a strict view's trap answers; anything else, undefined
    } catch {
      return undefined;  // a revoked Proxy, or one whose get trap throws: not viewsan's
    }
    if (answered !== undefined && RecordBase.is(answered)) return answered;
    return this.ofTarget(value);
  },

  has(value) {
    return this.get(value) !== undefined;
  },

  /**
   * The record of `target`, a real typed array or DataView (the receiver of a typed-array or
   * DataView method): a compat view's, else undefined. No strict view to ask.
   */
  ofTarget(target) {
    return CarriedRecord.of(target) ?? realViews.get(target);
  },

  /** A strict view was made: the Proxy `view` over `record`. */
  madeStrict(view, record) {
    latestStrict = view;
    latestStrictRecord = record;
  },

  /** A lent view in compat mode carries its record. */
  carry(view, record) {
    // eslint-disable-next-line no-new
    new CarriedRecord(view, record);
  },

  /** The app's compat view: the real typed array, remembered aside. */
  set(view, record) {
    realViews.set(view, record);
  },
};
