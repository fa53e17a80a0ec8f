// Guarded DataViews and the cloning sinks in a page, in both modes: a DataView's get/set after
// free and after growth are reported (Float16 too, where the engine has it); graphs holding
// guarded views (Map keys and values, Set, class instance, null-prototype object, arrays, deep
// nesting, a cycle) go through window.postMessage and a MessageChannel as the same graphs of
// plain views do; a freed view anywhere in them is reported at postMessage.
// Results land in window.results: {mode: {...}}, each received message encoded as JSON.

// The engine's own constructors, read before viewsan patches the globals.
const ENGINE = { Uint8Array, Float32Array, Float64Array, DataView };

const { ViewSanError, instantiate } = await import('../../../runtime-shim/js/index.js');
const { kindOf } = await import('./kind-of.js');

const fixtures = new URLSearchParams(location.search).get('fixtures');
const wasm = await (await fetch(`${fixtures}/freelist-heap.vs.wasm`)).arrayBuffer();


class Point {
  constructor(x, view) {
    this.x = x;
    this.view = view;
  }
}

function buildGraph(view, ptr, freed) {
  const bytes = view(Uint8Array, ptr, 16);
  const floats = view(Float32Array, ptr + 16, 4);
  const data = view(DataView, ptr + 32, 8);
  const shared = { tag: 'shared', bytes };
  const nullProto = Object.create(null);
  nullProto.floats = floats;
  let deep = { leaf: data };
  for (let level = 0; level < 8; level++) deep = { level, next: deep };
  const cycle = { bytes };
  cycle.self = cycle;
  const graph = {
    map: new Map([[bytes, floats], ['key', { data }], [shared, shared]]),
    set: new Set([bytes, data, 'text']),
    point: new Point(2, floats),
    nullProto,
    arrays: [[bytes, [floats, [data]]], [1, , 3]],
    deep,
    cycle,
    shared1: shared,
    shared2: shared,
  };
  if (freed) graph.map.set('freed', new Set([{ deeper: [freed] }]));
  return graph;
}

// A JSON picture of a received message: every object once (later references by id), views by
// their type and bytes and the id of their buffer.
function encode(value, ids = new Map()) {
  if (typeof value === 'bigint') return { bigint: String(value) };
  if (value === undefined) return { undefined: true };
  if (typeof value !== 'object' || value === null) return value;
  if (ids.has(value)) return { ref: ids.get(value) };
  const id = ids.size;
  ids.set(value, id);
  if (value instanceof ArrayBuffer) return { id, arrayBuffer: value.byteLength };
  if (ArrayBuffer.isView(value)) {
    const bytes = [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
    return { id, view: Object.prototype.toString.call(value), byteOffset: value.byteOffset, bytes, buffer: encode(value.buffer, ids) };
  }
  if (value instanceof Map) return { id, map: [...value].map(([k, v]) => [encode(k, ids), encode(v, ids)]) };
  if (value instanceof Set) return { id, set: [...value].map((v) => encode(v, ids)) };
  const proto = Object.getPrototypeOf(value);
  const entries = Object.keys(value).map((k) => [k, encode(value[k], ids)]);
  if (Array.isArray(value)) return { id, array: value.length, entries };
  return { id, object: proto === Object.prototype ? 'Object' : proto === null ? 'null' : 'other', entries };
}

const nextWindowMessage = () => new Promise((resolve) => {
  window.addEventListener('message', (event) => resolve(event.data), { once: true });
});

function channelMessage(send) {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise((resolve) => { port2.onmessage = (event) => resolve(event.data); });
  send(port1);
  return received.finally(() => { port1.close(); port2.close(); });
}

async function runMode(mode) {
  const { instance, session } = await instantiate(wasm, {}, { mode });
  const { memory, malloc, free, make_buffer: makeBuffer } = instance.exports;
  const out = {};

  // DataView: live, after free, after growth.
  const p = makeBuffer(32);
  const dv = new DataView(memory.buffer, p, 32);
  dv.setFloat32(4, 2.5, true);
  out.dataViewLive = [dv.getUint8(0), dv.getFloat32(4, true), dv.byteOffset === p, ArrayBuffer.isView(dv), dv instanceof DataView];
  out.float16 = typeof DataView.prototype.getFloat16 === 'function';
  if (out.float16) {
    dv.setFloat16(10, 1.5, true);
    out.float16Live = dv.getFloat16(10, true);
  }
  free(p);
  let error = null;
  try {
    dv.getFloat32(4, true);
  } catch (e) {
    error = e;
  }
  out.dataViewFreed = error instanceof ViewSanError ? { kind: error.kind, access: error.report.access, ctor: error.report.view.ctor } : String(error);
  out.float16Freed = out.float16 ? [kindOf(() => dv.getFloat16(10, true)), kindOf(() => dv.setFloat16(10, 0))] : null;
  out.float16Array = typeof Float16Array === 'function' ? (() => {
    const q = malloc(8);
    const halves = new Float16Array(memory.buffer, q, 4);
    halves.fill(0.5);
    const live = halves.at(1);
    free(q);
    return { live, freed: kindOf(() => halves.at(1)) };
  })() : null;
  const q = malloc(16);
  const grown = new DataView(memory.buffer, q, 16);
  malloc(200000);  // grows memory: the buffer under `grown` is detached
  out.dataViewGrown = [kindOf(() => grown.getUint16(2)), kindOf(() => grown.buffer === memory.buffer)];

  // Cloning through postMessage.
  const r = makeBuffer(64);
  const guarded = () => buildGraph((C, ptr, n) => new C(memory.buffer, ptr, n), r);
  const reference = () => buildGraph((C, ptr, n) => new ENGINE[C.name](memory.buffer, ptr, n), r);
  const windowMessage = async (graph) => {
    const received = nextWindowMessage();
    window.postMessage(graph, '*');
    return received;
  };
  const viaPort = (graph) => channelMessage((port) => port.postMessage(graph));
  for (const [name, send] of Object.entries({ window: windowMessage, MessageChannel: viaPort })) {
    let guardedMessage;
    try {
      guardedMessage = await send(guarded());
    } catch (e) {
      out[`${name} clone`] = { error: `${e.name}: ${e.message.split('\n')[0]}` };
      continue;
    }
    const referenceMessage = await send(reference());
    const shape = guardedMessage.shared1 === guardedMessage.shared2 && guardedMessage.cycle.self === guardedMessage.cycle
      && [...guardedMessage.map.keys()][0] === [...guardedMessage.set][0];
    out[`${name} clone`] = { guarded: JSON.stringify(encode(guardedMessage)), reference: JSON.stringify(encode(referenceMessage)), shape };
  }
  const s = makeBuffer(8);
  const freed = new Uint8Array(memory.buffer, s, 8);
  const freedData = new DataView(memory.buffer, s, 8);
  free(s);
  out.freedInGraph = {
    window: kindOf(() => window.postMessage(buildGraph((C, ptr, n) => new C(memory.buffer, ptr, n), r, freed), '*')),
    MessageChannel: kindOf(() => new MessageChannel().port1.postMessage(buildGraph((C, ptr, n) => new C(memory.buffer, ptr, n), r, freedData))),
    structuredClone: kindOf(() => structuredClone([new Map([[freedData, 1]])])),
  };
  out.errors = session.reports.filter((report) => report.severity === 'error').length;
  return out;
}

try {
  window.results = { strict: await runMode('strict'), compat: await runMode('compat') };
} catch (error) {
  window.results = { error: `${error.name}: ${error.message}\n${error.stack}` };
}
document.title = 'done';
