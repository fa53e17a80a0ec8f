// The `viewsan.sites` custom section (contract 1): where each hook call in the module comes from.

import { VS_SITE_JS } from './shim-layout.js';
import { registerLineTable } from './wasm-frames.js';

const decoder = new TextDecoder();

export class SiteTable {
  constructor({ module = null, coverage = 'partial', sites = [] } = {}, instrumented = false, memory64 = false) {
    this.module = module;
    this.coverage = coverage;
    this.instrumented = instrumented;
    // Instrumented for a 64-bit memory (it imports the hooks suffixed 64): pointers are BigInts.
    this.memory64 = memory64;
    this.sites = sites;
  }

  /** Reads the section of a compiled module; an uninstrumented module gets an empty table. */
  static fromModule(wasmModule) {
    const sections = WebAssembly.Module.customSections(wasmModule, 'viewsan.sites');
    const hooks = WebAssembly.Module.imports(wasmModule).filter((i) => i.module === 'viewsan');
    const instrumented = hooks.length > 0;
    const memory64 = hooks.some((i) => i.name.endsWith('64'));
    registerLineTable(wasmModule);
    if (sections.length === 0) return new SiteTable({}, instrumented, memory64);
    let parsed;
    try {
      parsed = JSON.parse(decoder.decode(sections[0]));
    } catch (e) {
      throw new Error(`viewsan: the module's viewsan.sites section is not valid JSON: ${e.message}`);
    }
    if (parsed.version !== 1) {
      throw new Error(`viewsan: viewsan.sites version ${parsed.version} is not supported (expected 1)`);
    }
    return new SiteTable(parsed, instrumented, memory64);
  }

  get coverageComplete() {
    return this.coverage === 'complete';
  }

  /** Whether calls through this site may come from JavaScript (JS itself, or an export). */
  calledFromJs(index) {
    return index === VS_SITE_JS || this.sites[index]?.kind === 'export';
  }

  /**
   * The report form of a site index: the section's entry, `{kind:'js'}` for calls made by
   * viewsan's JS wrappers, or null when unknown; with the JS stack when JavaScript made the call.
   */
  describe(index, jsStack = null) {
    if (index === VS_SITE_JS) {
      return { kind: 'js', func: null, callee: null, offset: null, file: null, line: null, column: null, inlinedInto: null, stack: jsStack };
    }
    const site = this.sites[index];
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

