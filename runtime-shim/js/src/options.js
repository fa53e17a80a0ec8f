// The one table of viewsan's options. It feeds the defaults, the VIEWSAN_OPTIONS parser, the
// `help=1` text and the README's option list.
//
// Precedence, lowest first: the defaults below, then the `options` object the app passes to
// instantiate()/emscripten() (like __asan_default_options: chosen when the code was written),
// then VIEWSAN_OPTIONS (like ASAN_OPTIONS: chosen by whoever runs it, without editing code).

const bool = (v) => {
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  throw new Error(`expected 0 or 1, got '${v}'`);
};
const int = (v) => {
  if (!/^-?\d+$/.test(v)) throw new Error(`expected an integer, got '${v}'`);
  return Number(v);
};
const oneOf = (...allowed) => (v) => {
  if (!allowed.includes(v)) throw new Error(`expected ${allowed.join(' or ')}, got '${v}'`);
  return v;
};
const text = (v) => v;

// [option name, VIEWSAN_OPTIONS key or null, default, parser, description]
export const FLAGS = [
  ['mode', 'mode', 'strict', oneOf('strict', 'compat'),
    "'strict' throws at the faulting element access (views are Proxies); 'compat' returns real typed arrays and checks at method calls and platform sinks"],
  ['patchViews', 'patch_views', true, bool,
    'make new TypedArray(memory.buffer, ptr, n) over a guarded memory return a guarded view'],
  ['haltOnError', 'halt_on_error', true, bool,
    'throw a ViewSanError at the first error; when false, record it, print it and continue'],
  ['reportAll', 'report_all', false, bool,
    'with halt_on_error=0, report every occurrence; by default a report made again of the same kind at the same place (the same JavaScript stack) only counts it (report.count), as ASan deduplicates'],
  ['onReport', null, null, null, 'function called with every report (errors and warnings)'],
  ['quarantineMb', 'quarantine_size_mb', 256, int,
    'freed bytes remembered (MiB) so that stale views can name the free and the reuse'],
  ['mallocContextSize', 'malloc_context_size', 10, int,
    "frames of JavaScript stack recorded where JavaScript allocates or frees through an export, creates a view or grows memory, for reports to show: as many as V8's own error stacks show by default (Error.stackTraceLimit), since V8 charges each frame it reads; 0 records none, which saves a few microseconds on each of those calls"],
  ['glueAllocatorStacks', 'glue_allocator_stacks', false, bool,
    "record those JavaScript stacks for a binding glue's own allocator calls too (wasm-bindgen's glue calling __wbindgen_malloc, __wbindgen_realloc and __wbindgen_free to marshal every string and slice, handing the memory to wasm at once; a minified build's glue calling its allocator exports); off, reports say only that JavaScript allocated or freed there, and a string-heavy binding runs several times faster. The app's calls through the exports object always record them"],
  ['maxFreeFillSize', 'max_free_fill_size', 0, int,
    'fill at most this many bytes of each freed allocation with freeFillByte, before the allocator runs, so that stale reads through unchecked views (compat mode, views made before viewsan) stand out; 0: off'],
  ['freeFillByte', 'free_fill_byte', 0x55, int, 'the byte maxFreeFillSize fills freed memory with'],
  ['reportPath', 'report_path', '', text,
    'Node: write a JSON report of every session to this path at exit, even when empty'],
  ['warnUnguarded', 'warn_unguarded', true, bool,
    'register: name on stderr, once each, the modules instantiated without being guarded, and why (not instrumented, decoded from base64 in JavaScript)'],
  ['exitcode', 'exitcode', 1, int, 'Node: process exit code when errors were reported'],
  ['childProcesses', 'child_processes', true, bool,
    'register (Node): the Node processes the program starts load viewsan too, so that an instrumented module one of them instantiates is guarded (and finds its imports): register adds --import of itself to NODE_OPTIONS, which they inherit; a child started with an environment of its own without it stays unguarded'],
  ['codeCache', 'code_cache', true, bool,
    "Node: compile the runtime with a V8 code cache kept in the system's temporary folder (one folder per user, only its owner may write to it), so that a start does not parse and compile it again; read from VIEWSAN_OPTIONS when the runtime loads"],
  ['help', 'help', false, bool, 'print the available options to stderr'],
];

export const DEFAULTS = Object.freeze(Object.fromEntries(FLAGS.map(([name, , def]) => [name, def])));

/** Parses `key=value` items separated by ':', ',', spaces or newlines. Unknown keys warn. */
export function parseOptionString(str, warn = (m) => console.error(m)) {
  const out = {};
  const unknown = [];
  for (const item of str.split(/[:,\s]+/).filter(Boolean)) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1).replace(/^(['"])(.*)\1$/, '$2');
    const flag = FLAGS.find(([, envKey]) => envKey === key);
    if (!flag) { unknown.push(key); continue; }
    try {
      out[flag[0]] = flag[3](value);
    } catch (e) {
      warn(`viewsan: WARNING: VIEWSAN_OPTIONS ${key}: ${e.message}`);
    }
  }
  if (unknown.length) {
    warn(`viewsan: WARNING: found ${unknown.length} unrecognized option(s): ${unknown.join(' ')}`);
  }
  return out;
}

/** Checks an options object from code; unknown names are a programming error. */
export function validateOptions(options) {
  for (const key of Object.keys(options ?? {})) {
    if (!(key in DEFAULTS)) throw new TypeError(`viewsan: unknown option '${key}'`);
  }
  if (options?.onReport != null && typeof options.onReport !== 'function') {
    throw new TypeError('viewsan: onReport must be a function');
  }
  if (options?.mode != null) oneOf('strict', 'compat')(options.mode);
}

export function helpText(current) {
  const lines = ['Available options for viewsan (VIEWSAN_OPTIONS key, option name):'];
  for (const [name, envKey, , , description] of FLAGS) {
    const value = current?.[name];
    lines.push(`\t${envKey ?? '-'} / ${name}\n\t\t- ${description} (current: ${value})`);
  }
  return lines.join('\n');
}

/** Merges defaults < code options < environment options. */
export function resolveOptions(codeOptions, envOptions) {
  validateOptions(codeOptions);
  return { ...DEFAULTS, ...stripUndefined(codeOptions), ...envOptions };
}

function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}
