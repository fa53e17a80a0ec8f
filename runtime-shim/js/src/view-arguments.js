// The arguments of a view constructor as the engine converts them, worked out without running
// user code a second time: what a report about a construction the engine refused can show.

// Whether converting `value` to a number runs no user code and cannot throw.
export function isPlainPrimitive(value) {
  const type = typeof value;
  return value == null || type === 'number' || type === 'string' || type === 'boolean';
}

// The spec's ToIndex of a plain primitive: the integer, or null where ToIndex throws a RangeError
// (negative, infinite, above 2 ** 53 - 1). undefined, NaN, -0 and -0.5 are 0.
export function toIndex(value) {
  const integer = Math.trunc(+value) || 0;
  return integer >= 0 && integer <= Number.MAX_SAFE_INTEGER ? integer : null;
}

// A length argument as a report shows it: null for none (the rest of the buffer) and for one
// viewsan cannot convert without running user code (or that ToIndex rejects).
export function reportedLength(value) {
  return value !== undefined && isPlainPrimitive(value) ? toIndex(value) : null;
}

// The error the engine throws for `new Ctor(...args)` (arguments that run no user code), or null.
export function engineError(Ctor, args) {
  try {
    Reflect.construct(Ctor, args, Ctor);
    return null;
  } catch (error) {
    return error;
  }
}

/**
 * The byte address in the buffer where `view.slice(begin)` starts copying (begin relative, as
 * slice takes it). `begin` an object is not converted a second time: taken as 0.
 */
export function sliceStart(view, begin) {
  const { length } = view;
  let index = typeof begin === 'number' ? Math.trunc(begin) || 0 : 0;
  index = index < 0 ? Math.max(length + index, 0) : Math.min(index, length);
  return view.byteOffset + index * (view.BYTES_PER_ELEMENT ?? 1);
}
