// Whether a construction of a whole-memory Int8Array is the first statement of an Emscripten
// glue's refresh of its views, told from the script's own text: an Int16Array over the same
// buffer is made by the next statement (`HEAP8 = new Int8Array(b); HEAP16 = new Int16Array(b)`,
// whatever the glue names its variables, minified or not). Only where the script can be read
// synchronously (Node, a file); elsewhere nothing is known and the caller waits for the
// Int16Array itself.

import { nodeBuiltins } from './environment.js';

const INT8_THEN_INT16 = /^new Int8Array\(\s*([\w$]+)\s*\)\s*\)?\s*[;,]\s*(?:[\w$.[\]"']+\s*=\s*)*new Int16Array\(\s*\1\s*\)/;
const LOOKAHEAD = 400;

// 'file:line:column' -> whether. The scripts themselves are not kept: a glue makes its views at
// one place, asked about once.
const known = new Map();

/** Whether the construction at `fileName`:`line`:`column` (1-based) is followed so. */
export function makesInt16ArrayNext(fileName, line, column) {
  const place = `${fileName}:${line}:${column}`;
  let answer = known.get(place);
  if (answer === undefined) {
    answer = INT8_THEN_INT16.test(textAt(scriptLinesOf(fileName), line, column));
    known.set(place, answer);
  }
  return answer;
}

// Up to LOOKAHEAD characters of the script from a position on, across lines.
function textAt(lines, line, column) {
  if (lines === null || line < 1 || line > lines.length) return '';
  let text = lines[line - 1].slice(column - 1, column - 1 + LOOKAHEAD);
  for (let next = line; next < lines.length && text.length < LOOKAHEAD; next++) text += `\n${lines[next]}`;
  return text.slice(0, LOOKAHEAD);
}

function scriptLinesOf(fileName) {
  if (nodeBuiltins === null || typeof fileName !== 'string' || fileName === '') return null;
  try {
    const file = fileName.startsWith('file:') ? new URL(fileName) : fileName;
    return nodeBuiltins.fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;  // not a file (eval'd code, a data: or http: URL): unknown
  }
}
