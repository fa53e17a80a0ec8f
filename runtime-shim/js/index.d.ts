// Type declarations for the viewsan package (DESIGN.md contracts 2 and 3).

export type ReportKind =
  | 'use-after-grow' | 'use-after-free' | 'use-after-reuse' | 'misaligned-view'
  | 'view-out-of-bounds' | 'unallocated-view' | 'double-free' | 'invalid-free' | 'resizable-view'
  | 'copy-out';

export interface Site {
  id?: number;
  kind: 'export' | 'call' | 'memory.grow' | 'js';
  func: string | null;
  callee: string | null;
  offset: number | null;
  /** Where the site is in the sources (the module's DWARF or source map), else null. With
   *  inlining, `func` is the inlined function and `inlinedInto` the one its code sits in. */
  file: string | null;
  line: number | null;
  column: number | null;
  inlinedInto: string | null;
  /** JavaScript stack, for sites where JavaScript made the call. */
  stack?: string | null;
}

export interface Report {
  kind: ReportKind;
  severity: 'error' | 'warning';
  message: string;
  /** `length` is a DataView's byte length. `byteOffset` is null only for a construction that
   *  failed on an offset given as an object (which viewsan does not convert a second time).
   *  `lent`: a sub-array a glue took of its own cached view and handed on (wasm-bindgen); its
   *  `createdAt` is the stack of its first use, or '' when none went through the view. */
  view: { ctor: string; byteOffset: number | null; length: number | null; createdAt: string; lent?: boolean } | null;
  region: { ptr: number | bigint; size: number | bigint | null; allocId: number | null; allocSite: Site | null; freeSite: Site | null } | null;
  /** What detached the view's buffer: a growth, or (`method`) memory.toResizableBuffer() or
   *  toFixedLengthBuffer(), which replace memory.buffer without growing it (fromPages === toPages). */
  grow: { fromPages: number; toPages: number; site: Site | null; method?: 'toResizableBuffer' | 'toFixedLengthBuffer' } | null;
  stack: string;
  /** An element (`index`), a method or sink call (`op: 'call'`, `method`), or a DataView get/set
   *  (`method` and the `byteOffset` asked for; null when that was an object). */
  access?: { op: 'read' | 'write' | 'call'; index?: string; method?: string; byteOffset?: number | null };
  /** copy-out: the bytes copied, and the byte address in the memory where the copy began. */
  bytes?: number;
  address?: number;
  /** A fact the detection states beyond the fields above, as one sentence of the text. */
  detail?: string;
  /** double-free, invalid-free: the site that attempted the free (its JavaScript stack when
   *  JavaScript made the call). */
  attempt?: Site;
  /** The stack as frames: wasm ones by source where the module's line table says (else by module
   *  and offset), JavaScript ones by file, line and column. */
  frames: Array<{ function: string | null; file: string | null; line: number | null; column: number | null; module: string | null; offset: number | null }>;
  /** How often this report was made at this place (haltOnError false, reportAll off). */
  count: number;
  /** The bytes around the report's address when it was made (memory-snapshot.js); absent when
   *  the report names no place in memory or the session has no memory. */
  memory?: MemorySnapshot;
}

/** Bytes of linear memory under a report, at most 256, for a hex view. */
export interface MemorySnapshot {
  /** One or two windows in address order: `hex` is their bytes, two lowercase hex digits each. */
  spans: Array<{ start: number; hex: string }>;
  /** Byte ranges [start, end), whole even where the spans show part of them: the report's region
   *  ('freed' or 'live'), the allocation that reused it ('reused'), the view ('view'), and the
   *  bytes the faulting access touched ('access'). */
  marks: Array<{ start: number; end: number; state: 'freed' | 'live' | 'reused' | 'view' | 'access'; allocId?: number | null }>;
}

/** The text of a report, rendered from its JSON (what `message` holds, and what the CLI and the
 *  DevTools panel show). */
export function formatReport(report: Report): string;

export class ViewSanError extends Error {
  readonly kind: ReportKind;
  readonly report: Report;
}

export interface Region {
  ptr: number | bigint;
  size: number | bigint;
  allocId: number;
  generation: number;
  allocSite: Site | null;
}

export interface Stats {
  allocs: number; frees: number; reallocs: number; grows: number;
  liveBytes: number; peakBytes: number; copyOutBytes: number; errors: number; warnings: number;
  /** Frees not reported because allocator activity the hooks did not see explains them
   *  (partial coverage only; see docs/reports/invalid-free.md). */
  unseenFrees: number;
}

export interface Options {
  mode?: 'strict' | 'compat';
  patchViews?: boolean;
  haltOnError?: boolean;
  /** With haltOnError false: a report for every occurrence, not one per kind and place with a count. */
  reportAll?: boolean;
  onReport?: (report: Report) => void;
  quarantineMb?: number;
  /** Frames of JS stack recorded at JS allocations, frees, views and grows (default 10); 0: none. */
  mallocContextSize?: number;
  /** Record them also for a binding glue's own allocator calls (wasm-bindgen's __wbindgen_*, a minified build's exports); default false. */
  glueAllocatorStacks?: boolean;
  /** Fill at most this many bytes of each freed allocation with freeFillByte (0: off). */
  maxFreeFillSize?: number;
  freeFillByte?: number;
  reportPath?: string;
  /** register: name on stderr, once each, the modules instantiated without being guarded (default true). */
  warnUnguarded?: boolean;
  exitcode?: number;
  help?: boolean;
}

type TypedArrayConstructor =
  | Int8ArrayConstructor | Uint8ArrayConstructor | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor
  | Float32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

export interface Session {
  readonly reports: Report[];
  /** A guarded view of `length` elements at `ptr` (any typed-array constructor the engine has,
   *  Float16Array included)... */
  view<C extends TypedArrayConstructor>(ctor: C, ptr: number, length: number): InstanceType<C>;
  /** ...or a guarded DataView of `byteLength` bytes. */
  view(ctor: DataViewConstructor, ptr: number, byteLength: number): DataView;
  regions(): Region[];
  stats(): Stats;
  dispose(): void;
}

export function instantiate(
  source: BufferSource | WebAssembly.Module | Response | Promise<Response>,
  imports?: WebAssembly.Imports,
  options?: Options,
): Promise<{ instance: WebAssembly.Instance; module: WebAssembly.Module; session: Session }>;

export interface EmscriptenGlue {
  instantiateWasm(imports: WebAssembly.Imports, receiveInstance: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  /** Live once the Emscripten module is ready. */
  session: Session | null;
}

export function emscripten(options?: Options & { wasmBinary?: BufferSource; wasmURL?: string }): EmscriptenGlue;

export const REPORT_KINDS: readonly ReportKind[];
export const OPTIONS: ReadonlyArray<readonly [string, string | null, unknown, unknown, string]>;
