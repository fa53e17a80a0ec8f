// What the equivalence fuzzer needs to know about a module that V8 may not be able to compile
// (Binaryen 132 with every feature writes GC types, exact references, shared types and compact
// imports, which Node 20 rejects), read straight from the binary: each function's signature, the
// exports, the memories' address types and the custom sections. Sections it does not need are
// skipped by their sizes, so tables, globals and code are never decoded. Two edits too, without
// decoding: a memory export added (the fuzzer), a custom section appended (tests/js).

const NUMBER_TYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };
// Nullable abstract references written as one byte. The rest are written as 0x63 (nullable) or
// 0x64 (non-nullable) followed by a heap type, and read here as 'ref'.
const SHORT_REFERENCES = { 0x70: 'funcref', 0x6f: 'externref', 0x6e: 'anyref', 0x6d: 'eqref',
  0x6c: 'i31ref', 0x6b: 'structref', 0x6a: 'arrayref', 0x69: 'exnref', 0x68: 'contref',
  0x67: 'stringref', 0x71: 'nullref', 0x72: 'nullexternref', 0x73: 'nullfuncref',
  0x74: 'nullexnref', 0x75: 'nullcontref' };
const PACKED_TYPES = { 0x78: 'i8', 0x77: 'i16' };
const EXTERNAL_KINDS = ['function', 'table', 'memory', 'global', 'tag'];
// Binaryen's compact imports: an empty field name, then one of these instead of a kind.
const COMPACT_SHARED_ALL = 0x7e;
const COMPACT_SHARED_MODULE = 0x7f;

class Reader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    if (this.at >= this.bytes.length) throw new Error('unexpected end of the module');
    return this.bytes[this.at++];
  }
  u32() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.byte();
      if (shift < 32) result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }
  skipLeb() {
    while (this.byte() & 0x80);
  }
  name() {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
  heapType() {
    // Exact (custom descriptors) and shared (shared-everything) come before the type itself.
    while (this.bytes[this.at] === 0x62 || this.bytes[this.at] === 0x65) this.at++;
    this.skipLeb();
  }
  valueType() {
    const code = this.byte();
    if (code === 0x63 || code === 0x64) {
      this.heapType();
      return 'ref';
    }
    const type = NUMBER_TYPES[code] ?? SHORT_REFERENCES[code];
    if (!type) throw new Error(`unknown value type 0x${code.toString(16)}`);
    return type;
  }
  fieldType() {
    const code = this.bytes[this.at];
    if (PACKED_TYPES[code]) this.at++;
    else this.valueType();
    this.byte(); // mutability
  }
  // Only whether the limits are 64-bit matters here.
  limits() {
    const flags = this.u32();
    this.skipLeb();
    if (flags & 1) this.skipLeb();
    if (flags & 8) this.u32(); // custom page size
    return { is64: (flags & 4) !== 0 };
  }
}

// One entry per type index: { params, results } for a function type, null for the others.
function readTypes(reader) {
  const types = [];
  const compositeType = () => {
    while ([0x65, 0x4c, 0x4d].includes(reader.bytes[reader.at])) {
      if (reader.byte() !== 0x65) reader.heapType(); // describes, descriptor
    }
    const form = reader.byte();
    if (form === 0x60) {
      const params = Array.from({ length: reader.u32() }, () => reader.valueType());
      const results = Array.from({ length: reader.u32() }, () => reader.valueType());
      return { params, results };
    }
    if (form === 0x5f) {
      for (let n = reader.u32(); n > 0; n--) reader.fieldType();
    } else if (form === 0x5e) {
      reader.fieldType();
    } else if (form === 0x5d) {
      reader.heapType();
    } else {
      throw new Error(`unknown type form 0x${form.toString(16)}`);
    }
    return null;
  };
  const subType = () => {
    const code = reader.bytes[reader.at];
    if (code === 0x50 || code === 0x4f) {
      reader.at++;
      for (let n = reader.u32(); n > 0; n--) reader.heapType();
    }
    types.push(compositeType());
  };
  for (let groups = reader.u32(); groups > 0; groups--) {
    if (reader.bytes[reader.at] === 0x4e) {
      reader.at++;
      for (let n = reader.u32(); n > 0; n--) subType();
    } else {
      subType();
    }
  }
  return types;
}

// The kind byte's bit 5 marks an exact function import (custom descriptors).
function readImportDescription(reader, kind) {
  const item = { kind: EXTERNAL_KINDS[kind & ~0x20] };
  if (!item.kind) throw new Error(`unknown import kind 0x${kind.toString(16)}`);
  if (item.kind === 'function') item.type = reader.u32();
  else if (item.kind === 'table') { reader.valueType(); reader.limits(); }
  else if (item.kind === 'memory') item.memory = reader.limits();
  else if (item.kind === 'global') { reader.valueType(); reader.byte(); }
  else if (item.kind === 'tag') { reader.byte(); reader.u32(); }
  return item;
}

