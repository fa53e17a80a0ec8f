// The `viewsan.sites` custom section (contract 1): where each hook call in the module comes from.

import { VS_SITE_JS } from './shim-layout.js';
import { registerLineTable } from './wasm-frames.js';

const decoder = new TextDecoder();

// Sites read one by one from the section's text before it is parsed whole: a report needs one or
// two, and the whole parse of a large module's sites is milliseconds (1.2 ms in photon-node's).
const SITES_READ_ONE_BY_ONE = 64;

export class SiteTable {
  #sites;
  #text;  // the section's JSON, parsed for its sites when many are asked for
  #read = new Map();  // index -> site, read from #text alone
  #exportedAllocators = null;

  constructor({ module = null, coverage = 'partial', sites = [] } = {}, instrumented = false, memory64 = false, text = null,
    seesFrees = true) {
    this.module = module;
    this.coverage = coverage;
    this.instrumented = instrumented;
    // Whether any free inside wasm reaches the hooks: an allocator named without its free
    // (`--alloc` alone) leaves every region wasm allocated live as far as the shim knows.
    this.seesFrees = seesFrees;
    // Instrumented for a 64-bit memory (it imports the hooks suffixed 64): pointers are BigInts.
    this.memory64 = memory64;
    this.#sites = text === null ? sites : null;
    this.#text = text;
  }

  /**
   * Reads the section of a compiled module; an uninstrumented module gets an empty table. Only
   * its header (version, module, coverage) is parsed now: a large module's sites are megabytes of
   * JSON (37,000 of them, 23 ms to parse, in onnxruntime-web), and every thread instantiates it.
   */
  static fromModule(wasmModule) {
    const sections = WebAssembly.Module.customSections(wasmModule, 'viewsan.sites');
    const hooks = WebAssembly.Module.imports(wasmModule).filter((i) => i.module === 'viewsan');
    const instrumented = hooks.length > 0;
    const memory64 = hooks.some((i) => i.name.endsWith('64'));
    const seesFrees = hooks.some((i) => /^(free|realloc)(64)?$/.test(i.name));
    registerLineTable(wasmModule);
    if (sections.length === 0) return new SiteTable({}, instrumented, memory64, null, seesFrees);
    const text = decoder.decode(sections[0]);
    // A cut-off section fails here, as a whole parse would; the sites themselves are parsed later.
    if (!/\]\s*\}\s*$/.test(text.slice(-64))) parseSection(text);
    const header = headerOf(text);
    if (header.version !== 1) {
      throw new Error(`viewsan: viewsan.sites version ${header.version} is not supported (expected 1)`);
    }
    return new SiteTable(header, instrumented, memory64, header.sites === undefined ? text : null, seesFrees);
  }

  /** The section's sites, by index. */
  get sites() {
    if (this.#sites === null) {
      this.#sites = parseSection(this.#text).sites ?? [];
      this.#text = null;
      this.#read.clear();
    }
    return this.#sites;
  }

  get coverageComplete() {
    return this.coverage === 'complete';
  }

  /**
   * The hooked allocators JavaScript can call: their export sites, which viewsan-instrument
   * writes first, each with its role, argument positions and export names.
   */
  exportedAllocators() {
    if (this.#exportedAllocators === null) {
      this.#exportedAllocators = [];
      for (let index = 0; ; index++) {
        const site = this.#site(index);
        if (site?.kind !== 'export') break;
        if (typeof site.role === 'string' && Array.isArray(site.exports)) this.#exportedAllocators.push(site);
      }
    }
    return this.#exportedAllocators;
  }

  /** Whether calls through this site may come from JavaScript (JS itself, or an export). */
  calledFromJs(index) {
    return index === VS_SITE_JS || this.#site(index)?.kind === 'export';
  }

  #site(index) {
    if (this.#sites !== null) return this.#sites[index];
    if (!this.#read.has(index)) {
      if (this.#read.size >= SITES_READ_ONE_BY_ONE) return this.sites[index];
      const site = siteInText(this.#text, index);
      if (site === null) return this.sites[index];  // not in viewsan-instrument's shape
      this.#read.set(index, site);
    }
    return this.#read.get(index);
  }

  /**
   * The report form of a site index: the section's entry, `{kind:'js'}` for calls made by
   * viewsan's JS wrappers, or null when unknown; with the JS stack when JavaScript made the call.
   */
  describe(index, jsStack = null) {
    if (index === VS_SITE_JS) {
      return { kind: 'js', func: null, callee: null, offset: null, file: null, line: null, column: null, inlinedInto: null, stack: jsStack };
    }
    const site = this.#site(index);
    if (!site) return null;
    // Contract 3: where the site is in the sources when the module's DWARF or source map says.
    const described = {
      id: site.id, kind: site.kind, func: site.func, callee: site.callee ?? null, offset: site.offset ?? null,
      file: site.file ?? null, line: site.line ?? null, column: site.column ?? null, inlinedInto: site.inlinedInto ?? null,
    };
    if (jsStack) described.stack = jsStack;
    return described;
  }
}

function parseSection(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`viewsan: the module's viewsan.sites section is not valid JSON: ${e.message}`);
  }
}

// The section as viewsan-instrument writes it starts {"version":1,"module":…,"coverage":…,"sites":[:
// the header is what comes before the sites. A section in another shape is parsed whole.
function headerOf(text) {
  const cut = text.indexOf(',"sites":[');
  if (cut > 0) {
    try {
      const header = JSON.parse(`${text.slice(0, cut)}}`);
      if (typeof header === 'object' && header !== null && 'version' in header) return header;
    } catch {
      // a cut inside a string, or not viewsan-instrument's writing: parse it all
    }
  }
  return parseSection(text);
}

// viewsan-instrument writes the sites in the order of their ids, each a flat object that starts
// {"id":N, and separates them with commas: the one asked for is found by bisecting the text, and
// only it is parsed. (Inside a JSON string every quote is escaped, so {"id": marks a site.) Null
// when the text is not in that shape (or undefined: no such site).
const SITE_START = '{"id":';

function siteInText(text, index) {
  const first = text.indexOf(',"sites":[');
  if (first < 0) return null;
  const idAt = (position) => Number.parseInt(text.slice(position + SITE_START.length, position + SITE_START.length + 12), 10);
  let low = first;
  let high = text.length;
  let found = -1;
  while (low < high) {  // the first site start at or after mid whose id is >= index
    const mid = Math.floor((low + high) / 2);
    const at = text.indexOf(SITE_START, mid);
    if (at < 0 || idAt(at) >= index) {
      high = mid;
      if (at >= 0 && idAt(at) === index) found = at;
    } else {
      low = at + 1;
    }
  }
  if (found < 0) return text.indexOf(SITE_START, first) < 0 ? null : undefined;
  const next = text.indexOf(`,${SITE_START}`, found);
  const end = next >= 0 ? next : text.lastIndexOf(']');
  try {
    const site = JSON.parse(text.slice(found, end));
    return site?.id === index ? site : null;
  } catch {
    return null;
  }
}
