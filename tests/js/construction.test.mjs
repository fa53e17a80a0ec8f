// Views constructed over a guarded memory are the engine's views: for every typed-array
// constructor and DataView, whatever the offset and length arguments (NaN, fractions, negatives,
// infinities, huge numbers, strings, objects with valueOf, Symbols, BigInts), the guarded
// constructor gives the view the engine gives, or throws the error the engine throws, converting
// each argument as often as the engine does (once, or not at all). viewsan's own reports replace
// exactly two engine errors: a misaligned typed array (misaligned-view) and a detached buffer
// (use-after-grow). And reading a property that is not an element of a dead strict view is no
// access: only canonical numeric keys naming an index in range can touch memory.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { types } from 'node:util';

// The engine's own constructors, read before viewsan patches the globals.
import { ENGINE, VIEW_NAMES } from './support/engine-views.mjs';

const { instantiate, ViewSanError } = await import('viewsan');
const { catchViewSan, viewSanKind } = await import('./support/viewsan-error.mjs');

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const wasm = await readFile(path.join(fixtures, 'freelist-heap.vs.wasm'));

// exitcode 0: the record-and-continue tests leave errors that were recorded, not thrown, on
// purpose; they must not fail the process at exit.
async function load(options) {
  const { instance, session } = await instantiate(wasm, {}, { mallocContextSize: 0, exitcode: 0, ...options });
  return { ...instance.exports, session };
}

// Arguments, each made fresh for every construction so that conversions can be counted: `log`
// receives one entry per valueOf/toString call.
const OFFSETS = [
  ['undefined', () => undefined],
  ['0', () => 0],
  ['8', () => 8],
  ['5', () => 5],
  ['NaN', () => NaN],
  ['1.5', () => 1.5],
  ['8.9', () => 8.9],
  ['-0', () => -0],
  ['-0.5', () => -0.5],
  ['-1', () => -1],
  ['-8', () => -8],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['2**53', () => 2 ** 53],
  ['2**53-1', () => 2 ** 53 - 1],
  ['2**40', () => 2 ** 40],
  ['2**32+8', () => 2 ** 32 + 8],
  ['1e300', () => 1e300],
  ["'16'", () => '16'],
  ["'1e1'", () => '1e1'],
  ["'0x10'", () => '0x10'],
  ["' 8 '", () => ' 8 '],
  ["''", () => ''],
  ["'abc'", () => 'abc'],
  ["'-8'", () => '-8'],
  ['null', () => null],
  ['true', () => true],
  ['[]', () => []],
  ['[24]', () => [24]],
  ['{valueOf: 16}', (log) => ({ valueOf() { log.push('offset.valueOf'); return 16; } })],
  ['{valueOf: 6.5}', (log) => ({ valueOf() { log.push('offset.valueOf'); return 6.5; } })],
  ['{valueOf: NaN}', (log) => ({ valueOf() { log.push('offset.valueOf'); return NaN; } })],
  ['{valueOf: -1}', (log) => ({ valueOf() { log.push('offset.valueOf'); return -1; } })],
  ["{toString: '24'}", (log) => ({ valueOf: undefined, toString() { log.push('offset.toString'); return '24'; } })],
  ['{valueOf throws}', (log) => ({ valueOf() { log.push('offset.valueOf'); throw new Error('offset valueOf'); } })],
  ['Symbol', () => Symbol('offset')],
  ['8n', () => 8n],
];
const LENGTHS = [
  ['undefined', () => undefined],
  ['0', () => 0],
  ['2', () => 2],
  ['3.7', () => 3.7],
  ['NaN', () => NaN],
  ['-0.5', () => -0.5],
  ['-1', () => -1],
  ['Infinity', () => Infinity],
  ['2**53', () => 2 ** 53],
  ['2**31', () => 2 ** 31],
  ["'4'", () => '4'],
  ["'x'", () => 'x'],
  ['{valueOf: 3}', (log) => ({ valueOf() { log.push('length.valueOf'); return 3; } })],
  ['{valueOf throws}', (log) => ({ valueOf() { log.push('length.valueOf'); throw new Error('length valueOf'); } })],
  ['Symbol', () => Symbol('length')],
  ['2n', () => 2n],
];