function readImports(reader, module) {
  const add = (item) => {
    module.imports.push(item);
    if (item.kind === 'function') module.functionTypes.push(item.type);
    if (item.kind === 'memory') module.memories.push(item.memory);
  };
  for (let n = reader.u32(); n > 0; n--) {
    reader.name();
    reader.name();
    const kind = reader.byte();
    if (kind === COMPACT_SHARED_ALL) {
      // One description, then the field names that share it.
      const shared = readImportDescription(reader, reader.byte());
      for (let names = reader.u32(); names > 0; names--) {
        reader.name();
        add(shared);
      }
    } else if (kind === COMPACT_SHARED_MODULE) {
      for (let items = reader.u32(); items > 0; items--) {
        reader.name();
        add(readImportDescription(reader, reader.byte()));
      }
    } else {
      add(readImportDescription(reader, kind));
    }
  }
}

// Sections as { id, start, end } (the contents), and for custom sections their name and where
// their contents start after it.
export function sections(bytes) {
  const reader = new Reader(bytes, 8);
  const list = [];
  while (reader.at < bytes.length) {
    const headerStart = reader.at;
    const id = reader.byte();
    const size = reader.u32();
    const section = { id, headerStart, start: reader.at, end: reader.at + size };
    if (id === 0) {
      section.name = reader.name();
      section.contentStart = reader.at;
    }
    list.push(section);
    reader.at = section.end;
  }
  return list;
}

export function customSection(bytes, name) {
  const section = sections(bytes).find((s) => s.id === 0 && s.name === name);
  return section && bytes.subarray(section.contentStart, section.end);
}

// { functions: [{ params, results } | null] by function index, importedFunctions,
//   exports: [{ name, kind, index }], memories: [{ is64 }], customSections: [names] }
export function readModule(bytes) {
  const module = { imports: [], functionTypes: [], memories: [], exports: [], customSections: [] };
  let types = [];
  for (const section of sections(bytes)) {
    const reader = new Reader(bytes, section.start);
    if (section.id === 0) {
      module.customSections.push(section.name);
    } else if (section.id === 1) {
      types = readTypes(reader);
    } else if (section.id === 2) {
      readImports(reader, module);
    } else if (section.id === 3) {
      for (let n = reader.u32(); n > 0; n--) module.functionTypes.push(reader.u32());
    } else if (section.id === 5) {
      for (let n = reader.u32(); n > 0; n--) module.memories.push(reader.limits());
    } else if (section.id === 7) {
      for (let n = reader.u32(); n > 0; n--) {
        const name = reader.name();
        const kind = EXTERNAL_KINDS[reader.byte()];
        module.exports.push({ name, kind, index: reader.u32() });
      }
    }
  }
  return {
    functions: module.functionTypes.map((type) => types[type] ?? null),
    importedFunctions: module.imports.filter((item) => item.kind === 'function').length,
    exports: module.exports,
    memories: module.memories,
    customSections: module.customSections,
  };
}

const leb = (value) => {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
};

// The module with memory 0 also exported as `name`, so that the memories of the original and
// the instrumented module can be compared at the end (Binaryen 132's fuzzer exports none). The
// export goes last, so the indices the fuzzer's call-export import takes are unchanged.
export function withMemoryExport(bytes, name) {
  const list = sections(bytes);
  const entry = [...leb(Buffer.byteLength(name)), ...Buffer.from(name), 2, 0];
  const exportSection = list.find((s) => s.id === 7);
  let contents, replaceFrom, replaceTo;
  if (exportSection) {
    const reader = new Reader(bytes, exportSection.start);
    const count = reader.u32();
    contents = [...leb(count + 1), ...bytes.subarray(reader.at, exportSection.end), ...entry];
    replaceFrom = exportSection.headerStart;
    replaceTo = exportSection.end;
  } else {
    // Before the first section that must follow exports: start, element, data count, code, data.
    const next = list.find((s) => [8, 9, 10, 11, 12].includes(s.id));
    contents = [1, ...entry];
    replaceFrom = replaceTo = next ? next.headerStart : bytes.length;
  }
  return Buffer.concat([bytes.subarray(0, replaceFrom),
    Buffer.from([7, ...leb(contents.length), ...contents]), bytes.subarray(replaceTo)]);
}

// The module with a custom section `name` holding `contents` appended (custom sections may come
// anywhere, the end included).
export function withCustomSection(bytes, name, contents) {
  const payload = Buffer.concat([Buffer.from(leb(Buffer.byteLength(name))), Buffer.from(name), contents]);
  return Buffer.concat([bytes, Buffer.from([0, ...leb(payload.length)]), payload]);
}
