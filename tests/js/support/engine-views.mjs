// The engine's own view constructors, read when this module is first imported: before viewsan
// patches the globals, as long as the test imports it before creating a session.
export const VIEW_NAMES = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'DataView',
].filter((name) => typeof globalThis[name] === 'function');

/** name -> the engine's constructor. */
export const ENGINE = Object.fromEntries(VIEW_NAMES.map((name) => [name, globalThis[name]]));