/** What a construction did: the view's shape, or the error; and every conversion, in order. */
function outcome(construct, makeOffset, makeLength) {
  const log = [];
  const offset = makeOffset(log);
  const length = makeLength(log);
  try {
    const view = construct(offset, length);
    const elements = view instanceof ENGINE.DataView ? view.byteLength : view.length;
    return { log, view: { tag: Object.prototype.toString.call(view), byteOffset: view.byteOffset, byteLength: view.byteLength, elements } };
  } catch (error) {
    if (error instanceof ViewSanError) return { log, viewsan: error.kind };
    return { log, error: error.constructor.name, message: error.message };
  }
}

for (const mode of ['strict', 'compat']) {
  describe(`${mode} mode`, () => {
    for (const name of VIEW_NAMES) {
      test(`new ${name}(memory.buffer, offset, length) is the engine's, for every kind of argument`, async () => {
        const m = await load({ mode });
        const bpe = ENGINE[name].BYTES_PER_ELEMENT ?? 1;
        let compared = 0;
        let guarded = 0;
        for (const [offsetLabel, makeOffset] of OFFSETS) {
          for (const [lengthLabel, makeLength] of LENGTHS) {
            const where = `new ${name}(memory.buffer, ${offsetLabel}, ${lengthLabel})`;
            const reportsBefore = m.session.reports.length;
            const engine = outcome((o, l) => new ENGINE[name](m.memory.buffer, o, l), makeOffset, makeLength);
            const actual = outcome((o, l) => new globalThis[name](m.memory.buffer, o, l), makeOffset, makeLength);
            if (engine.message?.includes('should be a multiple of')) {
              // The one engine error viewsan explains: the same conversions, then its report.
              assert.deepEqual(actual, { log: engine.log, viewsan: 'misaligned-view' }, where);
            } else {
              assert.deepEqual(actual, engine, where);
            }
            compared++;
            if (actual.view) {
              guarded++;
              assert.equal(m.session.reports.length, reportsBefore, `${where}: ${m.session.reports.at(-1)?.message}`);
            }
          }
        }
        assert.equal(compared, OFFSETS.length * LENGTHS.length);
        assert.ok(guarded > 40, `${guarded} constructions succeeded`);
        // The misaligned cases are the ones a DataView never has.
        if (name === 'DataView' || bpe === 1) {
          assert.equal(m.session.stats().errors, 0);
        }
      });
    }

    test('the views made from unusual arguments are guarded like any other', async () => {
      const m = await load({ mode });
      const p = m.malloc(64);
      const at = (offset) => ({ valueOf: () => offset });
      const views = [
        new Uint8Array(m.memory.buffer, p + 0.75, NaN),  // [p, p): empty, nothing to check
        new Uint8Array(m.memory.buffer, `${p}`, 16.9),
        new Float64Array(m.memory.buffer, at(p + 8.5), at(2)),
        new DataView(m.memory.buffer, `${p + 3}`, '5'),
        new Int32Array(m.memory.buffer, p - 0.5 + 1, '4'),  // p + 0.5: ToIndex makes it p
      ];
      assert.deepEqual(views.map((v) => [v.byteOffset - p, v.byteLength]), [[0, 0], [0, 16], [8, 16], [3, 5], [0, 16]]);
      if (mode === 'strict') assert.ok(views.every((v) => types.isProxy(v)));
      m.free(p);
      if (mode === 'strict') assert.equal(catchViewSan(() => views[1][0]).kind, 'use-after-free');
      assert.equal(catchViewSan(() => views[1].at(0)).kind, 'use-after-free');
      assert.equal(catchViewSan(() => views[2].fill(1)).kind, 'use-after-free');
      assert.equal(catchViewSan(() => views[3].getUint8(0)).kind, 'use-after-free');
      assert.equal(catchViewSan(() => views[4].at(0)).kind, 'use-after-free');
      assert.equal(views[0].length, 0);
    });

    test('misaligned typed arrays at integral offsets, however given, are misaligned-view; the message names the fix', async () => {
      const m = await load({ mode });
      const p = m.malloc(64);
      for (const offset of [p + 5, `${p + 6}`, p + 2.5, true, { valueOf: () => p + 7 }]) {
        const error = catchViewSan(() => new Float32Array(m.memory.buffer, offset, 4));
        assert.equal(error.kind, 'misaligned-view');
        if (typeof offset === 'object') {
          // The engine converted it (once); viewsan does not run its valueOf a second time.
          assert.equal(error.report.view.byteOffset, null);
          assert.match(error.message, /on a Float32Array view of 4 elements at an offset given as an object/);
          assert.equal(error.report.region, null);
        } else {
          assert.equal(error.report.view.byteOffset, Math.trunc(Number(offset)));
          assert.equal(error.report.region?.ptr ?? null, typeof offset === 'boolean' ? null : p);
        }
        assert.equal(error.report.view.length, 4);
        assert.equal(error.report.view.ctor, 'Float32Array');
        assert.match(error.message, /Float32Array needs a byteOffset that is a multiple of 4/);
        assert.match(error.message, /pad the header/);
        assert.match(error.message, /DataView, which has no alignment constraint/);
        assert.deepEqual(JSON.parse(JSON.stringify(error.report)), error.report);
      }
      const huge = catchViewSan(() => new Float64Array(m.memory.buffer, 2 ** 40 + 4, 1));
      assert.equal(huge.kind, 'misaligned-view', 'the engine checks alignment before bounds, and so does viewsan');
      assert.equal(huge.report.region, null);
      // Fractions and NaN are truncated before alignment is judged, as the engine does.
      assert.equal(new Float32Array(m.memory.buffer, p + 4.75, 1).byteOffset, p + 4);
      assert.equal(new Float64Array(m.memory.buffer, NaN, 1).byteOffset, 0);
    });

    test('record-and-continue: a misaligned view is recorded, then the engine\'s RangeError propagates unchanged', async () => {
      const m = await load({ mode, haltOnError: false });
      const p = m.malloc(64);
      const log = [];
      const length = { valueOf() { log.push('length'); return 4; } };
      let engineError;
      try {
        new ENGINE.Float32Array(m.memory.buffer, p + 5, length);
      } catch (error) {
        engineError = error;
      }
      assert.throws(() => new Float32Array(m.memory.buffer, p + 5, length), (error) =>
        error.constructor === RangeError && error.message === engineError.message);
      assert.deepEqual(log, [], 'the engine never converts the length of a misaligned view, nor does viewsan');
      assert.deepEqual(m.session.reports.map((r) => r.kind), ['misaligned-view']);
      assert.equal(m.session.reports[0].view.length, null, 'an object length is not converted for the report');
    });

    test('a view over a buffer growth detached: use-after-grow, after the conversions the engine makes', async () => {
      const m = await load({ mode });
      const old = m.memory.buffer;
      m.malloc(200000);  // grows memory: `old` is detached
      for (const name of ['Uint8Array', 'Float64Array', 'DataView']) {
        const log = [];
        const offset = { valueOf() { log.push('offset'); return 8; } };
        const length = { valueOf() { log.push('length'); return 1; } };
        const engineLog = [];
        assert.throws(() => new ENGINE[name](old, { valueOf() { engineLog.push('offset'); return 8; } },
          { valueOf() { engineLog.push('length'); return 1; } }), TypeError);
        const error = catchViewSan(() => new globalThis[name](old, offset, length));
        assert.equal(error.kind, 'use-after-grow', name);
        assert.equal(error.report.view.ctor, name);
        assert.equal(error.report.view.byteOffset, null, 'an object offset is converted by the engine only');
        assert.deepEqual(log, engineLog, `${name}: ${engineLog.join(', ')}`);
        assert.ok(error.report.grow.toPages > error.report.grow.fromPages);
        const plain = catchViewSan(() => new globalThis[name](old, '8', 1));
        assert.equal(plain.kind, 'use-after-grow');
        assert.equal(plain.report.view.byteOffset, 8);
        assert.equal(plain.report.view.length, 1);
        assert.match(plain.message, new RegExp(`on a ${name}.* at 0x8\\n`));
      }
      // What the engine throws before it looks at the buffer is still the engine's.
      assert.throws(() => new Uint8Array(old, -1), (error) => error instanceof RangeError && !(error instanceof ViewSanError));
      assert.throws(() => new DataView(old, Symbol('x')), (error) => error instanceof TypeError && !(error instanceof ViewSanError));
      const recorded = await load({ mode, haltOnError: false });
      const before = recorded.memory.buffer;
      recorded.malloc(200000);
      assert.throws(() => new Uint8Array(before, 0, 4), (error) => error.constructor === TypeError && !(error instanceof ViewSanError));
      assert.deepEqual(recorded.session.reports.map((r) => r.kind), ['use-after-grow']);
    });

    test('session.view() guards typed arrays and DataViews once, whichever constructor it is given', async () => {
      const m = await load({ mode });
      const p = m.malloc(32);
      const floats = m.session.view(Float32Array, p, 8);
      const bytes = m.session.view(DataView, p, 32);
      assert.equal(floats.length, 8);
      assert.equal(bytes.byteLength, 32);
      assert.ok(floats instanceof Float32Array && bytes instanceof DataView);
      if (mode === 'strict') {
        assert.ok(types.isProxy(floats) && types.isProxy(bytes));
      }
      floats[1] = 2.5;
      assert.equal(bytes.getFloat32(4, true), 2.5);
      assert.throws(() => m.session.view(Array, p, 4), TypeError);
      m.free(p);
      assert.equal(catchViewSan(() => floats.at(1)).kind, 'use-after-free');
      const error = catchViewSan(() => bytes.getFloat32(4, true));
      assert.equal(error.kind, 'use-after-free');
      assert.equal(error.report.view.ctor, 'DataView');
    });
  });
}

