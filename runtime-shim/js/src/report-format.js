// The text of a contract-3 report, compiler-rt style, rendered from its JSON alone: one block per
// fact (what, where, freed by, allocated by, view, hint). The runtime prints it (stderr,
// ViewSanError.message), the CLI and the DevTools panel show it: one formatter for all three.
// Browser-safe, no imports: the panel loads this file as it is.

/** An address as reports print it: 0x1a2b (a Number or, for memory64, a BigInt). */
export const hex = (n) => (typeof n === 'bigint' ? `0x${n.toString(16)}` : `0x${Math.trunc(n).toString(16)}`);
// Where a view is: its byteOffset, or (for a construction that failed on an offset given as an
// object, which viewsan does not convert a second time) a phrase.
const at = (byteOffset) => (byteOffset == null ? 'an offset given as an object' : hex(byteOffset));

// One line per kind: the fix, stated so that the report alone lets a user repair the code.
const HINTS = {
  'use-after-grow':
    'memory.grow replaced memory.buffer; re-create the view from memory.buffer after every call that may allocate, and never keep it across such a call',
  'use-after-free':
    'the view outlived its allocation; drop the view when its region is freed, or free the region only after the last use of the view',
  'use-after-reuse':
    'the view outlived its allocation and now reads another allocation\'s bytes; drop the view when its region is freed',
  'misaligned-view':
    'pad the header so the payload starts at a multiple of the element size, or read the bytes through a DataView, which has no alignment constraint',
  'view-out-of-bounds':
    'the view is longer than the allocation under it; check the length (in elements, not bytes) passed to the constructor',
  'unallocated-view':
    'no live allocation owns these bytes; use the pointer the allocator returned, and only while it is allocated',
  'double-free': 'this region was already freed; make exactly one owner responsible for freeing it',
  'invalid-free': 'pass free() exactly the pointer the allocator returned',
  'resizable-view':
    'pass the API a fixed-length copy (view.slice()); to an API that writes into the view (crypto.getRandomValues, readPixels, copyFromChannel), pass a new fixed-length array and copy it in with view.set(array)',
  'copy-out': 'a copy out of linear memory; use the view in place if the copy was not intended',
};

// A view whose buffer memory.toResizableBuffer() or toFixedLengthBuffer() detached (a
// use-after-grow with no growth): the fix names that call.
const replacementHint = (method) =>
  `memory.${method}() replaced memory.buffer; re-create the view from memory.buffer after that call, and never keep one across it`;

/** The whole text of `report`, as viewsan prints it. */
export function formatReport(report) {
  const r = report;
  const lines = [];
  const level = r.severity === 'warning' ? 'WARNING' : 'ERROR';
  lines.push(`${level}: viewsan: ${r.kind} ${headline(r)}`);
  const detail = r.detail ?? badFreeDetail(r);
  if (detail) lines.push(detail);
  if (r.access) lines.push(accessLine(r));
  if (r.stack) lines.push(indent(r.stack));
  if (r.region) lines.push(...regionBlock(r));
  if (r.grow) lines.push(...growBlock(r.grow));
  if (r.view?.lent) {
    // A sub-array a glue made of its own view and handed on (cached-glue-views.js).
    lines.push(`the view is one the glue lent JavaScript (a sub-array of its own view of the memory)${r.view.createdAt ? ', first used here:' : ''}`);
    if (r.view.createdAt) lines.push(indent(r.view.createdAt));
  } else if (r.view?.createdAt) {
    lines.push('the view was created here:');
    lines.push(indent(r.view.createdAt));
  }
  lines.push(`SUMMARY: viewsan: ${r.kind} ${summary(r)}`);
  lines.push(`HINT: ${r.grow?.method ? replacementHint(r.grow.method) : HINTS[r.kind] ?? ''}`);
  return lines.join('\n');
}

/** The report's first line without its `ERROR: viewsan: ` prefix: "use-after-free on a …". */
export function reportHeadline(report) {
  return `${report.kind} ${headline(report)}`.trim();
}

/** One line naming a site, as reports print it: "consume (calls free) at twin.c:13:3". */
export function siteLabel(site) {
  if (!site) return '<unknown site>';
  if (site.kind === 'js') return 'JavaScript';
  if (site.kind === 'export') return `${site.func} (called from JavaScript through its export)`;
  const what = site.kind === 'memory.grow' ? `${site.func} (memory.grow)` : `${site.func} (calls ${site.callee})`;
  // In the sources when the module says (DWARF, a source map), as compilers and ASan print it;
  // else the code offset, which a symbolizer can take.
  if (site.file != null && site.line != null) {
    const where = `${site.file}:${site.line}${site.column != null ? `:${site.column}` : ''}`;
    return `${what} at ${where}${site.inlinedInto ? `, inlined into ${site.inlinedInto}` : ''}`;
  }
  return site.offset != null && site.kind !== 'memory.grow' ? `${what} at code offset 0x${site.offset.toString(16)}` : what;
}

function headline(r) {
  const v = r.view;
  switch (r.kind) {
    case 'double-free':
    case 'invalid-free':
      return `of ${hex(r.region?.freedPtr ?? r.region?.ptr ?? 0)}`;
    case 'copy-out': {
      const from = r.address == null ? '' : ` at ${hex(r.address)}`;
      return `of ${r.bytes} bytes from linear memory${from} through ${v ? `${article(v.ctor)} ${v.ctor} view` : 'a view'}`;
    }
    default:
      if (!v) return '';
      if (v.ctor === 'DataView') return `on a DataView${v.length == null ? '' : ` of ${v.length} bytes`} at ${at(v.byteOffset)}`;
      return `on ${article(v.ctor)} ${v.ctor} view${v.length == null ? '' : ` of ${v.length} elements`} at ${at(v.byteOffset)}`;
  }
}

