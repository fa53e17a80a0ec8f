// The constructors patchViews installs in place of the engine's typed-array constructors and
// DataView stand for them to every program: the same statics, prototype, name, length and printed
// source, `new` without a guarded buffer gives what the engine gives, calling one without `new`
// throws the engine's TypeError, and subclasses declared after viewsan loaded are subclasses as
// the engine makes them (their instances, their species, their statics), however often they are
// constructed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { types } from 'node:util';

// The engine's own constructors, read before viewsan patches the globals.
import { ENGINE, VIEW_NAMES } from './support/engine-views.mjs';

const { instantiate } = await import('viewsan');

const fixtures = process.env.VIEWSAN_FIXTURES;
assert.ok(fixtures, 'VIEWSAN_FIXTURES must name the built fixture directory');
const wasm = await readFile(path.join(fixtures, 'freelist-heap.vs.wasm'));
const { instance } = await instantiate(wasm, {}, { mallocContextSize: 0, exitcode: 0 });
const { memory, make_buffer: makeBuffer } = instance.exports;

// An element each typed array can hold.
const sample = (name) => (name.startsWith('Big') ? 7n : 7);

describe('the patched constructors', () => {
  test('are installed, and each keeps its engine constructor\'s statics, prototype, name and length', () => {
    for (const name of VIEW_NAMES) {
      const Ctor = globalThis[name];
      const Engine = ENGINE[name];
      assert.notEqual(Ctor, Engine, `${name} is patched`);
      assert.equal(Ctor.name, name);
      assert.equal(Ctor.length, Engine.length, `${name}.length`);
      assert.equal(Ctor.prototype, Engine.prototype, `${name}.prototype`);
      assert.equal(Object.getPrototypeOf(Ctor), Object.getPrototypeOf(Engine), `${name}'s parent`);
      assert.equal(Ctor.BYTES_PER_ELEMENT, Engine.BYTES_PER_ELEMENT, `${name}.BYTES_PER_ELEMENT`);
      assert.equal(Engine.prototype.constructor, Ctor, `${name}.prototype.constructor`);
      // Code that tells the engine's constructors by their source (Babel's helpers for classes
      // that extend built-ins) still does.
      assert.match(Function.prototype.toString.call(Ctor), /\[native code\]/, `${name}'s source`);
    }
  });

  test('construct what the engine constructs from a length, an array, a buffer or a view', () => {
    const buffer = new ArrayBuffer(64);
    for (const name of VIEW_NAMES) {
      const Ctor = globalThis[name];
      const fromBuffer = new Ctor(buffer, 8, name === 'DataView' ? 16 : 2);
      assert.equal(Object.getPrototypeOf(fromBuffer), Ctor.prototype);
      assert.equal(fromBuffer.constructor, Ctor);
      assert.ok(fromBuffer instanceof Ctor && fromBuffer instanceof ENGINE[name]);
      assert.equal(fromBuffer.byteOffset, 8);
      assert.equal(fromBuffer.buffer, buffer);
      assert.equal(new Ctor(buffer, 8).byteLength, 56);
      assert.equal(new Ctor(buffer, undefined, undefined).byteLength, 64);
      if (name === 'DataView') continue;
      const value = sample(name);
      assert.ok(types.isTypedArray(new Ctor(4)));
      assert.deepEqual([...new Ctor([value, value])], [value, value]);
      assert.deepEqual([...new Ctor(new Ctor([value]))], [value]);
      assert.deepEqual([...new Ctor(new Set([value]))], [value]);
      assert.equal(new Ctor().length, 0);
      assert.equal(Ctor.from([value]).constructor, Ctor);
      assert.equal(Ctor.of(value, value).length, 2);
    }
  });

  test('throw the engine\'s errors: without new, and for arguments it refuses', () => {
    for (const name of VIEW_NAMES) {
      const Ctor = globalThis[name];
      const engineError = (() => { try { ENGINE[name](); } catch (error) { return error; } })();
      assert.throws(() => Ctor(), (error) => error.constructor === TypeError && error.message === engineError.message);
    }
    assert.throws(() => new Int32Array(new ArrayBuffer(8), 1), RangeError);
    assert.throws(() => new Uint8Array(-1), RangeError);
  });

  test('give sub-arrays and slices of the engine\'s kind, outside a guarded memory and inside it', () => {
    const whole = new Uint8Array(16);
    assert.equal(whole.subarray(4).constructor, Uint8Array);
    assert.equal(Object.getPrototypeOf(whole.slice(4)), Uint8Array.prototype);
    assert.ok(types.isUint8Array(whole.map((x) => x + 1)));
    assert.ok(types.isFloat32Array(new Float32Array(4).filter(() => true)));
    // A real typed array over a guarded memory (viewsan guards the views it hands out itself):
    // its sub-arrays are real ones too, made by the engine's constructor.
    const real = new ENGINE.Uint8Array(memory.buffer, makeBuffer(16), 16);
    assert.ok(types.isUint8Array(real.subarray(2)) && !types.isProxy(real.subarray(2)));
  });

  test('still guard a view over a guarded memory', () => {
    const view = new Uint8Array(memory.buffer, makeBuffer(16), 16);
    assert.ok(types.isProxy(view));
    assert.equal(view.constructor, Uint8Array);
  });
});

describe('a subclass declared after viewsan loaded', () => {
  test('makes its own instances, sub-arrays and statics, construction after construction', () => {
    class Bytes extends Uint8Array {
      sum() { return this.reduce((a, b) => a + b, 0); }
    }
    class MoreBytes extends Bytes {}
    for (let i = 0; i < 3; i++) {
      const bytes = new Bytes([1, 2, 3]);
      assert.equal(Object.getPrototypeOf(bytes), Bytes.prototype);
      assert.ok(bytes instanceof Uint8Array && types.isUint8Array(bytes));
      assert.equal(bytes.sum(), 6);
      assert.ok(bytes.subarray(1) instanceof Bytes);
      assert.equal(bytes.subarray(1).sum(), 5);
      assert.ok(Bytes.from([4]) instanceof Bytes);
      assert.equal(Bytes.BYTES_PER_ELEMENT, 1);
      const more = new MoreBytes(2);
      assert.equal(Object.getPrototypeOf(more), MoreBytes.prototype);
      assert.ok(more.slice(0) instanceof MoreBytes);
    }
  });

  test('that cannot be moved (a frozen class) is constructed all the same', () => {
    const Frozen = Object.freeze(class extends Float64Array {});
    for (let i = 0; i < 2; i++) {
      const values = new Frozen([1.5]);
      assert.equal(Object.getPrototypeOf(values), Frozen.prototype);
      assert.equal(values[0], 1.5);
    }
  });

  test('a subclass copies a guarded view\'s elements', () => {
    class Bytes extends Uint8Array {}
    const view = new Uint8Array(memory.buffer, makeBuffer(4), 4);
    view.set([9, 8, 7, 6]);
    assert.deepEqual([...new Bytes(view)], [9, 8, 7, 6]);
    assert.deepEqual([...new Bytes(view)], [9, 8, 7, 6]);
  });

  test('Reflect.construct with another new.target makes an object of that target', () => {
    function Other() {}
    Other.prototype = Object.create(Uint8Array.prototype);
    const made = Reflect.construct(Uint8Array, [3], Other);
    assert.equal(Object.getPrototypeOf(made), Other.prototype);
    assert.equal(made.length, 3);
  });
});
