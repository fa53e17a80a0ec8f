// structuredClone and postMessage of object graphs that hold guarded views, in both modes: the
// clone is the one the engine makes of the same graph over plain views (Maps with views as keys
// and values, Sets, class instances, null-prototype objects, arrays with holes, nesting deeper
// than any fixed limit, cycles, shared references), and a freed view anywhere in the graph is
// reported at the clone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

// The engine's own constructors, read before viewsan patches the globals: the reference graphs
// are built from plain views over the same bytes.
const ENGINE = { Uint8Array, Float32Array, Float64Array, DataView };

const { ViewSanError } = await import('viewsan');
const { catchViewSan } = await import('./support/viewsan-error.mjs');
const { loadFreelistHeap } = await import('./support/freelist-heap.mjs');

// exitcode 0: the record-and-continue test leaves recorded errors on purpose.
const load = (options) => loadFreelistHeap({ exitcode: 0, ...options });

class Point {
  constructor(x, view) {
    this.x = x;
    this.view = view;
  }

  get norm() {
    return Math.abs(this.x);
  }
}
class Registry extends Map {}

/**
 * A graph with views in every place the clone algorithm looks: `view(Ctor, ptr, n)` makes them
 * (guarded, or the engine's for the reference). `freed` (a view) is put at `place` if given.
 */
