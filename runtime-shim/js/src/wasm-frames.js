// Wasm frames of JavaScript stacks, named by source. An engine prints a wasm frame as
// `at frame_release (wasm://wasm/0003aa5e:wasm-function[2]:0x12b)`: the function's index and the
// instruction's offset in the module. A module instrumented from one with DWARF or a source map
// carries the custom section viewsan.lines (instrument/src/line-table.h): where each instruction
// is in the sources, inlined frames included (DWARF has them, a map does not). With it, that
// frame becomes
//   at drop_pixels (/src/twin.c:9:3)
//   at frame_release (/src/twin.c:19:3) [wasm-function[2]:0x12b]
// the innermost source frame first, as a debugger's call stack shows inlined calls.

const decoder = new TextDecoder();
const WASM_FRAME = /^(\s*at )(?:(.+?) \()?(wasm:\/\/wasm\/[^:)]*):wasm-function\[(\d+)\]:0x([0-9a-f]+)\)?$/;

// The line tables of the modules instantiated so far: raw bytes until a stack needs them.
const tables = [];

/** Keeps `wasmModule`'s viewsan.lines section, if it has one, for the stacks of reports. */
export function registerLineTable(wasmModule) {
  const [section] = WebAssembly.Module.customSections(wasmModule, 'viewsan.lines');
  if (section && !tables.some((table) => table.bytes.byteLength === section.byteLength && sameBytes(table.bytes, section))) {
    tables.push({ bytes: section, parsed: null });
  }
}

function sameBytes(a, b) {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function parsed(table) {
  if (table.parsed === null) {
    try {
      const json = JSON.parse(decoder.decode(table.bytes));
      // Sorted by offset for the search; a row's frames are (function, file, line, column) fours.
      json.rows.sort((a, b) => a[0] - b[0]);
      table.parsed = json.version === 1 ? json : false;
    } catch {
      table.parsed = false;  // a section viewsan cannot read names nothing
    }
  }
  return table.parsed;
}

/** The source frames of the instruction at module offset `offset`, innermost first, or null. */
function sourceFrames(table, offset) {
  const { rows, files, functions } = table;
  let low = 0;
  let high = rows.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (rows[mid][0] <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (found === -1 || rows[found].length < 5) return null;
  const row = rows[found];
  const frames = [];
  for (let i = 1; i + 3 < row.length; i += 4) {
    frames.push({
      function: functions[row[i]] ?? null, file: files[row[i + 1]] ?? null, line: row[i + 2] || null, column: row[i + 3] || null,
    });
  }
  return frames;
}

/**
 * `stack` (lines as V8 prints them) with each wasm frame a line table covers replaced by its
 * source frames. The table is the one whose outermost frame names the function the engine names.
 */
export function nameWasmFrames(stack) {
  if (tables.length === 0 || !stack.includes('wasm-function[')) return stack;
  return stack.split('\n').map((line) => {
    const match = WASM_FRAME.exec(line);
    if (!match) return line;
    const [, indent, name, , index, hexOffset] = match;
    const offset = parseInt(hexOffset, 16);
    for (const table of tables) {
      const json = parsed(table);
      const frames = json ? sourceFrames(json, offset) : null;
      // Only a frame the engine names by its function, the one the table's outermost frame names:
      // offsets alone could fall in another module's table.
      if (!frames || !name || frames[frames.length - 1].function !== name) continue;
      return frames.map((frame, i) => {
        const where = `${frame.file ?? '<unknown>'}:${frame.line ?? 0}${frame.column ? `:${frame.column}` : ''}`;
        const wasm = i === frames.length - 1 ? ` [wasm-function[${index}]:0x${hexOffset}]` : '';
        return `${indent}${frame.function ?? name ?? `wasm-function[${index}]`} (${where})${wasm}`;
      }).join('\n');
    }
    return line;
  }).join('\n');
}

const JS_FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?(?: \[wasm-function\[\d+\]:0x([0-9a-f]+)\])?$/;
const RAW_WASM_FRAME = /^\s*at (?:(.+?) \()?(wasm:\/\/wasm\/[^:)]*):wasm-function\[\d+\]:0x([0-9a-f]+)\)?$/;

/**
 * Contract 3's `report.frames`: each line of `stack` as {function, file, line, column, module,
 * offset}; `module` and `offset` for wasm frames (offset in the module), file/line/column for
 * what has a source (JavaScript, or wasm named by its line table).
 */
export function parseFrames(stack) {
  if (!stack) return [];
  const frames = [];
  for (const line of stack.split('\n')) {
    const wasm = RAW_WASM_FRAME.exec(line);
    if (wasm) {
      frames.push({ function: wasm[1] ?? null, file: null, line: null, column: null, module: wasm[2], offset: parseInt(wasm[3], 16) });
      continue;
    }
    const js = JS_FRAME.exec(line);
    if (js) {
      frames.push({
        function: js[1] ?? null, file: js[2], line: Number(js[3]), column: Number(js[4]),
        module: null, offset: js[5] ? parseInt(js[5], 16) : null,
      });
    }
  }
  return frames;
}
