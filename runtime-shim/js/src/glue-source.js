// What a glue's construction of a whole-memory view is, told from the script's own text, whatever
// the glue names its variables, minified or not. In Node the script is read when first asked
// about. A page's script is fetched when first asked about (from the cache, as a rule): until it
// has arrived, and where it cannot be read at all (evaluated code), nothing is known, and the
// callers fall back on what they can observe.
// - makesInt16ArrayNext: the first statement of an Emscripten glue's refresh of its views, an
//   Int16Array over the same buffer made by the next one (`HEAP8 = new Int8Array(b); HEAP16 = ...`).
// - revalidatesCachedView: the view is a cache the glue checks before every use and replaces
//   once growth detached it (wasm-bindgen's `getUint8ArrayMemory0()`).

import { nodeBuiltins } from './environment.js';

const INT8_THEN_INT16 = /^new Int8Array\(\s*([\w$]+)\s*\)\s*\)?\s*[;,]\s*(?:[\w$.[\]"']+\s*=\s*)*new Int16Array\(\s*\1\s*\)/;
const LOOKAHEAD = 400;

// 'file:line:column' -> whether. The scripts themselves are not kept, but for those fetched: a
// glue makes its views at one place, asked about once.
const known = new Map();

// The answer about the script at `fileName` that `decide(lines)` gives, remembered per `place`
// once the script's text is known (or known to be unreadable); false while it is on its way.
function answerFor(place, fileName, decide) {
  let answer = known.get(place);
  if (answer === undefined) {
    const lines = scriptLinesOf(fileName);
    if (lines === undefined) return false;
    answer = decide(lines);
    known.set(place, answer);
  }
  return answer;
}

/** Whether the construction at `fileName`:`line`:`column` (1-based) is followed so. */
export function makesInt16ArrayNext(fileName, line, column) {
  return answerFor(`${fileName}:${line}:${column}`, fileName,
    (lines) => INT8_THEN_INT16.test(textAt(lines, line, column)));
}

// The cache variable assigned the view (`cached = new Uint8Array(`, `(u=new Uint8Array(`), and
// the memory's buffer as its one argument.
const ASSIGNED_TO = /(?<![\w$.])([\w$]+)\s*=\s*$/;
const OVER_A_BUFFER = /^new\s+[\w$.]+\(\s*[\w$.]+\.buffer\s*\)/;
const LOOKBEHIND = 400;

/**
 * Whether the construction at `fileName`:`line`:`column` (1-based) assigns the view to a variable
 * that the text just before tests for being detached: its byteLength 0, its buffer compared with
 * another, or its buffer's `detached` (`if (c === null || c.byteLength === 0) c = new ...(m.buffer)`).
 * Such a view is never used stale by the code that reads it through that test.
 */
export function revalidatesCachedView(fileName, line, column) {
  return answerFor(`cache ${fileName}:${line}:${column}`, fileName,
    (lines) => isRevalidatedCache(lines, line, column));
}

function isRevalidatedCache(lines, line, column) {
  if (!OVER_A_BUFFER.test(textAt(lines, line, column))) return false;
  const before = textBefore(lines, line, column);
  const variable = ASSIGNED_TO.exec(before)?.[1];
  if (variable === undefined) return false;
  const v = variable.replaceAll('$', '\\$');
  const detachTests = new RegExp([
    `(?<![\\w$.])${v}\\s*\\.\\s*byteLength\\s*[!=]==?\\s*0(?![\\w.])`,
    `(?<![\\w.])0\\s*[!=]==?\\s*${v}\\s*\\.\\s*byteLength(?![\\w$])`,
    `(?<![\\w$.])${v}\\s*\\.\\s*buffer\\s*(?:\\.\\s*detached|[!=]==?)`,
    `[!=]==?\\s*${v}\\s*\\.\\s*buffer(?![\\w$])`,
  ].join('|'));
  return detachTests.test(before);
}

// Up to LOOKBEHIND characters of the script before a position, across lines.
function textBefore(lines, line, column) {
  if (lines === null || line < 1 || line > lines.length) return '';
  let text = lines[line - 1].slice(0, column - 1);
  for (let previous = line - 2; previous >= 0 && text.length < LOOKBEHIND; previous--) text = `${lines[previous]}\n${text}`;
  return text.slice(-LOOKBEHIND);
}

// Up to LOOKAHEAD characters of the script from a position on, across lines.
function textAt(lines, line, column) {
  if (lines === null || line < 1 || line > lines.length) return '';
  let text = lines[line - 1].slice(column - 1, column - 1 + LOOKAHEAD);
  for (let next = line; next < lines.length && text.length < LOOKAHEAD; next++) text += `\n${lines[next]}`;
  return text.slice(0, LOOKAHEAD);
}

// The lines of the script at `fileName`; null where it cannot be read, undefined while a page's
// is being fetched.
function scriptLinesOf(fileName) {
  if (typeof fileName !== 'string' || fileName === '') return null;
  if (nodeBuiltins === null) return fetchedLinesOf(fileName);
  try {
    const file = fileName.startsWith('file:') ? new URL(fileName) : fileName;
    return nodeBuiltins.fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;  // not a file (eval'd code, a data: or http: URL): unknown
  }
}

const fetchedScripts = new Map();  // URL -> its lines, null (unreadable) or undefined (on its way)
const fetches = new Map();         // URL -> the promise of its fetch, settled once it is known

function fetchedLinesOf(url) {
  if (fetchedScripts.has(url)) return fetchedScripts.get(url);
  if (!/^https?:/.test(url) || typeof fetch !== 'function' || isTheDocument(url)) return null;
  fetchedScripts.set(url, undefined);
  fetches.set(url, fetch(url)
    .then((response) => (response.ok ? response.text() : null))
    .then((text) => fetchedScripts.set(url, text === null ? null : text.split('\n')))
    .catch(() => fetchedScripts.set(url, null)));
  return undefined;
}

// An inline script's frames name the page itself, which is not fetched again: a page's request
// may do more than return its text.
function isTheDocument(url) {
  return typeof location === 'object' && typeof document === 'object' && url === String(location.href).split('#')[0];
}

/**
 * Starts reading a page's script ahead of the questions above (nothing to do in Node, which reads
 * a file when asked); the promise settles once its text is known or known to be unreadable.
 */
export function readScriptAhead(url) {
  if (nodeBuiltins !== null || typeof url !== 'string') return Promise.resolve();
  fetchedLinesOf(url);
  return fetches.get(url) ?? Promise.resolve();
}
