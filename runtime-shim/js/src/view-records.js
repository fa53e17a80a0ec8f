// The views viewsan handed out, each mapped to its record (guarded-view.js), for the sinks, the
// unwrapping of arguments and the compat checks. A strict view, a Proxy viewsan made, carries its
// record itself in a private field put on it when it is made: the sub-arrays a glue lends are made
// and dropped by the thousand, and a WeakMap entry for each cost more than the rest of the view,
// in the set and in the collector's passes over ephemerons. So does a lent view in compat mode.
// The app's own compat views are the engine's typed arrays, whose shape is left alone: a WeakMap.

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

export const viewRecords = {
  /** The record of a view viewsan handed out, else undefined (for any value). */
  get(value) {
    if (typeof value !== 'object' || value === null) return undefined;
    return CarriedRecord.of(value) ?? realViews.get(value);
  },

  has(value) {
    return this.get(value) !== undefined;
  },

  /** A strict view (the Proxy) or a lent one carries its record. */
  carry(view, record) {
    // eslint-disable-next-line no-new
    new CarriedRecord(view, record);
  },

  /** The app's compat view: the real typed array, remembered aside. */
  set(view, record) {
    realViews.set(view, record);
  },
};
