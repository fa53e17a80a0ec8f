// Compat mode hands out real typed arrays, so element reads cannot be intercepted; instead every
// %TypedArray%.prototype method checks its receiver when that receiver is a guarded view. For
// every other typed array the cost is one WeakMap lookup per method call. DataViews reach memory
// only through their get*/set* methods, and DataView.prototype's are checked the same way.

import { isGlueView } from './glue-views.js';
import { DATA_VIEW_ACCESSORS, dataViewAccess, viewRecords } from './guarded-view.js';
import { sliceStart } from './view-arguments.js';

// The glue view a method was last called on, of each kind. A glue's own views are never guarded
// (glue-views.js), and an Emscripten glue calls their methods in its loops: web-tree-sitter reads
// every field of its structs through HEAP_DATA_VIEW's getters, hundreds of thousands of times a
// run. One comparison lets those calls through without looking for a record.
let lastGlueView = null;
let lastGlueDataView = null;

const CHECKED_METHODS = [
  'at', 'copyWithin', 'entries', 'every', 'fill', 'filter', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'forEach', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map',
  'reduce', 'reduceRight', 'reverse', 'set', 'some', 'sort', 'toLocaleString', 'toReversed',
  'toSorted', 'toString', 'values', 'with', 'subarray', 'slice',
];

let installed = false;

export function installCompatMethods() {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(Int8Array.prototype);
  for (const name of [...CHECKED_METHODS, Symbol.iterator]) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor || typeof descriptor.value !== 'function') continue;
    const original = descriptor.value;
    const label = typeof name === 'symbol' ? '[Symbol.iterator]' : name;
    const checked = {
      [label]() {
        if (this === lastGlueView) return original.apply(this, arguments);
        const record = viewRecords.ofTarget(this);
        if (record === undefined || record.target !== this) {
          if (isGlueView(this)) lastGlueView = this;
          return original.apply(this, arguments);
        }
        // As a strict view's methods: a fresh view (no free, no growth since it was last
        // validated) needs no check. An Emscripten glue's memcpy of large blocks is a copyWithin
        // on its HEAPU8, which compat mode hands the app as Module.HEAPU8 too.
        if (!record.isFresh()) record.session.checkView(record, { op: 'call', method: label });
        record.checkArguments(label, arguments);
        const result = original.apply(this, arguments);
        if (name === 'subarray') return record.session.subView(record, result);
        if (name === 'slice') record.copiedOut(result.byteLength, 'slice', sliceStart(this, arguments[0]), proto.slice);
        return result;
      },
    }[label];
    Object.defineProperty(proto, name, { ...descriptor, value: checked });
  }
  installDataViewAccessors();
}

function installDataViewAccessors() {
  const proto = DataView.prototype;
  for (const name of DATA_VIEW_ACCESSORS) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor || typeof descriptor.value !== 'function') continue;
    const original = descriptor.value;
    const checked = {
      [name]() {
        if (this === lastGlueDataView) return Reflect.apply(original, this, arguments);
        const record = viewRecords.ofTarget(this);
        if (record !== undefined && record.target === this) {
          if (!record.isFresh()) record.session.checkView(record, dataViewAccess(name, arguments[0]));
        } else if (isGlueView(this)) {
          lastGlueDataView = this;
        }
        return Reflect.apply(original, this, arguments);
      },
    }[name];
    Object.defineProperty(checked, 'length', { value: original.length });
    Object.defineProperty(proto, name, { ...descriptor, value: checked });
  }
}