describe('strict mode: which property reads and writes of a dead view are accesses', () => {
  // Keys a typed array answers without touching memory: canonical numeric strings that are not
  // an index in range (the engine returns undefined and drops writes), and keys that are not
  // numeric at all (ordinary properties).
  const NOT_ELEMENTS = ['-1', '1.5', '-0', 'NaN', 'Infinity', '-Infinity', '16', '4294967296',
    '1e+21', '1e3', '01', '+1', ' 1', '1 ', '0x1', '', 'length', 'byteLength', 'byteOffset', 'buffer',
    'foo', Symbol.iterator, Symbol('own')];
  const ELEMENTS = ['0', '7', '15', 0, 15];

  for (const death of ['freed', 'detached']) {
    test(`${death}: non-index keys are not accesses; index keys in range are`, async () => {
      const m = await load({ mode: 'strict' });
      const p = m.make_buffer(16);
      const view = new Uint8Array(m.memory.buffer, p, 16);
      const reference = new ENGINE.Uint8Array(16);  // what the engine answers for the same keys
      if (death === 'freed') m.free(p);
      else m.malloc(200000);
      for (const key of NOT_ELEMENTS) {
        const label = String(key);
        if (key === 'length' || key === 'byteLength' || key === 'byteOffset' || key === 'buffer') {
          assert.equal(viewSanKind(() => view[key]), null, label);
          continue;
        }
        assert.equal(viewSanKind(() => view[key]), null, `read ${label}`);
        if (typeof reference[key] !== 'function') assert.equal(view[key], reference[key], `read ${label}`);
        if (typeof key === 'symbol') continue;
        assert.equal(viewSanKind(() => { view[key] = 9; }), null, `write ${label}`);
        reference[key] = 9;
        assert.equal(view[key], reference[key], `read ${label} after the write`);
        assert.equal(key in view, key in reference, `${label} in view`);
      }
      assert.deepEqual(m.session.reports, []);
      const expected = death === 'freed' ? 'use-after-free' : 'use-after-grow';
      for (const key of ELEMENTS) {
        const read = catchViewSan(() => view[key]);
        assert.equal(read.kind, expected, `read ${key}`);
        assert.deepEqual(read.report.access, { op: 'read', index: String(key) });
        assert.equal(catchViewSan(() => { view[key] = 1; }).kind, expected, `write ${key}`);
      }
    });
  }

  test('a live view reads every key as the engine does', async () => {
    const m = await load({ mode: 'strict' });
    const p = m.make_buffer(16);
    const view = new Uint8Array(m.memory.buffer, p, 16);
    const reference = new ENGINE.Uint8Array(16).map((_, i) => i + 1);
    for (const key of [...NOT_ELEMENTS.filter((k) => k !== 'buffer' && k !== 'byteOffset'), ...ELEMENTS]) {
      if (typeof key === 'symbol') continue;
      assert.deepEqual(view[key], reference[key], String(key));
    }
  });
});