function buildGraph(view, ptr, { freed, place } = {}) {
  const bytes = view(Uint8Array, ptr, 16);
  const floats = view(Float32Array, ptr + 16, 4);
  const data = view(DataView, ptr + 32, 8);
  const doubles = view(Float64Array, ptr + 40, 3);
  const shared = { tag: 'shared', bytes };
  const nullProto = Object.create(null);
  nullProto.floats = floats;
  nullProto.n = 7;
  Object.defineProperty(nullProto, '__proto__', { value: data, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(nullProto, 'hidden', { value: bytes, enumerable: false });
  nullProto[Symbol('skipped')] = bytes;
  let deep = { leaf: data, doubles };
  for (let level = 0; level < 12; level++) deep = { level, next: deep, list: [level, [deep]] };
  const holes = [bytes, , floats];
  holes.named = 'kept';
  const cycle = { name: 'cycle', bytes, ring: [] };
  cycle.self = cycle;
  cycle.ring.push(cycle, { back: cycle, data });
  const graph = {
    map: new Map([[bytes, floats], ['key', { data }], [shared, shared], [1, new Set([doubles])]]),
    set: new Set([bytes, data, shared, 'text']),
    registry: new Registry([[floats, [bytes]]]),
    point: new Point(-3, floats),
    nullProto,
    arrays: [[bytes, [floats, [data, [doubles]]]], holes, new Array(3), []],
    deep,
    cycle,
    shared1: shared,
    shared2: shared,
    plain: { n: 1, s: 'x', u: undefined, nil: null, big: 10n, date: new Date(0), re: /x/g, nested: { n: 2 } },
    buffer: new ArrayBuffer(4),
  };
  if (freed) {
    const places = {
      'Map key': () => graph.map.set(freed, 'value'),
      'Map value': () => graph.map.set('freed', freed),
      Set: () => graph.set.add(freed),
      'class instance': () => { graph.point = new Point(1, freed); },
      'null-prototype object': () => { graph.nullProto.freed = freed; },
      array: () => graph.arrays.push([1, [2, freed]]),
      'nested 12 deep': () => { let d = graph.deep; while (d.next) d = d.next; d.freed = freed; },
      'in a cycle': () => { graph.cycle.ring.push({ freed, back: graph.cycle }); },
      'Map subclass': () => graph.registry.set('freed', [freed]),
    };
    places[place]();
  }
  return graph;
}
const PLACES = ['Map key', 'Map value', 'Set', 'class instance', 'null-prototype object', 'array',
  'nested 12 deep', 'in a cycle', 'Map subclass'];

// The clone keeps sharing and cycles: the same object everywhere it was the same before.
function assertShape(out) {
  assert.equal(out.shared1, out.shared2);
  assert.equal(out.map.get(out.shared1), out.shared1);
  assert.equal(out.cycle.self, out.cycle);
  assert.equal(out.cycle.ring[0], out.cycle);
  assert.equal(out.cycle.ring[1].back, out.cycle);
  const bytes = [...out.map.keys()][0];
  assert.ok(bytes instanceof Uint8Array);
  assert.equal([...out.set][0], bytes, 'one view, one clone');
  assert.equal(out.shared1.bytes, bytes);
  assert.equal(out.point.view.buffer, bytes.buffer, 'all views over the memory share one buffer clone');
  assert.equal(Object.getPrototypeOf(out.point), Object.prototype, 'a class instance arrives as a plain object');
  assert.equal(out.point.norm, undefined);
  assert.equal(Object.getPrototypeOf(out.registry), Map.prototype);
  assert.equal(Object.getPrototypeOf(out.nullProto), Object.prototype);
  assert.ok(Object.hasOwn(out.nullProto, '__proto__'));
  assert.ok(out.nullProto.__proto__ instanceof DataView);
  assert.ok(!(1 in out.arrays[1]), 'holes stay holes');
  assert.equal(out.arrays[1].named, 'kept');
  assert.equal(out.arrays[2].length, 3);
}

const clones = {
  structuredClone: (graph) => structuredClone(graph),
  'MessagePort.postMessage': (graph) => {
    const { port1, port2 } = new MessageChannel();
    try {
      port1.postMessage(graph);
      return receiveMessageOnPort(port2).message;
    } finally {
      port1.close();
    }
  },
};

for (const mode of ['strict', 'compat']) {
  describe(`${mode} mode`, () => {
    for (const [sink, clone] of Object.entries(clones)) {
      test(`${sink}: a graph of guarded views clones as the same graph of plain views`, async () => {
        const m = await load({ mode });
        const p = m.make_buffer(64);
        const guarded = buildGraph((C, ptr, n) => new C(m.memory.buffer, ptr, n), p);
        const reference = buildGraph((C, ptr, n) => new ENGINE[C.name](m.memory.buffer, ptr, n), p);
        const expected = structuredClone(reference);
        const out = clone(guarded);
        assert.deepStrictEqual(out, expected);
        assertShape(out);
        assert.deepEqual([...[...out.map.keys()][0]], Array.from({ length: 16 }, (_, i) => i + 1));
        assert.deepEqual(m.session.reports, []);
        // The graph the app passed is left as it was.
        assert.ok(guarded.map.has([...guarded.set][0]));
        assert.equal(Object.getPrototypeOf(guarded.point), Point.prototype);
      });

      for (const place of PLACES) {
        test(`${sink}: a freed view as ${place} is reported at the clone`, async () => {
          const m = await load({ mode });
          const p = m.make_buffer(64);
          const q = m.make_buffer(8);
          const freed = new Uint8Array(m.memory.buffer, q, 8);
          m.free(q);
          const graph = buildGraph((C, ptr, n) => new C(m.memory.buffer, ptr, n), p, { freed, place });
          const error = catchViewSan(() => clone(graph));
          assert.equal(error.kind, 'use-after-free');
          assert.equal(error.report.region.ptr, q);
          assert.equal(error.report.view.byteOffset, q);
          assert.deepEqual(error.report.access, { op: 'call', method: sink });
        });
      }
    }

    test('worker_threads Worker.postMessage: the worker gets the graph the engine would send', async () => {
      const m = await load({ mode });
      const p = m.make_buffer(64);
      const guarded = buildGraph((C, ptr, n) => new C(m.memory.buffer, ptr, n), p);
      const reference = buildGraph((C, ptr, n) => new ENGINE[C.name](m.memory.buffer, ptr, n), p);
      const worker = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m))", { eval: true });
      try {
        const echo = (value) => new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage(value);
        });
        const out = await echo(guarded);
        assert.deepStrictEqual(out, await echo(reference));
        assertShape(out);
        m.free(p);
        assert.equal(catchViewSan(() => worker.postMessage(guarded)).kind, 'use-after-free');
      } finally {
        await worker.terminate();
      }
    });

    test('record-and-continue: the freed view is recorded and the clone goes on', async () => {
      const m = await load({ mode, haltOnError: false });
      const p = m.make_buffer(16);
      const freed = new Uint8Array(m.memory.buffer, p, 16);
      m.free(p);
      const out = structuredClone(new Map([['k', new Set([freed])]]));
      assert.deepEqual([...[...out.get('k')][0]].slice(8), [9, 10, 11, 12, 13, 14, 15, 16]);
      assert.deepEqual(m.session.reports.map((r) => r.kind), ['use-after-free']);
    });

    test('sparse arrays, transfer lists and graphs without guarded views', async () => {
      const m = await load({ mode });
      const p = m.make_buffer(16);
      const view = new Uint8Array(m.memory.buffer, p, 16);
      const sparse = [];
      sparse[2 ** 31] = view;
      sparse.label = 'sparse';
      const out = structuredClone({ sparse });
      assert.equal(out.sparse.length, 2 ** 31 + 1);
      assert.equal(out.sparse[2 ** 31][15], 16);
      assert.equal(out.sparse.label, 'sparse');
      assert.deepEqual(Object.keys(out.sparse), ['2147483648', 'label']);
      const buffer = new ArrayBuffer(8);
      const moved = structuredClone({ view, buffer }, { transfer: [buffer] });
      assert.equal(buffer.byteLength, 0, 'transferred');
      assert.equal(moved.buffer.byteLength, 8);
      assert.equal(moved.view[0], 1);
      const plain = { list: Array.from({ length: 100 }, (_, i) => ({ i, tags: new Set([i]) })) };
      assert.deepStrictEqual(structuredClone(plain), plain);
      // What the engine refuses, it still refuses, with its own error; what a getter throws, it throws.
      assert.throws(() => structuredClone({ view, f() {} }), (e) => e.name === 'DataCloneError' && !(e instanceof ViewSanError));
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      assert.throws(() => structuredClone({ view, proxy }), (e) => e.name === 'DataCloneError');
      const failing = { view, get broken() { throw new RangeError('from a getter'); } };
      assert.throws(() => structuredClone(failing), (e) => e instanceof RangeError && e.message === 'from a getter');
      // An own '__proto__' key stays a key, on objects and arrays alike.
      const odd = [view];
      Object.defineProperty(odd, '__proto__', { value: view, enumerable: true, writable: true, configurable: true });
      const oddClone = structuredClone({ odd });
      assert.ok(Array.isArray(oddClone.odd));
      assert.equal(Object.getPrototypeOf(oddClone.odd), Array.prototype);
      assert.ok(Object.hasOwn(oddClone.odd, '__proto__'));
      assert.deepEqual(m.session.reports, []);
    });
  });
}