// A bad free's fact line, from the shim's verdict as the report carries it: the pointer, the
// attempt's site, and the region involved (freed: a double free; live: a pointer inside it; none).
function badFreeDetail(r) {
  if (r.kind !== 'double-free' && r.kind !== 'invalid-free') return null;
  const g = r.region ?? {};
  const ptr = g.freedPtr ?? g.ptr;
  if (ptr == null) return null;
  const a = r.attempt;
  const by = a?.kind === 'js' ? 'JavaScript' : a?.kind === 'export' ? `JavaScript through the export ${a.func}`
    : a?.func ?? 'an unknown caller';
  const attempted = `attempted free of ${hex(ptr)} by ${by}`;
  if (r.kind === 'double-free') return `${attempted}, which was already freed`;
  if (g.allocId != null && g.ptr != null && g.freeSite == null) {
    const inside = typeof ptr === 'bigint' ? ptr - BigInt(g.ptr) : ptr - g.ptr;
    return `${attempted}: ${inside} bytes inside allocation #${g.allocId}, not at its start`;
  }
  return `${attempted}: no allocation returned this pointer`;
}

// How the faulting access is named: an element (`view[3]`), a method call, or a DataView get/set
// (`{op, method, byteOffset}`: the method and the byte offset it was asked for, null when that was
// an object viewsan did not convert).
function accessLine(r) {
  const a = r.access;
  let what;
  if (a.op === 'call') what = `call of ${a.method}()`;
  else if (a.method) what = `${a.op.toUpperCase()} by ${a.method}() at byte offset ${a.byteOffset ?? '(not a number)'}`;
  else what = `${a.op.toUpperCase()} of element [${a.index}]`;
  return `${what} through the view, here:`;
}

function regionBlock(r) {
  const g = r.region;
  const out = [];
  if (g.size != null && g.ptr != null) {
    const end = typeof g.ptr === 'bigint' ? g.ptr + BigInt(g.size) : g.ptr + g.size;
    const state = r.kind === 'copy-out' && g.freeSite ? ', freed' : '';
    out.push(`the region is allocation #${g.allocId} of ${g.size} bytes [${hex(g.ptr)}, ${hex(end)})${state}`);
  }
  if (g.freeSite) {
    const ago = g.freesAgo == null ? '' : g.freesAgo === 0 ? ' (the most recent free)'
      : ` (${g.freesAgo} free${g.freesAgo === 1 ? '' : 's'} ago)`;
    out.push(`freed by ${siteLabel(g.freeSite)}${ago}${g.freeSite.stack ? ' here:' : ''}`);
    if (g.freeSite.stack) out.push(indent(g.freeSite.stack));
  }
  if (g.allocSite) {
    const verb = g.freeSite ? 'previously allocated' : 'allocated';
    out.push(`${verb} by ${siteLabel(g.allocSite)}${g.allocSite.stack ? ' here:' : ''}`);
    if (g.allocSite.stack) out.push(indent(g.allocSite.stack));
  }
  if (r.newer) {
    out.push(`its bytes now belong to allocation #${r.newer.allocId} of ${r.newer.size} bytes at ${hex(r.newer.ptr)}, allocated by ${siteLabel(r.newer.allocSite)}`);
  }
  return out;
}

function growBlock(g) {
  if (g.method) {
    const size = `${g.toPages} page${g.toPages === 1 ? '' : 's'}, not grown`;
    const out = [`memory.${g.method}() in ${siteLabel(g.site)} replaced memory.buffer (${size}), which detached the view's buffer`];
    if (g.site?.stack) out.push(indent(g.site.stack));
    return out;
  }
  const effect = g.shared ? "past the end of the view's SharedArrayBuffer" : "which detached the view's buffer";
  const out = [`memory grew from ${g.fromPages} to ${g.toPages} pages (64 KiB each) in ${siteLabel(g.site)}, ${effect}`];
  if (g.site?.stack) out.push(indent(g.site.stack));
  return out;
}

function summary(r) {
  const v = r.view;
  const a = r.access;
  if (!v) return r.region ? `at ${hex(r.region.freedPtr ?? r.region.ptr)}` : '';
  // A copy is placed where its bytes began; every other report, at the view.
  const address = at(r.kind === 'copy-out' && r.address != null ? r.address : v.byteOffset);
  // A function the view was handed to (Array.from, new Uint8Array, Buffer.from) takes it as its argument.
  if (a?.op === 'call' && /[. ]/.test(a.method)) return `${a.method}(${v.ctor}) at ${address}`;
  const where = !a ? '' : a.op === 'call' ? `.${a.method}()` : a.method ? `.${a.method}(${a.byteOffset ?? ''})` : `[${a.index}]`;
  return `${v.ctor}${where} at ${address}`;
}

function indent(stack) {
  return stack
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
}

// "an Int32Array", "a Float32Array", "a Uint8Array" (said "you-int").
function article(word) {
  return /^[AEIO]/i.test(word) ? 'an' : 'a';
}
